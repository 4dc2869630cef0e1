import GRDB

/// A payment method as sales needs it.
struct SalePaymentMethod {
    var id: String
    var code: String
    var name: String
    var kind: String

    /// The enabled method with this code, or ``SaleError/unknownPaymentMethod(_:)`` /
    /// ``SaleError/paymentMethodDisabled(_:)``.
    static func enabled(_ db: Database, code raw: String) throws -> SalePaymentMethod {
        let code = raw.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard let row = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT id, code, name, kind, enabled FROM payment_methods WHERE code = ?"), arguments: [code])
        else { throw SaleError.unknownPaymentMethod(code) }
        guard (row["enabled"] as Int) == 1 else { throw SaleError.paymentMethodDisabled(code) }
        return SalePaymentMethod(id: row["id"], code: row["code"], name: row["name"], kind: row["kind"])
    }

    /// Throws ``SaleError/referenceRequired(method:)`` unless a reference is given or the method is cash.
    func checkReference(_ reference: String?) throws {
        guard reference != nil || kind == "cash" else { throw SaleError.referenceRequired(method: name) }
    }
}
