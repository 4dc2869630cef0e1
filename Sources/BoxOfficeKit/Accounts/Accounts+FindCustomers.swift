import Foundation
import GRDB

extension Accounts {
    /// The most customers one search answers; a cashier types more of the name to narrow it.
    public static let customerSearchLimit = 10

    /// The customer accounts whose name, email or phone holds `query`, for staff booking or selling
    /// for a customer at the counter: by name, then email, at most ``customerSearchLimit``.
    ///
    /// Names and emails match in any case; a phone matches by its digits however it is typed
    /// (`0812-3456`, `+62 812 3456` and `812 3456` find `+6281234567890`). Staff accounts are never
    /// among them.
    ///
    /// ```swift
    /// let found = try await box.accounts.customers(matching: "sari", by: cashier)
    /// let sale = try await box.sales.sell(showtime: id, seats: ["F12"], for: .account(email: found.items[0].email),
    ///                                     method: "cash", by: cashier)
    /// ```
    ///
    /// - Parameters:
    ///   - query: What the cashier typed: at least 2 characters, at most 100, no control character.
    ///   - principal: Someone the ownership table lets book for another customer (staff).
    /// - Returns: A page of at most ``customerSearchLimit`` customers; `total` counts every match.
    /// - Throws: ``AccountError/notAllowed(_:)`` for a customer or no one; ``InputError`` naming
    ///   `query` for one too short, too long or with a control character.
    public func customers(matching query: String, by principal: Principal) async throws -> Page<User> {
        // Whoever may book for another customer may find them; nobody else sees their details.
        try principal.require(.insert(.bookings, of: .customer(nil), doing: "look up a customer"))
        let query = try HumanText.checked(query, field: "query", maximum: 100)
        guard query.count >= 2 else { throw InputError(field: "query", reason: "must be at least 2 characters") }
        let text = "%" + Self.escapedForLike(query.lowercased()) + "%"
        // A phone typed nationally (0812…) is stored as +62812…: its leading 0 is not searched.
        var digits = query.filter { $0.isASCII && $0.isNumber }
        if digits.hasPrefix("0") { digits.removeFirst() }
        let phone = digits.count >= 4 ? "%" + digits + "%" : nil
        let limit = Self.customerSearchLimit
        return try await box.read { db in
            let match = "role = 'customer' AND (lower(name) LIKE :text ESCAPE '\\' OR email LIKE :text ESCAPE '\\' OR phone LIKE :phone)"
            let arguments: StatementArguments = ["text": text, "phone": phone]
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM users WHERE \(match)", arguments: arguments) ?? 0
            let users = try User.fetchAll(db, sql: "SELECT * FROM users WHERE \(match) ORDER BY lower(name), email LIMIT \(limit)",
                                          arguments: arguments)
            return Page(items: users, page: 1, limit: limit, total: total)
        }
    }

    /// `text` with LIKE's wildcards and its escape character taken literally.
    private static func escapedForLike(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }
}
