import Foundation

/// What a payment's details may carry from a front such as the old API's `payment_details`: the
/// payment's external reference, and never card data.
///
/// A field named for card data (`card_number`, `cvv`, `expiry_date`, in any case, with or without
/// the underscore) that holds anything at all is card data; so is any value in which the kit's
/// card-data rule (`CardData`) finds a card number or a labelled expiry or CVV. Either refuses
/// the whole payment — nothing of it is stored or logged. The reference is `reference` (or
/// `payment_reference`) and is checked like every payment reference.
///
/// ```swift
/// let details = try PaymentDetails(["reference": "QR-88123"])          // details.reference == "QR-88123"
/// _ = try PaymentDetails(["card_number": "4111 1111 1111 1111"])      // throws SaleError.cardNumberInReference
/// ```
public struct PaymentDetails: Sendable, Hashable {
    /// The field names that say their value is card data, lower-cased without underscores.
    public static let cardFields: Set<String> = [
        "cardnumber", "number", "pan", "cvv", "cvc", "cvv2", "cvc2", "securitycode", "expirydate", "expiry",
        "expiration", "expirationdate", "exp", "expmonth", "expyear",
    ]

    /// The external reference of the payment (a QRIS, e-wallet or virtual-account reference), if given.
    public var reference: String?

    /// Reads payment details, refusing card data.
    ///
    /// - Parameter fields: The details' fields as they came, every value as text.
    /// - Throws: ``SaleError/cardNumberInReference`` for card data, ``InputError`` for a malformed reference.
    public init(_ fields: [String: String]) throws {
        for (name, value) in fields {
            let key = name.lowercased().replacingOccurrences(of: "_", with: "").replacingOccurrences(of: "-", with: "")
            let holdsSomething = !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
            if (Self.cardFields.contains(key) && holdsSomething) || CardData.isPresent(in: value) {
                throw SaleError.cardNumberInReference
            }
        }
        let given = fields.first { ["reference", "payment_reference", "paymentreference"].contains($0.key.lowercased()) }
        reference = try PaymentReference.validated(given?.value)
    }
}
