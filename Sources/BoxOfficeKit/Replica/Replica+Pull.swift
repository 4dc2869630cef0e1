import Foundation
import GRDB

extension Replica {
    /// Applies one page of head office's feed and moves the feed cursor past it, in one transaction.
    ///
    /// `pageJSON` is what `sync_api.pull` returned: `{"rows": [{id, entity, entity_id, operation,
    /// hlc, payload}, …], "cursor": "…", "lag": N}`. Rows replace local ones only when their HLC is
    /// newer (bookings keep the later state), are never logged again, and a row this store cannot
    /// take (its parent is unknown here) is skipped and counted rather than blocking the feed.
    ///
    /// - Returns: How many rows were applied and skipped, and the new cursor.
    @discardableResult
    public func applyFeed(_ pageJSON: String) async throws -> PullSummary {
        let now = box.now
        return try await box.writer.write { db in
            try db.execute(sql: """
                CREATE TEMP TABLE IF NOT EXISTS feed_page (
                    position INTEGER PRIMARY KEY, entity TEXT, entity_id TEXT, operation TEXT, hlc TEXT, payload TEXT)
                """)
            try db.execute(sql: "DELETE FROM temp.feed_page")
            defer { try? db.execute(sql: "DELETE FROM temp.feed_page") }
            try db.execute(sql: """
                INSERT INTO temp.feed_page (position, entity, entity_id, operation, hlc, payload)
                SELECT key, value->>'entity', value->>'entity_id', value->>'operation', value->>'hlc', value->'payload'
                FROM json_each(?, '$.rows')
                """, arguments: [pageJSON])
            let rowCount = try Int.fetchOne(db, sql: "SELECT count(*) FROM temp.feed_page") ?? 0
            var summary = PullSummary(received: rowCount)
            if rowCount > 0 {
                try ChangeLogSuppression.while(db) {
                    summary.skipped = try applyPage(db, upper: rowCount - 1, now: now)
                }
                if let newest = try String.fetchOne(db, sql: "SELECT max(hlc) FROM temp.feed_page").flatMap(HLC.init) {
                    try db.observeHLC(newest, now: now)
                }
            }
            guard let envelope = try Row.fetchOne(db, sql: "SELECT ?->>'cursor' AS cursor, ?->>'lag' AS lag",
                                                  arguments: [pageJSON, pageJSON]),
                  let cursor = envelope["cursor"] as String?
            else { throw StoreError.damaged("head office sent a feed page without a cursor") }
            summary.cursor = cursor
            summary.lag = envelope["lag"]
            try db.execute(sql: """
                UPDATE sync_state SET feed_cursor = ?, feed_lag = ?, last_pull_at = ? WHERE singleton = 1
                """, arguments: [cursor, summary.lag, now])
            return summary
        }
    }

