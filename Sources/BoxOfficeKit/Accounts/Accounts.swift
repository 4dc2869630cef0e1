import Crypto
import Foundation
import GRDB

extension BoxOffice {
    /// Registration, verification, login sessions and staff.
    public var accounts: Accounts { Accounts(box: self) }
}

/// Everything about who may use the box office: customers, staff and their sessions.
///
/// ```swift
/// let session = try await box.accounts.login(email: "cashier@demo.example", password: "demo-pass-123")
/// let principal = try await box.accounts.authenticate(token: session.token)
/// ```
///
/// ## Topics
///
/// ### Registering customers
/// - ``register(name:email:phone:password:by:)``
/// - ``verify(email:code:)``
/// - ``resendCode(email:)``
///
/// ### Sessions
/// - ``login(email:password:)``
/// - ``authenticate(token:)``
/// - ``logout(token:)``
///
/// ### Staff
/// - ``createFirstManager(name:email:password:)``
/// - ``addStaff(name:email:role:password:by:)``
/// - ``users(page:by:)``
/// - ``user(id:)``
public struct Accounts: Sendable {
    let box: BoxOffice

    /// After this many wrong passwords in a row an account is locked for ``lockoutDuration``.
    public static let maximumFailedLogins = 5
    /// How long a locked account stays locked.
    public static let lockoutDuration: Duration = .seconds(15 * 60)

    /// Creates the store's first manager, verified at once: how a new counter is set up.
    ///
    /// - Throws: ``AccountError/alreadyInitialised`` when the store has a manager already;
    ///   ``InputError`` for a bad name, email or password.
    public func createFirstManager(name: String, email: String, password: String) async throws -> User {
        let name = try AccountInput.name(name)
        let email = try AccountInput.email(email)
        try AccountInput.checkPassword(password, email: email)
        let hash = try PasswordHasher.hash(password)
        let now = box.now
        return         try await box.write { db, stamp in
            let managers = try User.filter(Column("role") == Role.manager.rawValue).fetchCount(db)
            guard managers == 0 else { throw AccountError.alreadyInitialised }
            guard try User.filter(Column("email") == email).fetchCount(db) == 0 else {
                throw AccountError.emailAlreadyRegistered(email)
            }
            let user = User(
                id: EntityID.make(at: now), name: name, email: email, phone: nil, role: .manager,
                cinemaID: nil, verifiedAt: now, createdAt: now, updatedAt: now,
                passwordHash: hash, failedLogins: 0, lockedUntil: nil, hlc: stamp.description)
            try user.insertAccount(db)
            return user
        }
    }

    /// Logs a user in with email and password and starts a session.
    ///
    /// A wrong password counts towards the lockout; a right one resets the count and, for an old
    /// bcrypt hash, stores a yescrypt hash instead. The count and the lock are read and written in
    /// one transaction, so logins racing in several processes cannot lose a failure.
    ///
    /// ```swift
    /// let session = try await box.accounts.login(email: "cashier@demo.example", password: "demo-pass-123")
    /// ```
    ///
    /// - Returns: The new session; its token is shown only here.
    /// - Throws: ``AccountError/wrongCredentials``, ``AccountError/notVerified(email:)``,
    ///   ``AccountError/locked(until:)``.
    public func login(email: String, password: String) async throws -> LoginSession {
        let email = email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let now = box.now
        let lifetime = box.configuration.sessionLifetime.timeInterval
        guard let user = try await box.read({ db in try User.filter(Column("email") == email).fetchOne(db) }) else {
            // Spend the time a real check would, so response time does not reveal who is registered.
            _ = PasswordHasher.verify(password, against: AccountInput.decoyHash)
            throw AccountError.wrongCredentials
        }
        if let lockedUntil = user.lockedUntil, lockedUntil > now {
            throw AccountError.locked(until: lockedUntil)
        }
        let passwordMatches = PasswordHasher.verify(password, against: user.passwordHash)
        let rehash = passwordMatches && PasswordHasher.needsRehash(user.passwordHash)
            ? try PasswordHasher.hash(password) : nil
        let checkedHash = user.passwordHash

        let outcome: Result<LoginSession, AccountError> = try await box.write { db, stamp in
            // Read the throttling state again inside the transaction: another login may have moved it.
            guard var user = try User.fetchOne(db, key: user.id) else { return .failure(.wrongCredentials) }
            if let lockedUntil = user.lockedUntil, lockedUntil > now {
                return .failure(.locked(until: lockedUntil))
            }
            guard passwordMatches, user.passwordHash == checkedHash else {
                user.failedLogins += 1
                if user.failedLogins >= Self.maximumFailedLogins {
                    user.failedLogins = 0
                    user.lockedUntil = now.addingTimeInterval(Self.lockoutDuration.timeInterval)
                }
                // Only the local throttling columns: no change-log entry for a failed login.
                try db.execute(
                    sql: "UPDATE users SET failed_logins = ?, locked_until = ? WHERE id = ?",
                    arguments: [user.failedLogins, user.lockedUntil, user.id])
                if let lockedUntil = user.lockedUntil {
                    // A notice, not a warning: the person who typed the password reads the lockout as the error.
                    box.logger.notice("account locked after failed logins", metadata: ["user_id": "\(user.id)"])
                    return .failure(.locked(until: lockedUntil))
                }
                return .failure(.wrongCredentials)
            }
            guard user.isVerified else { return .failure(.notVerified(email: user.email)) }
            if user.failedLogins != 0 || user.lockedUntil != nil {
                try db.execute(
                    sql: "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ?", arguments: [user.id])
                user.failedLogins = 0
                user.lockedUntil = nil
            }
            if let rehash {
                user.passwordHash = rehash
                user.updatedAt = now
                user.hlc = stamp.description
                try user.update(db, columns: ["password_hash", "updated_at", "hlc"])
            }
            return .success(try Self.startSession(for: user, in: db, now: now, lifetime: lifetime))
        }
        let session = try outcome.get()
        box.logger.debug("logged in", metadata: ["user_id": "\(session.user.id)", "rehashed": "\(rehash != nil)"])
        return session
    }

