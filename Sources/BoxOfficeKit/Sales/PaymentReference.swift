import Foundation

/// Checks the external reference of a payment: an EDC approval code or a QRIS reference, never
/// card data (``CardData``: a card number, or a labelled expiry or CVV). Nothing here logs or keeps the text it rejects.
///
/// The checks throw ``Problem``; `PaymentReference+SaleError.swift` says each in the kit's errors
/// (``validated(_:)``), so that this file compiles with `Core/CardData.swift` alone for the fuzz build (`scripts/fuzz.sh`).
enum PaymentReference {
    /// The longest reference accepted.
    static let maximumLength = 64

    /// What is wrong with a reference, most serious first: the order ``checked(_:)`` tests them in.
    enum Problem: Error, Equatable {
        /// It holds card data (``looksLikeCardNumber(_:)``).
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

    /// Whether `text` holds card data: a card number (with any separators), or an expiry or CVV
    /// labelled as one (``CardData``).
    static func looksLikeCardNumber(_ text: String) -> Bool {
        CardData.isPresent(in: text)
    }
}
