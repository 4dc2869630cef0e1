/// Finds payment-card data in text a person typed: a card number, or an expiry or CVV that says
/// what it is.
///
/// - A **card number** is 13 to 19 digits, written with any separators between groups (spaces,
///   dots, dashes, slashes, underscores: up to three of them between two groups), whose first digits
///   are a card network's (``networkPrefixes``) and which passes the Luhn check. Any run of
///   consecutive groups counts, so an expiry or CVV written after the number does not hide it.
///   A number that starts with `+` is a telephone number, and a letter ends a number.
/// - An **expiry** (`12/27`, `12-2027`) or a **CVV** (3 or 4 digits) is card data only when a label
///   says so (`EXP 12/27`, `valid thru 12/27`, `CVV 123`, `CVC2: 4567`) — or next to a card number,
///   which is refused anyway.
///
/// So Indonesian phone numbers (`+62 812-3456-7890`), virtual-account numbers (`8808 1234 5678
/// 9012`), QRIS and EDC references and addresses (`RT 05/RW 03`) are not card data.
///
/// This file depends on nothing but the standard library: the fuzz target `card-filter`
/// (`scripts/fuzz.sh`) compiles it on its own.
///
/// ```swift
/// CardData.isPresent(in: "4111.1111.1111.1111")   // true
/// CardData.isPresent(in: "8808 1234 5678 9012")   // false: no card network starts with 8
/// ```
enum CardData {
    /// The first digits of every card network's numbers: Visa; Mastercard; American Express;
    /// Diners Club; JCB; Discover; UnionPay; Maestro; Indonesia's GPN debit cards.
    static let networkPrefixes: [ClosedRange<Int>] = [
        4...4,
        51...55, 2221...2720,
        34...34, 37...37,
        300...305, 36...36, 38...39,
        3528...3589,
        6011...6011, 644...649, 65...65,
        62...62,
        50...50, 56...69,
        9360...9360,
    ]

    /// The words that say an expiry follows.
    static let expiryLabels: Set<String> = ["exp", "expiry", "expires", "expiration", "expdate", "thru", "through", "berlaku"]
    /// The words that say a card security code follows.
    static let securityCodeLabels: Set<String> = ["cvv", "cvc", "cid", "csc", "cav", "cvn"]

    /// The most separator characters between two groups of digits of one number (`4111 - 1111`).
    static let maximumSeparatorRun = 3

    /// Whether `text` holds a card number, or an expiry or CVV labelled as one.
    static func isPresent(in text: String) -> Bool {
        containsCardNumber(text) || containsLabelledDetail(text)
    }

    /// Whether `text` holds a card number (any separators, a network's prefix, the Luhn check).
    static func containsCardNumber(_ text: String) -> Bool {
        holdsCardNumber(Array(text.unicodeScalars))
    }

    /// Whether `text` holds an expiry or a CVV after a word that labels it as one.
    static func containsLabelledDetail(_ text: String) -> Bool {
        holdsLabelledCardDetail(Array(text.unicodeScalars))
    }

    /// The value of a decimal digit of any script (`4`, `٤`, `４`), or `nil`.
    static func digit(_ scalar: Unicode.Scalar) -> Int? {
        guard scalar.properties.numericType == .decimal, let value = scalar.properties.numericValue else { return nil }
        return Int(value)
    }

    /// A group of consecutive digits and whether a `+` opened it (a telephone number).
    private struct Group {
        var digits: [Int] = []
        var afterPlus = false
    }

    private static func holdsCardNumber(_ scalars: [Unicode.Scalar]) -> Bool {
        // Numbers: chains of digit groups joined by short runs of separators.
        var numbers: [[Group]] = []
        var current: [Group] = []
        var separators = 0
        var plus = false
        var inGroup = false
        func endNumber() {
            if !current.isEmpty { numbers.append(current) }
            current = []
        }
        for scalar in scalars {
            if let value = digit(scalar) {
                if !inGroup {
                    if plus || separators > maximumSeparatorRun { endNumber() }
                    current.append(Group(afterPlus: plus))
                    inGroup = true
                }
                current[current.count - 1].digits.append(value)
                separators = 0
                plus = false
            } else {
                inGroup = false
                if scalar == "+" {
                    endNumber()
                    plus = true
                } else if scalar.properties.isAlphabetic {
                    endNumber()
                    plus = false
                    separators = 0
                } else {
                    separators += 1
                }
            }
        }
        endNumber()
        for groups in numbers {
            for start in groups.indices where !groups[start].afterPlus {
                var digits: [Int] = []
                for end in start..<groups.count {
                    digits += groups[end].digits
                    if digits.count > 19 { break }
                    if digits.count >= 13 && hasNetworkPrefix(digits) && passesLuhn(digits) { return true }
                }
            }
        }
        return false
    }

