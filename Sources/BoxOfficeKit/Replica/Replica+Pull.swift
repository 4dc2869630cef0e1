import Foundation
import GRDB

extension Replica {
    /// Applies one page of head office's feed and moves the feed cursor past it, in one transaction.
    ///
    /// Rows replace local ones only when their HLC is newer (bookings keep the later state), and are
    /// never logged again. A row this store cannot take yet, because the row it refers to has not
    /// arrived (a ticket before its booking), waits in the store and is tried again with every page
    /// until it applies or a later row of its entity replaces it: it is counted in
    /// ``PullSummary/skipped`` meanwhile, and never skipped for good. A row it cannot apply at all — a payload that is
    /// no JSON object or no row of its table, or one its rules refuse — is quarantined: kept as a
    /// ``SyncConflict/Kind/quarantined`` conflict with the row and the reason, and the rest of the
    /// page is applied, so that nothing head office sends can stop this counter's pull.
    ///
    /// - Returns: How many rows were applied, skipped and quarantined, and the new cursor.
    @discardableResult
    public func applyFeed(_ page: FeedPage) async throws -> PullSummary {
        let usable = page.rows.filter { if case .success = $0.boundValues { true } else { false } }
        let unreadable = page.rows.compactMap { row -> (row: FeedRow, reason: String)? in
            if case .failure(let problem) = row.boundValues { (row, problem.reason) } else { nil }
        }
        // The newest stamp the page carries; text that is no stamp moves no clock.
        let newest = usable.compactMap { HLC($0.hlc) }.max()
        let now = box.now
        return try await box.writer.write { db in
            try FeedPageTable.prepare(db)
            var summary = PullSummary(received: page.rows.count)
            var unusable = unreadable
            // The rows that waited for a row they need go first, so that a later row of the same
            // entity in this page comes after them.
            let waiting = try DeferredFeedRow.takeAll(db)
            let rows = waiting.map(\.row) + usable
            if !rows.isEmpty {
                try FeedPageTable.fill(db, with: rows)
                var refused: [(row: FeedRow, reason: String)] = []
                var unmet: [Int] = []
                try ChangeLogSuppression.while(db) {
                    (unmet, refused) = try applyPage(db, rows: rows, now: now)
                }
                unusable += refused
                summary.skipped = try DeferredFeedRow.defer(db, positions: unmet, of: rows, waiting: waiting, now: now)
                try FeedPageTable.clear(db)
                if let newest { try db.observeHLC(newest, now: now) }
            }
            for (row, reason) in unusable {
                try quarantine(row, reason: reason, db: db, now: now)
            }
            summary.quarantined = unusable.count
            summary.cursor = page.cursor
            summary.lag = page.lag
            try db.execute(sql: """
                UPDATE sync_state SET feed_cursor = ?, feed_lag = ?, last_pull_at = ? WHERE singleton = 1
                """, arguments: [page.cursor, page.lag, now])
            return summary
        }
    }

    /// Keeps a feed row this store cannot apply as a quarantined conflict: the row as it came, and why.
    private func quarantine(_ row: FeedRow, reason: String, db: Database, now: Date) throws {
        box.logger.warning("feed row quarantined", metadata: [
            "entity": .string(row.entity), "entity_id": .string(row.entityID), "reason": .string(reason),
        ])
        try db.cachedStatement(sql: """
            INSERT INTO sync_conflicts (id, kind, entity, entity_id, reason, details, created_at)
            VALUES (?, 'quarantined', ?, ?, ?, json_object('operation', ?, 'hlc', ?, 'payload', ?), ?)
            """).execute(arguments: [
                EntityID.make(at: now), String(row.entity.prefix(100)), String(row.entityID.prefix(200)),
                "head office sent a row this counter cannot apply: " + reason,
                String(row.operation.prefix(20)), String(row.hlc.prefix(100)), row.payload, now,
            ])
    }

