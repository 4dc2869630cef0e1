import Foundation

/// Checks the external reference of a payment: an EDC approval code or a QRIS reference, never a
/// card number. Nothing here logs or keeps the text it rejects.
///
/// The checks throw ``Problem``; `PaymentReference+SaleError.swift` says each in the kit's errors
/// (``validated(_:)``), so that this file compiles on its own for the fuzz build (`scripts/fuzz.sh`).
enum PaymentReference {
    /// The longest reference accepted.
    static let maximumLength = 64

    /// What is wrong with a reference, most serious first: the order ``checked(_:)`` tests them in.
    enum Problem: Error, Equatable {
        /// It looks like a card number (``looksLikeCardNumber(_:)``).
        case cardNumber
        /// It is longer than ``maximumLength``.
        case tooLong
        /// It holds something other than printable ASCII.
        case notPrintable
    }

    /// The trimmed reference (`nil` when empty), or the problem when it is malformed or looks like a
    /// card number.
    static func checked(_ raw: String?) throws(Problem) -> String? {
        let reference = raw?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard !reference.isEmpty else { return nil }
        guard looksLikeCardNumber(reference) == false else { throw .cardNumber }
        guard reference.count <= maximumLength else { throw .tooLong }
        guard reference.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F }) else {
            throw .notPrintable
        }
        return reference
    }

    /// Whether `text` holds a run of 13 to 19 digits (spaces and dashes between digits allowed, as
    /// card numbers are written) that passes the Luhn check.
    static func looksLikeCardNumber(_ text: String) -> Bool {
        var runs: [[Int]] = [[]]
        var previousWasDigit = false
        // Scalar by scalar, not character by character: a digit carrying a combining mark is one
        // character that is no digit, which hid the digit from the filter (found by fuzzing).
        for scalar in text.unicodeScalars {
            if ("0"..."9").contains(scalar) {
                runs[runs.count - 1].append(Int(scalar.value - ("0" as Unicode.Scalar).value))
                previousWasDigit = true
            } else if (scalar == " " || scalar == "-") && previousWasDigit {
                previousWasDigit = false   // a single separator inside a number
            } else {
                runs.append([])
                previousWasDigit = false
            }
        }
        return runs.contains { (13...19).contains($0.count) && passesLuhn($0) }
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
}
