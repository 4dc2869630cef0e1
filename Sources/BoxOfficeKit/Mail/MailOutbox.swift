import Foundation
import GRDB

extension BoxOffice {
    /// The mail outbox: mail written with the event that causes it, delivered when a server is reachable.
    public var mail: MailOutbox { MailOutbox(box: self) }
}

/// Mail that survives being offline: queued in the store in the same transaction as its cause,
/// delivered later by ``deliverDue(using:policy:ignoringSchedule:)``, retried with backoff.
///
/// Bodies are sealed with AES-GCM under a key that never leaves the store, and wiped once the mail
/// is sent (or given up), so a verification code is never readable in the store file.
///
/// ```swift
/// let queued = try await box.mail.list(page: PageRequest(page: 1, limit: 20), by: manager)
/// let report = try await box.mail.deliverDue(using: mailer)
/// print("sent \(report.sent.count), will retry \(report.retrying.count)")
/// ```
///
/// ## Topics
///
/// ### Reading the outbox
/// - ``list(page:status:by:)``
/// - ``entry(id:)``
/// - ``due(limit:)``
///
/// ### Delivering
/// - ``deliverDue(using:policy:ignoringSchedule:)``
/// - ``deliver(id:using:policy:)``
/// - ``DeliveryPolicy``
public struct MailOutbox: Sendable {
    let box: BoxOffice

    /// Written into `last_error` while a sender holds a mail, so that nobody else takes it.
    static let inProgressMarker = "delivery in progress"
    /// Written into `last_error` of a verification mail cancelled because a newer code voided its code.
    static let cancelledMarker = "cancelled: a newer code replaced this one"

    /// Where a queued mail stands.
    public enum Status: String, Sendable, Hashable, Codable, CaseIterable {
        /// Waiting for its (next) delivery attempt.
        case queued
        /// Accepted by the mail server.
        case sent
        /// Given up after ``DeliveryPolicy/maximumAttempts`` attempts.
        case failed
    }

    /// One mail of the outbox, without its body.
    public struct Entry: Sendable, Hashable, Codable, Identifiable {
        /// The outbox id (local to this store).
        public var id: Int64
        /// The `Message-ID` header, without angle brackets.
        public var messageID: String
        /// The recipient's address.
        public var recipient: String
        /// The subject line (never holds a secret).
        public var subject: String
        /// Queued, sent or failed.
        public var status: Status
        /// Delivery attempts made so far.
        public var attempts: Int
        /// The error of the latest failed attempt, if any.
        public var lastError: String?
        /// When the next attempt is due (for queued mail).
        public var nextAttemptAt: Date
        /// When the mail was queued (its `Date` header).
        public var createdAt: Date
        /// When the server accepted it.
        public var sentAt: Date?

        init(row: Row) throws {
            id = row["id"]
            messageID = row["message_id"]
            recipient = row["recipient"]
            subject = row["subject"]
            guard let status = Status(rawValue: row["status"]) else { throw StoreError.damaged("unknown mail status") }
            self.status = status
            attempts = row["attempts"]
            lastError = row["last_error"]
            nextAttemptAt = row["next_attempt_at"]
            createdAt = row["created_at"]
            sentAt = row["sent_at"]
        }
    }

    /// How deliveries are retried.
    public struct DeliveryPolicy: Sendable, Hashable {
        /// Attempts after which a mail is marked `failed`.
        public var maximumAttempts = 8
        /// The wait after the first failed attempt; it doubles after each further failure.
        public var initialBackoff: Duration = .seconds(30)
        /// The longest wait between two attempts.
        public var maximumBackoff: Duration = .seconds(60 * 60)
        /// How long a sender may hold a mail before another sender may take it over
        /// (covers a sender that crashed in the middle of a delivery).
        public var claimDuration: Duration = .seconds(5 * 60)
        /// The most mails one ``MailOutbox/deliverDue(using:policy:ignoringSchedule:)`` call delivers.
        public var batchSize = 50