    /// Applies the page set-wise, entity by entity; when that fails (a unique rule clashes with a
    /// local row), applies it row by row. Returns the positions of the rows no statement could take
    /// (an unknown entity, or a parent this store lacks), and the rows a rule of the store refused,
    /// with why.
    ///
    /// Statements for entities the range lacks are not run; when every row but the deletes was
    /// written (the usual page), no row is left and none is looked for.
    private func applyPage(_ db: Database, rows: [FeedRow], now: Date) throws -> ([Int], [(row: FeedRow, reason: String)]) {
        let upper = rows.count - 1
        let entities = rows.map(\.entity)
        do {
            var written = 0
            try db.inSavepoint {
                written = try apply(db, lower: 0, upper: upper, entities: Set(entities), now: now)
                return .commit
            }
            if written == rows.count(where: { $0.operation != "delete" }) { return ([], []) }
            return (try unmetRows(db, lower: 0, upper: upper), [])
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            var unmet: [Int] = []
            var refused: [(row: FeedRow, reason: String)] = []
            for position in 0...upper {
                do {
                    try db.inSavepoint {
                        _ = try apply(db, lower: position, upper: position, entities: [entities[position]], now: now)
                        return .commit
                    }
                    unmet += try unmetRows(db, lower: position, upper: position)
                } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                    refused.append((rows[position], "the store's rules refuse it (\(error.message ?? "a constraint"))"))
                }
            }
            return (unmet, refused)
        }
    }

    /// Returns how many rows the upserts wrote (inserted, or updated because they were newer).
    private func apply(_ db: Database, lower: Int, upper: Int, entities: Set<String>, now: Date) throws -> Int {
        let range: StatementArguments = ["lower": lower, "upper": upper]
        var written = 0
        if entities.contains("tickets") {
            try releaseSeatsTakenByFeed(db, range: range, now: now)
        }
        for entity in FeedEntity.all where entities.contains(entity.table) {
            try db.cachedStatement(sql: entity.upsertSQL).execute(arguments: range)
            written += db.changesCount
        }
        if entities.contains("tickets") {
            // A displaced ticket that head office has since spoken about follows head office: when
            // the page's last row of it now holds here (or deletes it). A row that changed nothing
            // (a repeat, of a stamp the ticket already had) leaves it waiting for its seat; forgetting
            // it then left another counter's sale released here for good (found by the simulation;
            // ObservedDisplacedTicketTests).
            try db.cachedStatement(sql: """
                DELETE FROM sync_displaced_tickets WHERE ticket_id IN (
                    SELECT f.feed_entity_id FROM temp.feed_page f JOIN tickets t ON t.id = f.feed_entity_id
                    WHERE f.feed_entity = 'tickets' AND f.position BETWEEN :lower AND :upper
                      AND f.position = (SELECT max(g.position) FROM temp.feed_page g
                                        WHERE g.feed_entity = 'tickets' AND g.feed_entity_id = f.feed_entity_id
                                          AND g.position <= :upper)
                      AND (f.feed_operation = 'delete' OR f.status = t.status))
                """).execute(arguments: range)
        }
        // The others take their seat back once it is free (the row that took it was an old one):
        // one per seat, the latest stamped, when several wait for the same seat. All of them at
        // once broke the one-active-ticket-per-seat rule, failed the page, and quarantined every
        // row after it (found by the simulation; DisplacedTicketsTests).
        try db.cachedStatement(sql: """
            UPDATE tickets SET status = 'active', updated_at = :now
            WHERE id IN (SELECT ticket_id FROM sync_displaced_tickets) AND status = 'released'
              AND NOT EXISTS (SELECT 1 FROM tickets other
                              WHERE other.showtime_id = tickets.showtime_id AND other.seat_id = tickets.seat_id
                                AND other.status = 'active')
              AND id = (SELECT waiting.id FROM tickets waiting JOIN sync_displaced_tickets d ON d.ticket_id = waiting.id
                        WHERE waiting.showtime_id = tickets.showtime_id AND waiting.seat_id = tickets.seat_id
                          AND waiting.status = 'released'
                        ORDER BY waiting.hlc DESC, waiting.id LIMIT 1)
            """).execute(arguments: ["now": now])
        try db.cachedStatement(sql: """
            DELETE FROM sync_displaced_tickets
            WHERE EXISTS (SELECT 1 FROM tickets WHERE tickets.id = sync_displaced_tickets.ticket_id AND tickets.status = 'active')
            """).execute()
        try DisplacedTicket.forgetSettled(db)
        for entity in FeedEntity.all.reversed() where entities.contains(entity.table) {
            try db.cachedStatement(sql: entity.deleteSQL).execute(arguments: range)
        }
        if entities.contains("sync_conflicts") {
            try db.cachedStatement(sql: """
                INSERT INTO sync_conflicts (id, kind, node_name, entity, entity_id, booking_id, showtime_id, seat_before,
                                            seat_after, reason, details, status, resolution, created_at, resolved_at,
                                            printed_code)
                SELECT feed_entity_id, kind, node_name, entity, entity_id, booking_id, showtime_id, seat_before, seat_after,
                       reason, json_object('node_side', \(Self.asJSON("node_side")), 'central_side', \(Self.asJSON("central_side"))),
                       status, resolution, created_at, resolved_at, printed_code
                FROM temp.feed_page
                WHERE feed_entity = 'sync_conflicts' AND position BETWEEN :lower AND :upper
                ORDER BY position
                ON CONFLICT (id) DO UPDATE SET
                    status = CASE WHEN sync_conflicts.status = 'resolved' THEN 'resolved' ELSE excluded.status END,
                    resolution = coalesce(excluded.resolution, sync_conflicts.resolution),
                    resolved_at = coalesce(excluded.resolved_at, sync_conflicts.resolved_at),
                    seat_after = coalesce(excluded.seat_after, sync_conflicts.seat_after),
                    node_name = excluded.node_name, details = excluded.details, reason = excluded.reason,
                    printed_code = coalesce(excluded.printed_code, sync_conflicts.printed_code)
                """).execute(arguments: range)
            written += db.changesCount
        }
        return written
    }

    /// A sale head office accepted takes its seat here even over a local sale it has not seen yet;
    /// that local sale gets head office's decision (a new seat, or a refund) when pushed. The local
    /// ticket is released and remembered as displaced, in case the feed row that took its seat is
    /// an old one that a later row corrects.
    private func releaseSeatsTakenByFeed(_ db: Database, range: StatementArguments, now: Date) throws {
        // The row-value IN is implied by the EXISTS; it only lets SQLite start from the page's seats
        // (the index `tickets_one_active_per_seat`) instead of testing every active ticket of the
        // store against every row of the page, which made a pull quadratic in the store's size.
        let displaced = try String.fetchAll(db.cachedStatement(sql: """
            UPDATE tickets SET status = 'released', updated_at = :now
            WHERE status = 'active'
              AND (showtime_id, seat_id) IN (
                SELECT f.showtime_id, f.seat_id FROM temp.feed_page f
                WHERE f.feed_entity = 'tickets' AND f.feed_operation <> 'delete' AND f.position BETWEEN :lower AND :upper)
              AND EXISTS (
                SELECT 1 FROM temp.feed_page f
                WHERE f.feed_entity = 'tickets' AND f.feed_operation <> 'delete' AND f.position BETWEEN :lower AND :upper
                  AND f.status = 'active' AND f.showtime_id = tickets.showtime_id
                  AND f.seat_id = tickets.seat_id AND f.feed_entity_id <> tickets.id
                  AND f.position = (SELECT max(g.position) FROM temp.feed_page g
                                    WHERE g.feed_entity = 'tickets' AND g.feed_entity_id = f.feed_entity_id
                                      AND g.position <= :upper)
                  AND NOT EXISTS (SELECT 1 FROM tickets mine WHERE mine.id = f.feed_entity_id AND mine.hlc >= f.feed_hlc))
            RETURNING id
            """), arguments: range + ["now": now])
        let remember = try db.cachedStatement(sql: "INSERT OR IGNORE INTO sync_displaced_tickets (ticket_id) VALUES (?)")
        for ticketID in displaced {
            try remember.execute(arguments: [ticketID])
            try DisplacedTicket.record(db, ticketID: ticketID, now: now)
        }
    }

    /// A page column that holds a nested JSON value (as head office sends them) as JSON again;
    /// anything else as a JSON string, so that no payload can make the page fail.
    private static func asJSON(_ column: String) -> String {
        "CASE WHEN json_valid(\(column)) THEN json(\(column)) ELSE json_quote(\(column)) END"
    }

    /// The positions of the range's rows that no statement could take: an unknown entity, or a
    /// parent this store lacks.
    private func unmetRows(_ db: Database, lower: Int, upper: Int) throws -> [Int] {
        var unmet: [String] = ["f.feed_entity NOT IN (\((FeedEntity.all.map { "'\($0.table)'" } + ["'sync_conflicts'"]).joined(separator: ", ")))"]
        for entity in FeedEntity.all where !entity.requirements.isEmpty {
            unmet.append("(f.feed_entity = '\(entity.table)' AND f.feed_operation <> 'delete' AND NOT (\(entity.requirements.joined(separator: " AND "))))")
        }
        return try Int.fetchAll(db, sql: """
            SELECT f.position FROM temp.feed_page f WHERE f.position BETWEEN ? AND ? AND (\(unmet.joined(separator: " OR ")))
            ORDER BY f.position
            """, arguments: [lower, upper])
    }
}
