extension PaymentReference {
    /// The trimmed reference (`nil` when empty), or an error when it is malformed or looks like a card number.
    ///
    /// The checks are ``checked(_:)``; this only words their ``Problem`` as the kit's errors.
    ///
    /// - Throws: ``SaleError/cardNumberInReference``, or ``InputError`` for the `reference` field.
    static func validated(_ raw: String?) throws -> String? {
        do {
            return try checked(raw)
        } catch {
            switch error {
            case .cardNumber:
                throw SaleError.cardNumberInReference
            case .tooLong:
                throw InputError(field: "reference", reason: "must be at most \(maximumLength) characters")
            case .notPrintable:
                throw InputError(field: "reference", reason: "must be printable ASCII (letters, digits, - / . :)")
            }
        }
    }
}
