import Foundation
import GRDB

extension Accounts {
    /// Checks the code from the verification mail; when right, marks the user verified and logs
    /// them in, as the old API's `verify-otp` did.
    ///
    /// Codes are compared in constant time. Each wrong code counts; the fifth voids the code.
    ///
    /// ```swift
    /// let session = try await box.accounts.verify(email: "siti@example.com", code: "042917")
    /// ```
    ///
    /// - Returns: A new session for the now verified user.
    /// - Throws: ``AccountError/otpWrong(attemptsLeft:)``, ``AccountError/otpExpired``,
    ///   ``AccountError/otpTooManyAttempts``, ``AccountError/alreadyVerified(email:)``,
    ///   ``AccountError/userNotFound(_:)``, ``InputError`` for a code that is not 6 digits.
    public func verify(email: String, code: String) async throws -> LoginSession {
        let email = try AccountInput.email(email)
        let code = try OneTimeCode.normalised(code)
        let now = box.now
        let lifetime = box.configuration.sessionLifetime.timeInterval
        let outcome: Result<LoginSession, AccountError> = try await box.write { db, stamp in
            guard var user = try User.filter(Column("email") == email).fetchOne(db) else {
                return .failure(.userNotFound(email))
            }
            guard !user.isVerified else { return .failure(.alreadyVerified(email: email)) }
            guard let row = try Row.fetchOne(db, sql: """
                SELECT id, code_hash, attempts, expires_at, consumed_at, voided_at FROM otp_codes
                WHERE user_id = ? AND purpose = ? ORDER BY id DESC LIMIT 1
                """, arguments: [user.id, OneTimeCode.verifyEmail])
            else { return .failure(.otpExpired) }
            let codeID: Int64 = row["id"]
            var attempts: Int = row["attempts"]
            // The newest code is only ever voided by too many wrong tries (a new code voids older ones).
            if (row["voided_at"] as Date?) != nil || attempts >= OneTimeCode.maximumAttempts {
                return .failure(.otpTooManyAttempts)
            }
            guard (row["consumed_at"] as Date?) == nil, (row["expires_at"] as Date) > now else {
                return .failure(.otpExpired)
            }
            guard OneTimeCode.matches(code, storedHash: row["code_hash"], userID: user.id, key: try LocalSecret.otpKey.key(db)) else {
                attempts += 1
                let void = attempts >= OneTimeCode.maximumAttempts
                try db.execute(
                    sql: "UPDATE otp_codes SET attempts = ?, voided_at = ? WHERE id = ?",
                    arguments: [attempts, void ? now : nil, codeID])
                return .failure(void ? .otpTooManyAttempts : .otpWrong(attemptsLeft: OneTimeCode.maximumAttempts - attempts))
            }
            try db.execute(sql: "UPDATE otp_codes SET consumed_at = ? WHERE id = ?", arguments: [now, codeID])
            user.verifiedAt = now
            user.updatedAt = now
            user.hlc = stamp.description
            try user.update(db, columns: ["verified_at", "updated_at", "hlc"])
            return .success(try Self.startSession(for: user, in: db, now: now, lifetime: lifetime))
        }
        switch outcome {
        case let .success(session):
            box.logger.debug("verified", metadata: ["user_id": "\(session.user.id)"])
            return session
        case let .failure(error):
            box.logger.debug("verification refused", metadata: ["reason": "\(error)"])
            throw error
        }
    }
}
