import Foundation
import Testing
import TestSupport
@testable import BoxOfficeKit

/// `payment_details` as the old API's clients send it: a reference passes, card data in any
/// field (by its name or by the card-data rule) refuses the whole payment.
struct PaymentDetailsTests {
    @Test func aReferenceIsTaken() throws {
        #expect(try PaymentDetails(["reference": "  QR-88123 "]).reference == "QR-88123")
        #expect(try PaymentDetails(["Payment_Reference": "VA-8808123456789012"]).reference == "VA-8808123456789012")
        #expect(try PaymentDetails([:]).reference == nil)
        // Empty card fields (the old clients' default) and unrelated notes carry nothing.
        #expect(try PaymentDetails(["card_number": "", "cvv": " ", "note": "seat by the aisle", "reference": "GOPAY-1"]).reference == "GOPAY-1")
    }

    @Test(arguments: [
        ["card_number": "4000056655665556"], ["CardNumber": "1234"], ["cvv": "739"], ["CVV": "418"], ["expiry_date": "09/31"],
        ["ExpiryDate": "11/30"], ["reference": "4111 1111 1111 1111"], ["note": "EXP 12/27"], ["memo": "cvv 123"],
        ["reference": "QR-1", "extra": "5555-5555-5555-4444"],
    ])
    func cardDataIsRefused(_ fields: [String: String]) {
        #expect(throws: SaleError.cardNumberInReference) { try PaymentDetails(fields) }
    }

    @Test func aMalformedReferenceNamesItsField() {
        #expect(throws: InputError(field: "reference", reason: "must be at most 64 characters")) {
            try PaymentDetails(["reference": String(repeating: "R", count: 65)])
        }
    }

    @Test func everyCardLikeStringOfTheSharedListIsRefused() {
        for text in CardLikeStrings.all {
            #expect(throws: SaleError.cardNumberInReference, "\(text)") { try PaymentDetails(["note": text]) }
        }
    }
}
