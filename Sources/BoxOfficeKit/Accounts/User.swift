import Foundation
import GRDB

/// A person who can log in: a customer, a cashier or a manager.
///
/// The password hash never leaves the kit through this type's `Encodable` conformance.
public struct User: Sendable, Hashable, Identifiable, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "users"

    /// The user's UUIDv7 id.
    public var id: String
    /// The name shown on receipts and greetings.
    public var name: String
    /// The email, lower-cased; unique in the store.
    public var email: String
    /// The phone number in E.164 form (`+6281234567890`), if given.
    public var phone: String?
    /// What the user may do.
    public var role: Role
    /// The cinema a staff member works at, if bound to one.
    public var cinemaID: String?
    /// When the user proved they own the email; `nil` until then.
    public var verifiedAt: Date?
    public var createdAt: Date
    public var updatedAt: Date

    var passwordHash: String
    var failedLogins: Int
    var lockedUntil: Date?
    var hlc: String

    /// Whether the user has verified their email.
    public var isVerified: Bool { verifiedAt != nil }

    enum CodingKeys: String, CodingKey {
        case id, name, email, phone, role
        case cinemaID = "cinema_id"
        case verifiedAt = "verified_at"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case passwordHash = "password_hash"
        case failedLogins = "failed_logins"
        case lockedUntil = "locked_until"
        case hlc
    }

    /// Encodes the public fields only: never the password hash or the throttling state.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(email, forKey: .email)
        try container.encode(phone, forKey: .phone)
        try container.encode(role, forKey: .role)
        try container.encode(cinemaID, forKey: .cinemaID)
        try container.encode(verifiedAt, forKey: .verifiedAt)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }

    /// Writes every column, the private ones included (the public `encode(to:)` hides them).
    public func encode(to container: inout PersistenceContainer) throws {
        container["id"] = id
        container["name"] = name
        container["email"] = email
        container["phone"] = phone
        container["role"] = role.rawValue
        container["cinema_id"] = cinemaID
        container["verified_at"] = verifiedAt
        container["created_at"] = createdAt
        container["updated_at"] = updatedAt
        container["password_hash"] = passwordHash
        container["failed_logins"] = failedLogins
        container["locked_until"] = lockedUntil
        container["hlc"] = hlc
    }
}
