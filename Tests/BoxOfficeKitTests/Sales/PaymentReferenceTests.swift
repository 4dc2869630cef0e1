import Testing
@testable import BoxOfficeKit

/// What the fuzz target `card-filter` (`Fuzz/CardFilterFuzz.swift`) found in the card-data filter.
struct PaymentReferenceTests {
    /// Found by fuzzing (`Fuzz/regressions/card-filter/combining-mark.txt`): the filter read
    /// characters, and a digit that carries a combining mark (U+0301, U+064F) is no digit as a
    /// character, so a card number whose last digit carried one was not a card number to it. (A
    /// mark inside the number still ends its run of digits, as any character but a digit, a space
    /// or a dash does.)
    @Test(arguments: ["4111111111111111\u{301}", "4111 1111 1111 1111\u{64F} ok", "5500-0000-0000-0004\u{20E3}"])
    func aCombiningMarkDoesNotHideACardNumber(_ text: String) throws {
        #expect(PaymentReference.looksLikeCardNumber(text))
        // Refused as card data (most serious first), not merely as unprintable.
        #expect(throws: PaymentReference.Problem.cardNumber) { try PaymentReference.checked(text) }
    }
}
