import Foundation
import TestSupport
import GRDB
import Logging
@testable import BoxOfficeKit

/// What account tests share: counting rows, reading a queued code, capturing logs.
enum AccountsFixture {
    static let tables = ["users", "otp_codes", "sessions", "mail_outbox", "change_log", "local_secrets"]

    /// The number of rows of each account-related table and of the change log.
    static func counts(_ box: BoxOffice) async throws -> [String: Int] {
        try await box.writer.read { db in
            var counts: [String: Int] = [:]
            for table in tables {
                counts[table] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)")
            }
            return counts
        }
    }

    /// The code in queued mail `mailID`, read by opening its sealed body as the sender would.
    static func code(inMail mailID: Int64, of box: BoxOffice) async throws -> String {
        let text = try await box.writer.read { db -> String in
            let row = try Row.fetchOne(db, sql: "SELECT message_id, sealed_body FROM mail_outbox WHERE id = ?", arguments: [mailID])!
            return try SealedBody.opened(row["sealed_body"], messageID: row["message_id"], key: LocalSecret.mailKey.key(db)).text
        }
        return try SMTPSink.code(in: text)
    }

    static func uniqueEmail(_ name: String = "siti") -> String {
        "\(name)-\(UUID().uuidString.prefix(8).lowercased())@example.com"
    }
}

/// Collects every log line a store writes, message and metadata, so tests can search it.
final class LogCapture: @unchecked Sendable {
    // @unchecked: `lock` guards `lines`, the only mutable state.
    private let lock = NSLock()
    private var lines: [String] = []

    var text: String { lock.withLock { lines.joined(separator: "\n") } }

    func append(_ line: String) { lock.withLock { lines.append(line) } }

    var logger: Logger {
        Logger(label: "BoxOfficeKitTests") { _ in CapturingHandler(capture: self) }
    }

    struct CapturingHandler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        func log(event: LogEvent) {
            capture.append("\(event.level) \(event.message) \(event.metadata ?? [:]) \(metadata)")
        }

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
    }
}
