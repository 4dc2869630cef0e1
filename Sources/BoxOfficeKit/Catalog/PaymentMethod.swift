import Foundation
import GRDB

/// A way to pay at the counter: cash, a card on the EDC terminal, QRIS, an e-wallet, a virtual account.
///
/// Every store starts with the same seeded methods; a manager enables or disables them. A payment
/// records the method and an external reference only, never card data.
///
/// ```swift
/// let methods = try await box.catalog.paymentMethods(includingDisabled: false)
/// print(methods.map(\.name))   // ["Cash", "Debit card (EDC terminal)", …]
/// ```
public struct PaymentMethod: Sendable, Hashable, Identifiable, Codable, FetchableRecord, PersistableRecord {
    /// The table of the store that holds these rows: "payment_methods".
    public static let databaseTableName = "payment_methods"

    /// The method's id (the same in every store for the seeded methods).
    public var id: String
    /// The short code scripts use, e.g. `qris`.
    public var code: String
    /// The name a cashier reads, e.g. `QRIS`.
    public var name: String
    /// What sort of method it is.
    public var kind: Kind
    /// Whether the counter offers it now.
    public var enabled: Bool
    /// Its place in lists, from the top.
    public var sortOrder: Int
    /// When the method was added.
    public var createdAt: Date
    /// When the method was last changed.
    public var updatedAt: Date
    /// The HLC stamp of the last local change.
    var hlc: String = ""

    /// What sort of payment method it is.
    public enum Kind: String, Sendable, Hashable, Codable, DatabaseValueConvertible {
        /// Notes and coins at the counter.
        case cash
        /// A debit or credit card on the EDC terminal.
        case card
        /// Indonesia's standard payment QR code.
        case qris
        /// An e-wallet such as GoPay or OVO.
        case ewallet
        /// A bank virtual account.
        case virtualAccount = "virtual_account"
    }

    enum CodingKeys: String, CodingKey {
        case id, code, name, kind, enabled
        case sortOrder = "sort_order"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    /// Writes every column, `hlc` included (the `Encodable` form leaves it out).
    public func encode(to container: inout PersistenceContainer) throws {
        container["id"] = id
        container["code"] = code
        container["name"] = name
        container["kind"] = kind.rawValue
        container["enabled"] = enabled
        container["sort_order"] = sortOrder
        container["created_at"] = createdAt
        container["updated_at"] = updatedAt
        container["hlc"] = hlc
    }
}

extension PaymentMethod {
    /// The method whose code or id is `key` (already trimmed and lower-cased), or `nil`, through a
    /// cached statement: every payment looks its method up.
    static func find(_ db: Database, codeOrID key: String) throws -> PaymentMethod? {
        try PaymentMethod.fetchOne(db.cachedStatement(sql: "SELECT * FROM payment_methods WHERE code = ? OR id = ?"),
                                   arguments: [key, key])
    }

    /// Reads a row of `payment_methods`, `hlc` included (the `Decodable` form leaves it out).
    public init(row: Row) throws {
        id = row["id"]
        code = row["code"]
        name = row["name"]
        kind = row["kind"]
        enabled = row["enabled"]
        sortOrder = row["sort_order"]
        createdAt = row["created_at"]
        updatedAt = row["updated_at"]
        hlc = row["hlc"]
    }
}
