import Foundation
import GRDB

extension Catalog {
    /// The payment methods, in the order the counter shows them (the old API's `GET /api/payment-methods`).
    ///
    /// ```swift
    /// let offered = try await box.catalog.paymentMethods(includingDisabled: false)
    /// ```
    ///
    /// - Parameter includingDisabled: Whether to list disabled methods too (the default).
    public func paymentMethods(includingDisabled: Bool = true) async throws -> [PaymentMethod] {
        try await box.read { db in
            var request = PaymentMethod.order(Column("sort_order"), Column("code"))
            if !includingDisabled { request = request.filter(Column("enabled") == true) }
            return try request.fetchAll(db)
        }
    }

    /// Enables or disables a payment method; disabled methods are not offered for new payments.
    ///
    /// ```swift
    /// try await box.catalog.setPaymentMethod("ovo", enabled: false, by: manager)
    /// ```
    ///
    /// - Parameters:
    ///   - codeOrID: The method's code (`qris`), name, id or a prefix (``findPaymentMethod(_:)``).
    ///   - enabled: Whether to offer it.
    ///   - principal: Who changes it: head office (a manager of no cinema).
    /// - Returns: The method as changed. Setting the state it already has changes nothing.
    /// - Throws: ``CatalogError/paymentMethodNotFound(_:)``; ``AccountError/notAllowed(_:)``.
    @discardableResult
    public func setPaymentMethod(_ codeOrID: String, enabled: Bool, by principal: Principal) async throws -> PaymentMethod {
        try principal.require(.update(.paymentMethods, doing: enabled ? "enable a payment method" : "disable a payment method"))
        let key = codeOrID.trimmingCharacters(in: .whitespaces)
        let now = box.now
        return try await box.write { db, stamp in
            var method = try PaymentMethod.find(db, reference: key)
            guard method.enabled != enabled else { return method }
            method.enabled = enabled
            method.updatedAt = now
            method.hlc = stamp.description
            try method.update(db)
            return method
        }
    }
}
