import Foundation
import GRDB
import Logging

extension MailOutbox {
    /// Delivers the queued mail that is due, each at most once, and schedules retries for the rest.
    ///
    /// Each mail is first claimed in its own transaction (its attempt counted, other senders kept
    /// off), then sent, then marked `sent` with its sealed body wiped, in one step guarded by the
    /// claim. A failed attempt records its error in `last_error` and waits an exponentially growing,
    /// capped time (``DeliveryPolicy``); after ``DeliveryPolicy/maximumAttempts`` the mail is
    /// marked `failed`. Only a sender that dies between the server's acceptance and that last step
    /// can cause a second delivery, after ``DeliveryPolicy/claimDuration``.
    ///
    /// ```swift
    /// let report = try await box.mail.deliverDue(using: SMTPMailer(configuration: settings))
    /// ```
    ///
    /// - Parameters:
    ///   - mailer: Who hands the mail to a server.
    ///   - policy: Retries, backoff and batch size.
    ///   - ignoringSchedule: Also deliver queued mail that waits for a retry (an operator asking
    ///     to "send now"); mail another sender holds is still left alone.
    /// - Returns: Which mails were sent, will be retried, or failed for good.
    /// - Throws: Store errors only; delivery failures are recorded in the outbox, not thrown.
    public func deliverDue(
        using mailer: any Mailer, policy: DeliveryPolicy = DeliveryPolicy(), ignoringSchedule: Bool = false
    ) async throws -> DeliveryReport {
        let now = box.now
        let candidates = try await box.read { db in
            try Int64.fetchAll(db, sql: """
                SELECT id FROM mail_outbox
                WHERE status = 'queued' AND (next_attempt_at <= ? OR (? AND last_error IS NOT ?))
                ORDER BY id LIMIT ?
                """, arguments: [now, ignoringSchedule, Self.inProgressMarker, policy.batchSize])
        }
        var report = DeliveryReport()
        for id in candidates {
            if Task.isCancelled { break }
            switch try await attempt(id: id, using: mailer, policy: policy, ignoringSchedule: ignoringSchedule) {
            case .sent: report.sent.append(id)
            case .retrying: report.retrying.append(id)
            case .failed: report.failed.append(id)
            case nil: break
            }
        }
        return report
    }

    /// Tries to deliver one queued mail now, whatever its schedule; how register and resend send
    /// their code at once.
    ///
    /// ```swift
    /// let entry = try await box.mail.deliver(id: registration.mailID, using: mailer)
    /// if entry.status != .sent { print("queued: \(entry.lastError ?? "")") }
    /// ```
    ///
    /// - Returns: The mail after the attempt: `sent`, or still `queued` with the error recorded.
    ///   Mail that is no longer queued, or that another sender holds, is returned untouched.
    /// - Throws: ``MailError/mailNotFound(_:)``.
    public func deliver(id: Int64, using mailer: any Mailer, policy: DeliveryPolicy = DeliveryPolicy()) async throws -> Entry {
        _ = try await attempt(id: id, using: mailer, policy: policy, ignoringSchedule: true)
        return try await entry(id: id)
    }

    private enum Outcome { case sent, retrying, failed }

    /// Claims, sends and records one mail; `nil` when it was not (or no longer) to be sent.
    private func attempt(id: Int64, using mailer: any Mailer, policy: DeliveryPolicy, ignoringSchedule: Bool) async throws -> Outcome? {
        let now = box.now
        let marker = Self.inProgressMarker
        let claim: (message: MailMessage, attempts: Int)? = try await box.writer.write { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT message_id, recipient, subject, sealed_body, status, attempts, last_error, next_attempt_at, created_at
                FROM mail_outbox WHERE id = ?
                """, arguments: [id])
            else { throw MailError.mailNotFound(id) }
            guard row["status"] as String == MailOutbox.Status.queued.rawValue else { return nil }
            let nextAttempt: Date = row["next_attempt_at"]
            let heldByAnother = (row["last_error"] as String?) == marker && nextAttempt > now
            guard !heldByAnother, ignoringSchedule || nextAttempt <= now else { return nil }
            let messageID: String = row["message_id"]
            let attempts = (row["attempts"] as Int) + 1
            guard let sealed = row["sealed_body"] as Data? else {
                try db.execute(
                    sql: "UPDATE mail_outbox SET status = 'failed', attempts = ?, last_error = ? WHERE id = ?",
                    arguments: [attempts, "the message body is missing", id])
                return nil
            }
            let body = try SealedBody.opened(sealed, messageID: messageID, key: LocalSecret.mailKey.key(db))
            try db.execute(
                sql: "UPDATE mail_outbox SET attempts = ?, last_error = ?, next_attempt_at = ? WHERE id = ?",
                arguments: [attempts, marker, now.addingTimeInterval(policy.claimDuration.timeInterval), id])
            let message = MailMessage(
                messageID: messageID, recipient: row["recipient"], subject: row["subject"],
                text: body.text, html: body.html, date: row["created_at"])
            return (message, attempts)
        }
        guard let claim else { return nil }

        var failure: String?
        do {
            try await mailer.send(claim.message)
        } catch let error as MailError {
            if case let .deliveryFailed(reason) = error { failure = reason } else { failure = error.description }
        } catch {
            failure = String(describing: error)
        }

        let done = box.now
        let attempts = claim.attempts
        let failureText = failure
        let outcome: Outcome = if failure == nil { .sent } else if attempts >= policy.maximumAttempts { .failed } else { .retrying }
        try await box.writer.write { db in
            switch outcome {
            case .sent:
                try db.execute(sql: """
                    UPDATE mail_outbox SET status = 'sent', sent_at = ?, sealed_body = NULL, last_error = NULL
                    WHERE id = ? AND attempts = ?
                    """, arguments: [done, id, attempts])
            case .failed:
                try db.execute(sql: """
                    UPDATE mail_outbox SET status = 'failed', sealed_body = NULL, last_error = ?
                    WHERE id = ? AND attempts = ?
                    """, arguments: [failureText, id, attempts])
            case .retrying:
                try db.execute(sql: """
                    UPDATE mail_outbox SET last_error = ?, next_attempt_at = ? WHERE id = ? AND attempts = ?
                    """, arguments: [failureText, done.addingTimeInterval(policy.backoff(afterAttempts: attempts)), id, attempts])
            }
        }
        switch outcome {
        case .sent:
            box.logger.debug("mail sent", metadata: ["mail_id": "\(id)", "attempts": "\(attempts)"])
        case .retrying:
            box.logger.debug("mail delivery failed; will retry", metadata: [
                "mail_id": "\(id)", "attempts": "\(attempts)", "error": "\(failure ?? "")"])
        case .failed:
            box.logger.error("mail delivery failed for good", metadata: [
                "mail_id": "\(id)", "attempts": "\(attempts)", "error": "\(failure ?? "")"])
        }
        return outcome
    }
}
