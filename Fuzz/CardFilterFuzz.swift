// libFuzzer target: the card-data filter on payment references (Sources/BoxOfficeKit/Sales/
// PaymentReference.swift). References are typed at counters and travel to head office and to every
// receipt; a card number must never get through. Built and run by scripts/fuzz.sh.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func cardFilterFuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let text = fuzzText(start, count)
    let cardLike = CardOracle.looksLikeCardNumber(text)
    require(PaymentReference.looksLikeCardNumber(text) == cardLike,
            "the filter says \(!cardLike) for \(text.debugDescription); an independent Luhn check says \(cardLike)")
    let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    do {
        let reference = try PaymentReference.checked(text)
        // What passes is the trimmed text, short, printable and no card number.
        require(reference == (trimmed.isEmpty ? nil : trimmed), "\(text.debugDescription) passes as \(reference.debugDescription)")
        if let reference {
            require(!CardOracle.looksLikeCardNumber(reference), "\(reference.debugDescription) passes with a card number")
            require(reference.utf8.count <= PaymentReference.maximumLength
                    && reference.utf8.allSatisfy { (0x20..<0x7F).contains($0) }, "\(reference.debugDescription) passes")
        }
    } catch {
        switch error {
        case .cardNumber: require(CardOracle.looksLikeCardNumber(trimmed), "\(text.debugDescription) refused as a card number")
        case .tooLong: require(trimmed.count > PaymentReference.maximumLength, "\(text.debugDescription) refused as too long")
        case .notPrintable: require(!trimmed.utf8.allSatisfy { (0x20..<0x7F).contains($0) }, "\(text.debugDescription) refused as unprintable")
        }
    }
    return 0
}

/// The filter's documented rule, written again over UTF-8 bytes: a run of 13 to 19 ASCII digits,
/// single spaces or dashes between digits allowed, whose Luhn sum is a multiple of ten.
enum CardOracle {
    static func looksLikeCardNumber(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        func isDigit(_ index: Int) -> Bool { index < bytes.count && (0x30...0x39).contains(bytes[index]) }
        var index = 0
        while index < bytes.count {
            guard isDigit(index) else { index += 1; continue }
            var digits: [UInt8] = []
            while isDigit(index) {
                digits.append(bytes[index] - 0x30)
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "-"), isDigit(index + 1) {
                    index += 1
                }
            }
            if (13...19).contains(digits.count) && luhn(digits) { return true }
        }
        return false
    }

    /// Luhn by table: every second digit from the right is doubled, its digits summed.
    static func luhn(_ digits: [UInt8]) -> Bool {
        let doubled: [Int] = [0, 2, 4, 6, 8, 1, 3, 5, 7, 9]
        let sum = digits.reversed().enumerated().reduce(0) { sum, item in
            sum + (item.offset.isMultiple(of: 2) ? Int(item.element) : doubled[Int(item.element)])
        }
        return sum.isMultiple(of: 10)
    }
}
