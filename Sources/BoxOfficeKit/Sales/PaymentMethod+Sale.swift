import GRDB

extension PaymentMethod {
    /// The method a payment names by its code (or id), if it is switched on, or
    /// ``SaleError/unknownPaymentMethod(_:)`` / ``SaleError/paymentMethodDisabled(_:)``.
    static func forPayment(_ db: Database, code: String) throws -> PaymentMethod {
        let key = code.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard let method = try find(db, codeOrID: key) else { throw SaleError.unknownPaymentMethod(key) }
        guard method.enabled else { throw SaleError.paymentMethodDisabled(method.code) }
        return method
    }

    /// Throws ``SaleError/referenceRequired(method:)`` unless a reference is given or the method is cash.
    func checkReference(_ reference: String?) throws(SaleError) {
        guard reference != nil || kind == .cash else { throw SaleError.referenceRequired(method: name) }
    }
}
