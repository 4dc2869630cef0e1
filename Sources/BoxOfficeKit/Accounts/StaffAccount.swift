import Foundation

/// A staff account as head office makes it: staff accounts, their roles and their passwords change
/// online at head office, never by a counter's push (the ownership table, `schemas/permissions.csv`),
/// and reach the counters through head office's feed.
///
/// The checks and the hash are the kit's own, so an account made at head office is one a counter
/// logs in with. `SyncAgent.HeadOffice` writes it:
///
/// ```swift
/// let account = try StaffAccount(name: "Budi", email: "budi@example.com", role: .cashier,
///                                cinemaID: braga.id, password: password)
/// try headOffice.addStaff(account)
/// ```
public struct StaffAccount: Sendable, Hashable {
    /// The new account's UUIDv7 id.
    public let id: String
    /// The name shown on receipts and greetings.
    public let name: String
    /// The email, lower-cased.
    public let email: String
    /// ``Role/cashier`` or ``Role/manager``.
    public let role: Role
    /// The cinema the account works at; `nil` for the whole chain.
    public let cinemaID: String?
    /// The password's yescrypt hash.
    let passwordHash: String
    /// When the account was made.
    public let createdAt: Date

    /// Checks and hashes a new staff account as ``Accounts/addStaff(name:email:role:password:by:)``
    /// does at a counter.
    ///
    /// - Throws: ``InputError`` naming `name`, `email`, `role` or `password`.
    public init(name: String, email: String, role: Role, cinemaID: String?, password: String, now: Date = Date()) throws {
        let email = try AccountInput.email(email)
        guard role != .customer else {
            throw InputError(field: "role", reason: "must be cashier or manager (customers register themselves)")
        }
        try AccountInput.checkPassword(password, email: email)
        self.id = EntityID.make(at: now)
        self.name = try AccountInput.name(name)
        self.email = email
        self.role = role
        self.cinemaID = cinemaID
        self.passwordHash = try PasswordHasher.hash(password)
        self.createdAt = now
    }

    /// The account as a row of the change log's `users` payload (`schemas/payloads.csv`), without
    /// `hlc`, which head office stamps: verified at once, as staff added by a manager are.
    public func payload() throws -> String {
        let instant = createdAt.storeText
        let object: [String: Any] = [
            "id": id, "name": name, "email": email, "phone": NSNull(), "password_hash": passwordHash, "role": role.rawValue,
            "cinema_id": cinemaID ?? NSNull(), "verified_at": instant, "created_at": instant, "updated_at": instant,
        ]
        return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    /// A new password's hash, checked as a counter checks one, for the account of `email`.
    ///
    /// - Throws: ``InputError`` naming `password`.
    public static func passwordHash(for password: String, email: String) throws -> String {
        try AccountInput.checkPassword(password, email: email.lowercased())
        return try PasswordHasher.hash(password)
    }

    /// Whether `password` is the one `storedHash` was made from (in constant time).
    public static func verify(_ password: String, against storedHash: String) -> Bool {
        PasswordHasher.verify(password, against: storedHash)
    }
}
