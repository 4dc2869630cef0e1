// libFuzzer target: the card-data filter on payment references (Sources/BoxOfficeKit/Sales/
// PaymentReference.swift over Core/CardData.swift). References are typed at counters and travel to
// head office and to every receipt; card data must never get through. Built and run by scripts/fuzz.sh.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func cardFilterFuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let text = fuzzText(start, count)
    let cardNumber = CardOracle.looksLikeCardNumber(text)
    require(CardData.containsCardNumber(text) == cardNumber,
            "the filter says \(!cardNumber) for \(text.debugDescription); an independent check says \(cardNumber)")
    // A labelled expiry or CVV needs a label: a text without letters holds none.
    let labelled = CardData.containsLabelledDetail(text)
    require(!labelled || text.unicodeScalars.contains { $0.properties.isAlphabetic }, "\(text.debugDescription) labelled without a label")
    let cardLike = cardNumber || labelled
    require(PaymentReference.looksLikeCardNumber(text) == cardLike, "the reference filter disagrees on \(text.debugDescription)")
    let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    do {
        let reference = try PaymentReference.checked(text)
        // What passes is the trimmed text, short, printable and no card number.
        require(reference == (trimmed.isEmpty ? nil : trimmed), "\(text.debugDescription) passes as \(reference.debugDescription)")
        if let reference {
            require(!CardOracle.looksLikeCardNumber(reference) && !CardData.containsLabelledDetail(reference),
                    "\(reference.debugDescription) passes with card data")
            require(reference.utf8.count <= PaymentReference.maximumLength
                    && reference.utf8.allSatisfy { (0x20..<0x7F).contains($0) }, "\(reference.debugDescription) passes")
        }
    } catch {
        switch error {
        case .cardNumber: require(CardData.isPresent(in: trimmed), "\(text.debugDescription) refused as a card number")
        case .tooLong: require(trimmed.count > PaymentReference.maximumLength, "\(text.debugDescription) refused as too long")
        case .notPrintable: require(!trimmed.utf8.allSatisfy { (0x20..<0x7F).contains($0) }, "\(text.debugDescription) refused as unprintable")
        }
    }
    return 0
}

/// The filter's documented rule for card numbers (`Sources/BoxOfficeKit/Core/CardData.swift`),
/// written again another way: the text as a row of classes (digit, letter, plus, other), every
/// digit group found by its start, and every run of groups from each start tried.
enum CardOracle {
    enum Class: Equatable { case digit(Int), letter, plus, other }

    static func classes(_ text: String) -> [Class] {
        text.unicodeScalars.map { scalar in
            if scalar.properties.numericType == .decimal, let value = scalar.properties.numericValue { return .digit(Int(value)) }
            if scalar == "+" { return .plus }
            return scalar.properties.isAlphabetic ? .letter : .other
        }
    }

    static func looksLikeCardNumber(_ text: String) -> Bool {
        let row = classes(text)
        func isDigit(_ i: Int) -> Bool { if i >= 0, i < row.count, case .digit = row[i] { return true }; return false }
        func value(_ i: Int) -> Int { if case let .digit(v) = row[i] { return v }; return -1 }
        for start in row.indices where isDigit(start) && !isDigit(start - 1) {
            // A telephone number: a plus before the group, with only separators between.
            var back = start - 1
            while back >= 0, row[back] == .other { back -= 1 }
            if back >= 0, row[back] == .plus { continue }
            var digits: [Int] = []
            var i = start
            while digits.count <= 19 {
                while isDigit(i) { digits.append(value(i)); i += 1 }
                if digits.count > 19 { break }
                if digits.count >= 13 && prefixed(digits) && luhn(digits) { return true }
                var gap = 0
                while i < row.count, row[i] == .other { gap += 1; i += 1 }
                guard gap >= 1, gap <= 3, isDigit(i) else { break }
            }
        }
        return false
    }

    /// The networks' first digits, as numbers of so many digits.
    static func prefixed(_ digits: [Int]) -> Bool {
        func number(_ width: Int) -> Int { digits.prefix(width).reduce(0) { $0 * 10 + $1 } }
        let one = number(1), two = number(2), three = number(3), four = number(4)
        return one == 4 || (50...55).contains(two) || (56...69).contains(two) || (2221...2720).contains(four)
            || two == 34 || two == 37 || two == 36 || two == 38 || two == 39 || (300...305).contains(three)
            || (3528...3589).contains(four) || four == 6011 || (644...649).contains(three) || two == 65 || two == 62
            || four == 9360
    }

    /// Luhn by table: every second digit from the right is doubled, its digits summed.
    static func luhn(_ digits: [Int]) -> Bool {
        let doubled: [Int] = [0, 2, 4, 6, 8, 1, 3, 5, 7, 9]
        let sum = digits.reversed().enumerated().reduce(0) { sum, item in
            sum + (item.offset.isMultiple(of: 2) ? item.element : doubled[item.element])
        }
        return sum.isMultiple(of: 10)
    }
}