    /// Inserts a session for `user` and returns it with its (only) copy of the token.
    static func startSession(for user: User, in db: Database, now: Date, lifetime: TimeInterval) throws -> LoginSession {
        let token = SessionToken.make()
        let expiresAt = now.addingTimeInterval(lifetime)
        try db.execute(
            sql: """
                INSERT INTO sessions (user_id, token_hash, created_at, last_active_at, expires_at)
                VALUES (?, ?, ?, ?, ?)
                """,
            arguments: [user.id, SessionToken.digest(token), now, now, expiresAt])
        return LoginSession(
            token: token, principal: Principal(userID: user.id, role: user.role, cinemaID: user.cinemaID), user: user, expiresAt: expiresAt)
    }

    /// Checks a session token and returns who it belongs to, extending the session.
    ///
    /// - Throws: ``AccountError/notLoggedIn`` for an unknown token, ``AccountError/sessionExpired``
    ///   or ``AccountError/sessionRevoked``.
    public func authenticate(token: String) async throws -> Principal {
        let digest = SessionToken.digest(token)
        let now = box.now
        let lifetime = box.configuration.sessionLifetime.timeInterval
        let outcome: Result<Principal, AccountError> = try await box.writer.write { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT s.id, s.expires_at, s.revoked_at, u.id AS user_id, u.role, u.cinema_id
                FROM sessions s JOIN users u ON u.id = s.user_id
                WHERE s.token_hash = ?
                """, arguments: [digest])
            else { return .failure(.notLoggedIn) }
            if (row["revoked_at"] as Date?) != nil { return .failure(.sessionRevoked) }
            guard (row["expires_at"] as Date) > now else { return .failure(.sessionExpired) }
            try db.execute(
                sql: "UPDATE sessions SET last_active_at = ?, expires_at = ? WHERE id = ?",
                arguments: [now, now.addingTimeInterval(lifetime), row["id"] as Int64])
            guard let role = Role(rawValue: row["role"]) else { throw StoreError.damaged("unknown role") }
            return .success(Principal(userID: row["user_id"], role: role, cinemaID: row["cinema_id"]))
        }
        return try outcome.get()
    }

    /// Ends a session: its token is refused from now on. Logging out twice is harmless.
    public func logout(token: String) async throws {
        let digest = SessionToken.digest(token)
        let now = box.now
        try await box.writer.write { db in
            try db.execute(
                sql: "UPDATE sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL",
                arguments: [now, digest])
        }
    }

    /// The user with this id.
    ///
    /// - Throws: ``AccountError/userNotFound(_:)``.
    public func user(id: String) async throws -> User {
        guard let user = try await box.read({ db in try User.fetchOne(db, key: id) }) else {
            throw AccountError.userNotFound(id)
        }
        return user
    }
}

/// Session tokens: 256 random bits shown once; only their SHA-256 is stored.
enum SessionToken {
    static func make() -> String {
        let key = SymmetricKey(size: .bits256)
        let data = key.withUnsafeBytes { Data($0) }
        return data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func digest(_ token: String) -> String {
        Hex.string(SHA256.hash(data: Data(token.utf8)))
    }
}
