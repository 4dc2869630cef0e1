import Foundation
import GRDB

extension Accounts {
    /// Adds a cashier or a manager, verified at once (a manager vouches for them).
    ///
    /// ```swift
    /// let cashier = try await box.accounts.addStaff(
    ///     name: "Budi", email: "budi@example.com", role: .cashier, password: password, by: manager)
    /// ```
    ///
    /// - Parameters:
    ///   - name: Their name.
    ///   - email: Their email address, which they log in with.
    ///   - role: ``Role/cashier`` or ``Role/manager``; customers register themselves.
    ///   - password: Their first password (at least 8 characters), hashed with yescrypt.
    ///   - principal: Who adds them: head office (a manager of no cinema; the ownership table's `users.staff insert`).
    /// - Throws: ``AccountError/notAllowed(_:)`` unless `principal` acts as head office;
    ///   ``InputError`` naming `name`, `email`, `role` or `password`;
    ///   ``AccountError/emailAlreadyRegistered(_:)``.
    public func addStaff(name: String, email: String, role: Role, password: String, by principal: Principal) async throws -> User {
        try principal.require(.insert(.staff, doing: "add staff"))
        let name = try AccountInput.name(name)
        let email = try AccountInput.email(email)
        guard role != .customer else {
            throw InputError(field: "role", reason: "must be cashier or manager (customers register themselves)")
        }
        try AccountInput.checkPassword(password, email: email)
        let hash = try PasswordHasher.hash(password)
        let now = box.now
        let user =         try await box.write { db, stamp in
            guard try User.filter(Column("email") == email).fetchCount(db) == 0 else {
                throw AccountError.emailAlreadyRegistered(email)
            }
            let user = User(
                id: EntityID.make(at: now), name: name, email: email, phone: nil, role: role,
                cinemaID: nil, verifiedAt: now, createdAt: now, updatedAt: now,
                passwordHash: hash, failedLogins: 0, lockedUntil: nil, hlc: stamp.description)
            try user.insertAccount(db)
            return user
        }
        box.logger.debug("staff added", metadata: ["user_id": "\(user.id)", "role": "\(role.rawValue)", "by": "\(principal.userID)"])
        return user
    }

    /// One page of all users, staff first (managers, then cashiers), then customers, by email.
    ///
    /// ```swift
    /// let page = try await box.accounts.users(page: PageRequest(page: 1, limit: 50), by: manager)
    /// ```
    ///
    /// - Throws: ``AccountError/notAllowed(_:)`` unless `principal` is a manager; ``InputError``
    ///   for a bad page request.
    public func users(page request: PageRequest = PageRequest(), by principal: Principal) async throws -> Page<User> {
        try principal.require(.manager, toDo: "list users")
        let request = try request.validated()
        return try await box.read { db in
            let total = try User.fetchCount(db)
            let users = try User.fetchAll(db, sql: """
                SELECT * FROM users
                ORDER BY CASE role WHEN 'manager' THEN 0 WHEN 'cashier' THEN 1 ELSE 2 END, email
                LIMIT ? OFFSET ?
                """, arguments: [request.limit, request.offset])
            return Page(items: users, page: request.page, limit: request.limit, total: total)
        }
    }
}
