import Foundation
import GRDB

extension Accounts {
    /// Registers a customer: validates the form, stores the user unverified, and queues a mail
    /// with a 6-digit verification code, all in one transaction.
    ///
    /// Deliver the mail at once with ``MailOutbox/deliver(id:using:policy:)`` when a mail server
    /// is configured; otherwise it waits in the outbox. Then call ``verify(email:code:)``.
    ///
    /// ```swift
    /// let registration = try await box.accounts.register(
    ///     name: "Siti", email: "siti@example.com", phone: "0812-3456-7890", password: password)
    /// _ = try await box.mail.deliver(id: registration.mailID, using: mailer)
    /// ```
    ///
    /// - Parameters:
    ///   - name: The customer's name, as receipts print it.
    ///   - email: Their email address; the code is mailed there.
    ///   - phone: An Indonesian mobile number (`08…` or `+62…`), stored as E.164 `+62…`.
    ///   - password: At least 8 characters, not the email; hashed with yescrypt.
    ///   - principal: Who registers them: `nil` for the customer themselves, not logged in, or
    ///     staff registering a customer at the counter (the ownership table, `users.customer insert`).
    /// - Throws: ``InputError`` naming `name`, `email`, `phone` or `password`;
    ///   ``AccountError/emailAlreadyRegistered(_:)`` (emails compare case-insensitively);
    ///   ``AccountError/notAllowed(_:)`` for a customer who is logged in.
    public func register(
        name: String, email: String, phone: String, password: String, by principal: Principal? = nil
    ) async throws -> Registration {
        try Permission.insert(.customers, doing: "register a customer account").require(by: principal)
        let name = try AccountInput.name(name)
        let email = try AccountInput.email(email)
        let phone = try AccountInput.phone(phone)
        try AccountInput.checkPassword(password, email: email)
        let hash = try PasswordHasher.hash(password)
        let now = box.now
        let registration =         try await box.write { db, stamp in
            guard try User.filter(Column("email") == email).fetchCount(db) == 0 else {
                throw AccountError.emailAlreadyRegistered(email)
            }
            let user = User(
                id: EntityID.make(at: now), name: name, email: email, phone: phone, role: .customer,
                cinemaID: nil, verifiedAt: nil, createdAt: now, updatedAt: now,
                passwordHash: hash, failedLogins: 0, lockedUntil: nil, hlc: stamp.description)
            try user.insertAccount(db)
            return try Self.issueCode(for: user, in: db, now: now)
        }
        box.logger.debug("registered", metadata: ["user_id": "\(registration.user.id)", "mail_id": "\(registration.mailID)"])
        return registration
    }

    /// Sends a new verification code, voiding the old one (and cancelling its mail if it is still
    /// queued); at most one per minute.
    ///
    /// An address with no account waiting for its code (none at all, or one verified already)
    /// gets `nil` and nothing happens, so that a front can answer the same in every case and never
    /// tell who is registered.
    ///
    /// ```swift
    /// let again = try await box.accounts.resendCode(email: "siti@example.com")
    /// ```
    ///
    /// - Returns: The new code's registration, or `nil`.
    /// - Throws: ``AccountError/otpResendTooSoon(retryAfterSeconds:)`` within 60 s of the last code
    ///   that was mailed, ``AccountError/otpStillQueued(retryAfterSeconds:)`` when it was not
    ///   mailed yet, ``InputError``.
    public func resendCode(email: String) async throws -> Registration? {
        let email = try AccountInput.email(email)
        let now = box.now
        let registration = try await box.writer.write { db -> Registration? in
            guard let user = try User.filter(Column("email") == email).fetchOne(db), !user.isVerified else { return nil }
            if let last = try Date.fetchOne(db, sql: """
                SELECT created_at FROM otp_codes WHERE user_id = ? AND purpose = ? ORDER BY id DESC LIMIT 1
                """, arguments: [user.id, OneTimeCode.verifyEmail]) {
                let wait = OneTimeCode.resendInterval - now.timeIntervalSince(last)
                if wait > 0 {
                    let seconds = Int(wait.rounded(.up))
                    let mailed = try Bool.fetchOne(db, sql: """
                        SELECT status = 'sent' FROM mail_outbox WHERE recipient = ? AND subject = ? ORDER BY id DESC LIMIT 1
                        """, arguments: [user.email, VerificationMail.subject]) ?? false
                    throw mailed ? AccountError.otpResendTooSoon(retryAfterSeconds: seconds)
                                 : AccountError.otpStillQueued(retryAfterSeconds: seconds)
                }
            }
            return try Self.issueCode(for: user, in: db, now: now)
        }
        if let registration {
            box.logger.debug("verification code sent again", metadata: ["user_id": "\(registration.user.id)", "mail_id": "\(registration.mailID)"])
        }
        return registration
    }

    /// Voids the user's open codes, stores a new one (hashed) and queues its mail.
    static func issueCode(for user: User, in db: Database, now: Date) throws -> Registration {
        try db.execute(
            sql: """
                UPDATE otp_codes SET voided_at = ?
                WHERE user_id = ? AND purpose = ? AND consumed_at IS NULL AND voided_at IS NULL
                """,
            arguments: [now, user.id, OneTimeCode.verifyEmail])
        // A voided code's mail still waiting would arrive after the new one and confuse: it is
        // cancelled (a mail a sender holds right now is past stopping).
        try db.execute(
            sql: """
                UPDATE mail_outbox SET status = 'failed', sealed_body = NULL, last_error = ?
                WHERE status = 'queued' AND recipient = ? AND subject = ? AND coalesce(last_error, '') <> ?
                """,
            arguments: [MailOutbox.cancelledMarker, user.email, VerificationMail.subject, MailOutbox.inProgressMarker])
        let code = OneTimeCode.make()
        let expiresAt = now.addingTimeInterval(OneTimeCode.lifetime)
        try db.execute(
            sql: """
                INSERT INTO otp_codes (user_id, purpose, code_hash, attempts, created_at, expires_at)
                VALUES (?, ?, ?, 0, ?, ?)
                """,
            arguments: [
                user.id, OneTimeCode.verifyEmail,
                OneTimeCode.hash(code, userID: user.id, key: LocalSecret.otpKey.key(db)), now, expiresAt,
            ])
        let minutes = Int(OneTimeCode.lifetime / 60)
        let mailID = try MailOutbox.enqueue(
            recipient: user.email, subject: VerificationMail.subject,
            text: VerificationMail.text(name: user.name, code: code, validMinutes: minutes),
            html: VerificationMail.html(name: user.name, code: code, validMinutes: minutes),
            in: db, now: now)
        return Registration(user: user, mailID: mailID, codeExpiresAt: expiresAt)
    }

}

extension User {
    /// Inserts a new account; another account with its email (a registration that raced another
    /// process past the check before it) is ``AccountError/emailAlreadyRegistered(_:)``.
    func insertAccount(_ db: Database) throws {
        do {
            try insert(db)
        } catch let error as DatabaseError where db.brokenConstraint(error) == .oneAccountPerEmail {
            throw AccountError.emailAlreadyRegistered(email)
        }
    }
}