        /// The default policy: 8 attempts, 30 s doubling up to 1 h, 5 min claims, 50 mails a run.
        public init() {}

        /// The wait before the next attempt after `attempts` failed ones.
        public func backoff(afterAttempts attempts: Int) -> TimeInterval {
            let exponent = Double(max(0, min(attempts - 1, 40)))
            return min(initialBackoff.timeInterval * pow(2, exponent), maximumBackoff.timeInterval)
        }
    }

    /// What one delivery run did, by outbox id.
    public struct DeliveryReport: Sendable, Hashable, Codable {
        /// Mail the server accepted.
        public var sent: [Int64] = []
        /// Mail that failed this time and will be tried again.
        public var retrying: [Int64] = []
        /// Mail that failed for the last time and was marked `failed`.
        public var failed: [Int64] = []
    }

    /// Queues `message` in the caller's transaction; returns its outbox id.
    ///
    /// The bodies are sealed under the store's mail key; subject and recipient stay readable.
    static func enqueue(
        recipient: String, subject: String, text: String, html: String, in db: Database, now: Date
    ) throws -> Int64 {
        let messageID = "\(EntityID.make(at: now))@boxoffice.local"
        let sealed = try SealedBody(text: text, html: html).sealed(messageID: messageID, key: LocalSecret.mailKey.key(db))
        try db.execute(
            sql: """
                INSERT INTO mail_outbox (message_id, recipient, subject, sealed_body, status, attempts, next_attempt_at, created_at)
                VALUES (?, ?, ?, ?, 'queued', 0, ?, ?)
                """,
            arguments: [messageID, recipient, subject, sealed, now, now])
        return db.lastInsertedRowID
    }

    /// One page of the outbox, newest first, optionally only mail of one status.
    ///
    /// Every recipient and subject is there, so only a manager may read it
    /// (``CounterAction/listMail``): a customer never sees another customer's address.
    ///
    /// - Throws: ``AccountError/notAllowed(_:)`` unless the ownership table lets `principal` list
    ///   mail; ``InputError`` for a bad page request.
    public func list(page request: PageRequest = PageRequest(), status: Status? = nil, by principal: Principal) async throws -> Page<Entry> {
        try principal.require(.listMail)
        let request = try request.validated()
        return try await box.read { db in
            let filter = status == nil ? "" : "WHERE status = ?"
            let arguments: StatementArguments = status.map { [$0.rawValue] } ?? []
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM mail_outbox \(filter)", arguments: arguments) ?? 0
            let rows = try Row.fetchAll(
                db, sql: "SELECT \(Self.columns) FROM mail_outbox \(filter) ORDER BY id DESC LIMIT ? OFFSET ?",
                arguments: arguments + [request.limit, request.offset])
            return Page(items: try rows.map(Entry.init(row:)), page: request.page, limit: request.limit, total: total)
        }
    }

    /// The mail with outbox id `id`.
    ///
    /// - Throws: ``MailError/mailNotFound(_:)``.
    public func entry(id: Int64) async throws -> Entry {
        guard let entry = try await box.read({ db in try Self.entry(id: id, db) }) else { throw MailError.mailNotFound(id) }
        return entry
    }

    /// Queued mail whose next attempt is due now, oldest first.
    public func due(limit: Int = 50) async throws -> [Entry] {
        let now = box.now
        return try await box.read { db in
            try Row.fetchAll(db, sql: """
                SELECT \(Self.columns) FROM mail_outbox
                WHERE status = 'queued' AND next_attempt_at <= ? ORDER BY id LIMIT ?
                """, arguments: [now, limit]).map(Entry.init(row:))
        }
    }

    static let columns = "id, message_id, recipient, subject, status, attempts, last_error, next_attempt_at, created_at, sent_at"

    static func entry(id: Int64, _ db: Database) throws -> Entry? {
        try Row.fetchOne(db, sql: "SELECT \(columns) FROM mail_outbox WHERE id = ?", arguments: [id]).map(Entry.init(row:))
    }
}