    /// Whether `digits` begin as some card network's numbers do.
    static func hasNetworkPrefix(_ digits: [Int]) -> Bool {
        networkPrefixes.contains { range in
            let width = String(range.lowerBound).count
            guard digits.count >= width else { return false }
            let prefix = digits.prefix(width).reduce(0) { $0 * 10 + $1 }
            return range.contains(prefix)
        }
    }

    /// The Luhn (mod 10) check that every payment card number passes.
    static func passesLuhn(_ digits: [Int]) -> Bool {
        var sum = 0
        for (offset, digit) in digits.reversed().enumerated() {
            if offset % 2 == 1 {
                let doubled = digit * 2
                sum += doubled > 9 ? doubled - 9 : doubled
            } else {
                sum += digit
            }
        }
        return sum % 10 == 0
    }

    /// An expiry or security code after a word that labels it as one: after the label, other words
    /// and separators may stand (`exp date: 12/27`, `valid thru 12-2027`) before the digits.
    private static func holdsLabelledCardDetail(_ scalars: [Unicode.Scalar]) -> Bool {
        var index = 0
        while index < scalars.count {
            guard scalars[index].properties.isAlphabetic else { index += 1; continue }
            var word = ""
            while index < scalars.count, scalars[index].properties.isAlphabetic {
                word.unicodeScalars.append(contentsOf: String(scalars[index]).lowercased().unicodeScalars)
                index += 1
            }
            if expiryLabels.contains(word), followedByExpiry(scalars, from: index) { return true }
            if securityCodeLabels.contains(word), followedBySecurityCode(scalars, from: index) { return true }
        }
        return false
    }

    /// The digit groups after `start`, skipping separators and up to two more words (`date`,
    /// `code`), as long as no more than a few characters stand between them.
    private static func groupsAfter(_ scalars: [Unicode.Scalar], from start: Int, count wanted: Int) -> [[Int]] {
        var groups: [[Int]] = []
        var index = start, words = 0, gap = 0
        while index < scalars.count, groups.count < wanted {
            let scalar = scalars[index]
            if let value = digit(scalar) {
                if gap > maximumSeparatorRun && !groups.isEmpty { break }
                var group = [value]
                index += 1
                while index < scalars.count, let next = digit(scalars[index]) { group.append(next); index += 1 }
                groups.append(group)
                gap = 0
                continue
            }
            if scalar.properties.isAlphabetic {
                guard groups.isEmpty, words < 2 else { break }
                words += 1
                while index < scalars.count, scalars[index].properties.isAlphabetic { index += 1 }
                continue
            }
            gap += 1
            if gap > 8 { break }
            index += 1
        }
        return groups
    }

    private static func followedByExpiry(_ scalars: [Unicode.Scalar], from start: Int) -> Bool {
        let groups = groupsAfter(scalars, from: start, count: 2)
        guard groups.count == 2, (1...2).contains(groups[0].count), [2, 4].contains(groups[1].count) else {
            // A month and year written together: 1227, 122027.
            guard let only = groups.first, [4, 6].contains(only.count) else { return false }
            return (1...12).contains(only[0] * 10 + only[1])
        }
        return (1...12).contains(groups[0].reduce(0) { $0 * 10 + $1 })
    }

    private static func followedBySecurityCode(_ scalars: [Unicode.Scalar], from start: Int) -> Bool {
        // `CVV2 123`: the 2 belongs to the label.
        var groups = groupsAfter(scalars, from: start, count: 2)
        if groups.first == [2] { groups.removeFirst() }
        guard let code = groups.first else { return false }
        return (3...4).contains(code.count)
    }
}
