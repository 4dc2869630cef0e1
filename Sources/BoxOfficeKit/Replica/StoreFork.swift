import Foundation
import GRDB

/// What a store knows about having forked: it was restored from a backup or copied, so it reused
/// change-log sequence numbers (and maybe booking codes) that the store it was copied from had
/// issued after the copy was made.
///
/// A store learns it by itself when it opens (``BoxOffice/open(path:configuration:ifMissing:)``: it is on
/// another machine than it was, or behind the marker beside its file), or from head office at a
/// push (a change under a number head office holds with other content). Either way it takes a new
/// booking-code prefix at once, so its new receipts repeat no code; and when head office found it,
/// it sends its changes from there again under numbers head office has not used. Selling never
/// stops meanwhile. See the DocC article "Sync", section "Restored and copied stores".
///
/// ```swift
/// if let fork = try await box.replica.state().fork {
///     print(fork.reason)   // in a cashier's words
/// }
/// ```
public struct StoreFork: Sendable, Hashable, Codable {
    /// How many times this store learned it forked.
    public var count: Int
    /// When it last learned it.
    public var detectedAt: Date
    /// What it learned and did, in a cashier's words.
    public var reason: String
    /// How many of its changes it sent again under new numbers, in all.
    public var resentChanges: Int

    enum CodingKeys: String, CodingKey {
        case count, reason
        case detectedAt = "detected_at"
        case resentChanges = "resent_changes"
    }
}

extension StoreFork {
    /// Gives the store a new booking-code prefix (numbered from 1 again) and records why; returns the
    /// new prefix. Call inside a write transaction.
    static func takeNewPrefix(_ db: Database, reason: String, now: Date, atLeastGeneration: Int = 0) throws -> String {
        let prefix = try uniquePrefix(db)
        try db.execute(sql: """
            UPDATE sync_state SET code_prefix = :prefix, last_booking_number = 0,
                code_generation = max(code_generation, :generation) + 1,
                fork_count = fork_count + 1, forked_at = :now, fork_reason = :reason
            WHERE singleton = 1
            """, arguments: ["prefix": prefix, "generation": atLeastGeneration, "now": now, "reason": reason])
        return prefix
    }

    /// A prefix that no booking of this store uses yet.
    private static func uniquePrefix(_ db: Database) throws -> String {
        while true {
            let prefix = BookingCodePrefix.random()
            let used = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM bookings WHERE code LIKE ? || '-%')",
                                         arguments: [prefix]) ?? false
            if !used { return prefix }
        }
    }

    /// Head office found the store forked at sequence `forkSequence`: the changes from there on are
    /// given numbers from `nextSequence` on (or past this store's own last one), in their order, the
    /// store takes a new prefix, and the changes before the fork count as pushed. Returns how many
    /// changes will be sent again. Call inside a write transaction.
    static func renumber(_ db: Database, from forkSequence: Int64, to nextSequence: Int64, now: Date) throws -> Int {
        let resent = try Int.fetchOne(db, sql: "SELECT count(*) FROM change_log WHERE seq >= ?", arguments: [forkSequence]) ?? 0
        let last = try Int64.fetchOne(db, sql: "SELECT max(seq) FROM change_log") ?? 0
        // Past every number head office holds and every one here, so no row meets another while moved.
        let delta = max(nextSequence, last + 1) - forkSequence
        if resent > 0 {
            try db.execute(sql: "UPDATE change_log SET seq = seq + ? WHERE seq >= ?", arguments: [delta, forkSequence])
            try db.execute(sql: """
                UPDATE sqlite_sequence SET seq = max(seq, (SELECT max(seq) FROM change_log)) WHERE name = 'change_log'
                """)
        }
        let prefix = try takeNewPrefix(db, reason: "", now: now)
        let reason = """
            this store was restored from a backup or copied: head office already had other changes under its numbers. \
            \(resent) change\(resent == 1 ? "" : "s") made here since \(resent == 1 ? "is" : "are") sent again under new numbers, \
            so no sale is lost; new sales take booking codes \(prefix)-….
            """
        try db.execute(sql: """
            UPDATE sync_state SET last_pushed_seq = min(last_pushed_seq, :before), fork_reason = :reason,
                fork_resent = fork_resent + :resent
            WHERE singleton = 1
            """, arguments: ["before": forkSequence - 1, "reason": reason, "resent": resent])
        return resent
    }

    /// Head office holds changes of this store's node numbered past every change this store ever
    /// made (its pull said so): the store was put back from a backup or copied with everything
    /// beside it, and still had the original's prefix. It takes a prefix of its own, so that the
    /// original's later sales reach it like another counter's, and numbers its next changes from
    /// `nextSequence`, past head office's. Call inside a write transaction.
    static func fallBehind(_ db: Database, nextSequence: Int64, now: Date) throws {
        try db.execute(sql: """
            UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = 'change_log'
            """, arguments: [nextSequence - 1])
        if try Int.fetchOne(db, sql: "SELECT changes()") == 0 {
            try db.execute(sql: "INSERT INTO sqlite_sequence (name, seq) VALUES ('change_log', ?)", arguments: [nextSequence - 1])
        }
        let prefix = try takeNewPrefix(db, reason: "", now: now)
        try db.execute(sql: "UPDATE sync_state SET fork_reason = ? WHERE singleton = 1", arguments: [
            "this store was restored from a backup or copied: head office holds later changes of this counter than this "
                + "store ever made. Their sales reach this store as another counter's would; new sales take booking codes \(prefix)-….",
        ])
    }

    /// The store's fork record, if it ever forked.
    static func fetch(_ row: Row) -> StoreFork? {
        guard let count = row["fork_count"] as Int?, count > 0, let at = row["forked_at"] as Date? else { return nil }
        return StoreFork(count: count, detectedAt: at, reason: row["fork_reason"] ?? "", resentChanges: row["fork_resent"] ?? 0)
    }
}