    /// Applies the page set-wise, entity by entity; when that fails (a unique rule clashes with a
    /// local row), applies it row by row and skips what cannot be taken. Returns how many were skipped.
    private func applyPage(_ db: Database, upper: Int, now: Date) throws -> Int {
        do {
            try db.inSavepoint {
                try apply(db, lower: 0, upper: upper, now: now)
                return .commit
            }
            return try skippedRows(db, lower: 0, upper: upper)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            var skipped = 0
            for position in 0...upper {
                do {
                    try db.inSavepoint {
                        try apply(db, lower: position, upper: position, now: now)
                        return .commit
                    }
                    skipped += try skippedRows(db, lower: position, upper: position)
                } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                    skipped += 1
                    box.logger.warning("feed row not applied", metadata: [
                        "position": .stringConvertible(position), "reason": .string(error.message ?? "constraint"),
                    ])
                }
            }
            return skipped
        }
    }

    private func apply(_ db: Database, lower: Int, upper: Int, now: Date) throws {
        let range: StatementArguments = ["lower": lower, "upper": upper]
        // A sale head office accepted takes its seat here even over a local sale it has not seen
        // yet; that local sale gets head office's decision (a new seat, or a refund) when pushed.
        // The row-value IN is implied by the EXISTS; it only lets SQLite start from the page's seats
        // (the index `tickets_one_active_per_seat`) instead of testing every active ticket of the
        // store against every row of the page, which made a pull quadratic in the store's size.
        let clashing = """
            status = 'active'
              AND (showtime_id, seat_id) IN (
                SELECT f.payload->>'showtime_id', f.payload->>'seat_id' FROM temp.feed_page f
                WHERE f.entity = 'tickets' AND f.operation <> 'delete' AND f.position BETWEEN :lower AND :upper)
              AND EXISTS (
                SELECT 1 FROM temp.feed_page f
                WHERE f.entity = 'tickets' AND f.operation <> 'delete' AND f.position BETWEEN :lower AND :upper
                  AND f.payload->>'status' = 'active' AND f.payload->>'showtime_id' = tickets.showtime_id
                  AND f.payload->>'seat_id' = tickets.seat_id AND f.entity_id <> tickets.id
                  AND f.position = (SELECT max(g.position) FROM temp.feed_page g
                                    WHERE g.entity = 'tickets' AND g.entity_id = f.entity_id AND g.position <= :upper)
                  AND NOT EXISTS (SELECT 1 FROM tickets mine WHERE mine.id = f.entity_id AND mine.hlc >= f.hlc))
            """
        try db.execute(sql: "INSERT OR IGNORE INTO sync_displaced_tickets (ticket_id) SELECT id FROM tickets WHERE \(clashing)",
                       arguments: range)
        try db.execute(sql: "UPDATE tickets SET status = 'released', updated_at = :now WHERE \(clashing)",
                       arguments: range + ["now": now])
        for entity in FeedEntity.all {
            try db.execute(sql: entity.upsertSQL, arguments: range)
        }
        // A displaced ticket that head office has since spoken about follows head office; the
        // others take their seat back once it is free (the row that took it was an old one).
        try db.execute(sql: """
            DELETE FROM sync_displaced_tickets WHERE ticket_id IN (
                SELECT entity_id FROM temp.feed_page WHERE entity = 'tickets' AND position BETWEEN :lower AND :upper)
            """, arguments: range)
        try db.execute(sql: """
            UPDATE tickets SET status = 'active', updated_at = :now
            WHERE id IN (SELECT ticket_id FROM sync_displaced_tickets) AND status = 'released'
              AND NOT EXISTS (SELECT 1 FROM tickets other
                              WHERE other.showtime_id = tickets.showtime_id AND other.seat_id = tickets.seat_id
                                AND other.status = 'active')
            """, arguments: ["now": now])
        try db.execute(sql: """
            DELETE FROM sync_displaced_tickets
            WHERE ticket_id IN (SELECT id FROM tickets WHERE status = 'active')
            """)
        for entity in FeedEntity.all.reversed() {
            try db.execute(sql: entity.deleteSQL, arguments: range)
        }
        try db.execute(sql: """
            INSERT INTO sync_conflicts (id, kind, node_name, entity, entity_id, booking_id, showtime_id, seat_before,
                                        seat_after, reason, details, status, resolution, created_at, resolved_at)
            SELECT entity_id, payload->>'kind', payload->>'node_name', payload->>'entity', payload->>'entity_id',
                   payload->>'booking_id', payload->>'showtime_id', payload->>'seat_before', payload->>'seat_after',
                   payload->>'reason', json_object('node_side', payload->'node_side', 'central_side', payload->'central_side'),
                   payload->>'status', payload->>'resolution', payload->>'created_at', payload->>'resolved_at'
            FROM temp.feed_page
            WHERE entity = 'sync_conflicts' AND position BETWEEN :lower AND :upper
            ORDER BY position
            ON CONFLICT (id) DO UPDATE SET
                status = CASE WHEN sync_conflicts.status = 'resolved' THEN 'resolved' ELSE excluded.status END,
                resolution = coalesce(excluded.resolution, sync_conflicts.resolution),
                resolved_at = coalesce(excluded.resolved_at, sync_conflicts.resolved_at),
                seat_after = coalesce(excluded.seat_after, sync_conflicts.seat_after),
                node_name = excluded.node_name, details = excluded.details, reason = excluded.reason
            """, arguments: range)
    }

    /// Rows of the range that no statement could take: an unknown entity, or a parent this store lacks.
    private func skippedRows(_ db: Database, lower: Int, upper: Int) throws -> Int {
        var unmet: [String] = ["entity NOT IN (\((FeedEntity.all.map { "'\($0.table)'" } + ["'sync_conflicts'"]).joined(separator: ", ")))"]
        for entity in FeedEntity.all where !entity.requirements.isEmpty {
            unmet.append("(entity = '\(entity.table)' AND operation <> 'delete' AND NOT (\(entity.requirements.joined(separator: " AND "))))")
        }
        return try Int.fetchOne(db, sql: """
            SELECT count(*) FROM temp.feed_page WHERE position BETWEEN ? AND ? AND (\(unmet.joined(separator: " OR ")))
            """, arguments: [lower, upper]) ?? 0
    }
}
