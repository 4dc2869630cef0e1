import GRDB

extension PaymentMethod {
    /// The method a payment names (by code, name or a prefix: ``Catalog/findPaymentMethod(_:)``),
    /// if it is switched on, or ``CatalogError/ambiguous(_:query:candidates:)``,
    /// ``SaleError/unknownPaymentMethod(_:)`` / ``SaleError/paymentMethodDisabled(_:)``.
    static func forPayment(_ db: Database, code: String) throws -> PaymentMethod {
        let key = code.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let method: PaymentMethod
        do {
            method = try find(db, reference: key)
        } catch CatalogError.paymentMethodNotFound {
            throw SaleError.unknownPaymentMethod(key)
        }
        guard method.enabled else { throw SaleError.paymentMethodDisabled(method.code) }
        return method
    }

    /// Whether the method is taken only at a counter: cash, and cards on the EDC terminal.
    var isCounterOnly: Bool { kind == .cash || kind == .card }

    /// Throws ``SaleError/referenceRequired(method:)`` unless a reference is given or the method is cash.
    func checkReference(_ reference: String?) throws(SaleError) {
        guard reference != nil || kind == .cash else { throw SaleError.referenceRequired(method: name) }
    }
}
