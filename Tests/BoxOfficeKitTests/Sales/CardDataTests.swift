import Testing
import TestSupport
@testable import BoxOfficeKit

/// Issue 15, items 3 and 12: the one sanitiser of human-entered text (``HumanText``) and its card
/// filter (``CardData``). Card data in any of the ways people write it is refused everywhere;
/// what only looks like it — phones, virtual accounts, QRIS and EDC references, addresses — is not.
struct CardDataTests {
    /// Every card-like string of issue 15, and more of the same kind.
    static let cardLike = CardLikeStrings.all

    /// What card data is not: all accepted.
    static let notCardData = CardLikeStrings.lookalikes

    @Test(arguments: cardLike)
    func cardDataIsFound(_ text: String) {
        #expect(CardData.isPresent(in: text))
        #expect(throws: InputError(field: "name", reason: "must not contain card data (a card number, expiry or CVV)")) {
            try HumanText.checked(text, field: "name", maximum: 200)
        }
        #expect(throws: PaymentReference.Problem.cardNumber) { try PaymentReference.checked(text) }
    }

    @Test(arguments: notCardData)
    func lookalikesPass(_ text: String) throws {
        #expect(!CardData.isPresent(in: text))
        #expect(try HumanText.checked(text, field: "name", maximum: 200) == text)
    }

    @Test(arguments: ["Line1\nTOTAL Rp 0", "\u{1B}[2J", "Sari\u{7}", "Budi\rTOTAL", "Sari\u{202E}0 pR", "tab\there", "a\u{85}b"])
    func controlCharactersAreRefused(_ text: String) {
        #expect(throws: InputError.self) { try HumanText.checked(text, field: "name", maximum: 200) }
        do {
            _ = try HumanText.checked(text, field: "name", maximum: 200)
        } catch {
            #expect(error.reason.hasPrefix("must not contain control characters"))
        }
    }

    /// What is sanitised instead of refused (an import's old names) is what ``HumanText/checked``
    /// accepts, or nothing when it held card data.
    @Test func theSanitisedTextIsOneTheCheckAccepts() throws {
        for text in Self.cardLike { #expect(HumanText.sanitised("Budi " + text, maximum: 200).text == nil, "\(text)") }
        for text in Self.notCardData { #expect(HumanText.sanitised(text, maximum: 200) == .init(text: text, change: nil)) }
        #expect(HumanText.sanitised("Line1\nTOTAL Rp 0", maximum: 100) == .init(text: "Line1 TOTAL Rp 0", change: "control characters replaced by spaces"))
        #expect(HumanText.sanitised(" \u{1B} ", maximum: 100).text == nil)
        #expect(HumanText.sanitised(String(repeating: "a", count: 120), maximum: 100).change == "cut to 100 characters")
        // Cutting a 20-digit number (no card number: too long) short leaves one, which is not kept.
        #expect(!CardData.isPresent(in: "41111111111111111110"))
        #expect(HumanText.sanitised("41111111111111111110", maximum: 16).text == nil)
        for text in ["Sari\u{202E}0 pR", "tab\there", "a\u{85}b", "\u{1B}[2J"] {
            let kept = try #require(HumanText.sanitised(text, maximum: 100).text)
            #expect(try HumanText.checked(kept, field: "name", maximum: 100) == kept)
        }
    }

    @Test func theLengthIsBounded() throws {
        #expect(try HumanText.checked(String(repeating: "a", count: 100), field: "name", maximum: 100).count == 100)
        #expect(throws: InputError(field: "name", reason: "must be at most 100 characters")) {
            try HumanText.checked(String(repeating: "a", count: 101), field: "name", maximum: 100)
        }
    }
}
