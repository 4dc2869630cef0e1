import Foundation
import GRDB

/// A feed row this store could not take yet because a row it refers to has not arrived (a ticket
/// before its booking, a showtime before its movie), kept in `sync_deferred_feed` and tried again
/// at the front of every page until it applies.
///
/// Head office hands a cinema's rows out only once the chain-wide rows they may need are in the
/// page (rules/pull.sql), so a row waits here only when its parent is late in its own scope or
/// belongs to a scope this store does not pull; it is never dropped for that, only replaced or
/// deleted by a later row of its entity.
struct DeferredFeedRow {
    /// The row, as head office sent it.
    var row: FeedRow
    /// When it first had to wait.
    var deferredAt: Date
    /// How many pages it has waited through.
    var attempts: Int

    /// Reads and removes every waiting row, oldest first; ``defer(_:positions:of:waiting:now:)``
    /// puts back those that still cannot be taken, in the same transaction.
    static func takeAll(_ db: Database) throws -> [DeferredFeedRow] {
        let rows = try Row.fetchAll(db, sql: """
            SELECT entity, entity_id, operation, hlc, payload, deferred_at, attempts FROM sync_deferred_feed ORDER BY deferred_at, rowid
            """).map { row in
            DeferredFeedRow(row: FeedRow(entity: row["entity"], entityID: row["entity_id"], operation: row["operation"],
                                         hlc: row["hlc"], payload: row["payload"]),
                            deferredAt: row["deferred_at"], attempts: row["attempts"])
        }
        try db.execute(sql: "DELETE FROM sync_deferred_feed")
        return rows
    }

    /// Keeps the rows at `positions` of `rows` (the waiting rows first, then the page's) to be tried
    /// again, unless a later row of the same entity in `rows` stands for them (it applied, waits
    /// itself, or deleted the entity), or their entity is one this store has no table for.
    ///
    /// - Returns: How many rows wait now.
    static func `defer`(_ db: Database, positions: [Int], of rows: [FeedRow], waiting: [DeferredFeedRow], now: Date) throws -> Int {
        var latest: [String: Int] = [:]
        for (position, row) in rows.enumerated() {
            latest[row.entity + "\u{1F}" + row.entityID] = position
        }
        let insert = try db.cachedStatement(sql: """
            INSERT OR REPLACE INTO sync_deferred_feed (entity, entity_id, operation, hlc, payload, deferred_at, attempts)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        var kept = 0
        for position in positions {
            let row = rows[position]
            guard latest[row.entity + "\u{1F}" + row.entityID] == position, FeedEntity.named(row.entity) != nil else { continue }
            let earlier = position < waiting.count ? waiting[position] : nil
            try insert.execute(arguments: [row.entity, row.entityID, row.operation, row.hlc, row.payload,
                                           earlier?.deferredAt ?? now, (earlier?.attempts ?? 0) + 1])
            kept += 1
        }
        return kept
    }
}
