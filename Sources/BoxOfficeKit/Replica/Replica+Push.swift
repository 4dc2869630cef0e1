import Foundation
import GRDB

extension Replica {
    /// The most tickets a batch takes past its limit to end with the sale it stops in.
    public static let maxTicketsPastLimit = 1_000

    /// The oldest changes head office has not confirmed, at most `limit` (and the rest of the sale
    /// it stops in); `nil` when none wait.
    ///
    /// SQLite itself builds the batch's JSON, so a large backlog streams through in batches and
    /// never sits in memory whole.
    public func nextBatch(limit: Int) async throws -> ChangeBatch? {
        try await nextBatch(after: nil, limit: limit)
    }

    /// The oldest changes after sequence `after` (after the last confirmed one when `nil`), at most
    /// `limit`; `nil` when none wait.
    ///
    /// With `after` the last sequence of a batch still at head office, the agent reads the next
    /// batch before the outcomes of that one are recorded.
    ///
    /// A batch never ends inside a sale: a booking and its tickets are written in one transaction
    /// with one stamp, and head office checks a new booking's total against its tickets in the same
    /// push. So the batch goes on past `limit` through the tickets of the transaction it stops in
    /// (at most ``maxTicketsPastLimit`` more).
    public func nextBatch(after: Int64?, limit: Int) async throws -> ChangeBatch? {
        try await box.read { db in
            let row = try Row.fetchOne(db, sql: """
                WITH head AS (
                    SELECT * FROM change_log
                    WHERE seq > coalesce(:after, (SELECT last_pushed_seq FROM sync_state WHERE singleton = 1))
                    ORDER BY seq LIMIT :limit
                ), cut AS (
                    SELECT seq, hlc FROM head ORDER BY seq DESC LIMIT 1
                ), tail AS (
                    SELECT c.* FROM change_log c, cut
                    WHERE c.seq > cut.seq
                      AND c.seq < coalesce((SELECT d.seq FROM change_log d
                                            WHERE d.seq > cut.seq AND (d.hlc <> cut.hlc OR d.entity <> 'tickets')
                                            ORDER BY d.seq LIMIT 1), 9223372036854775807)
                    ORDER BY c.seq LIMIT :tail
                )
                SELECT min(seq) AS first, max(seq) AS last, count(*) AS count,
                       json_group_array(json_object('seq', seq, 'hlc', hlc, 'entity', entity, 'entity_id', entity_id,
                                                    'operation', operation, 'payload', json(payload))) AS json
                FROM (SELECT * FROM head UNION ALL SELECT * FROM tail ORDER BY seq)
                """, arguments: ["after": after, "limit": max(1, limit), "tail": Self.maxTicketsPastLimit])
            guard let row, let first = row["first"] as Int64? else { return nil }
            return ChangeBatch(firstSequence: first, lastSequence: row["last"], count: row["count"], json: row["json"])
        }
    }

    /// Applies head office's outcomes for a pushed batch and marks the batch as pushed, in one
    /// transaction.
    ///
    /// A reseated sale takes its new seat here too, a sale needing a refund gives up its seat, a
    /// booking head office gave a new code takes it (its receipt's code still finds it, through a
    /// ``SyncConflict/Kind/recoded`` record), and every seat conflict or rejection is kept as a
    /// ``SyncConflict``. None of this is logged again: head office already knows.
    ///
    /// When head office answers ``PushOutcome/Status/forked`` (this store was restored from a backup
    /// or copied, ``StoreFork``), the changes before the fork count as pushed and the others are
    /// numbered again after everything head office has from this node, to be pushed next; the store
    /// takes a new booking-code prefix.
    ///
    /// - Returns: How many outcomes were of each kind, and how many changes will be sent again.
    @discardableResult
    public func recordPush(_ batch: ChangeBatch, outcomes: [PushOutcome]) async throws -> PushSummary {
        let now = box.now
        return try await box.writer.write { db in
            let pushed = try Int64.fetchOne(db, sql: "SELECT last_pushed_seq FROM sync_state WHERE singleton = 1") ?? 0
            // A batch confirmed before (a retry after a crash) changes nothing twice.
            guard batch.lastSequence > pushed else { return PushSummary() }
            var summary = PushSummary()
            // The first change head office refused as forked, and where this store may number again.
            let fork = outcomes.filter { $0.status == .forked && $0.seq >= batch.firstSequence && $0.seq <= batch.lastSequence }
                .min { $0.seq < $1.seq }
            try ChangeLogSuppression.while(db) {
                // Only a change head office did not take as sent needs anything done here, so only
                // those few are read back from the log.
                for outcome in outcomes where outcome.status != .forked {
                    summary.count(outcome.status)
                    if outcome.status == .accepted, let taken = outcome.takenHLC {
                        try adopt(taken, for: outcome.seq, batch: batch, db: db)
                    }
                    guard outcome.status != .accepted || outcome.code != nil,
                          outcome.seq >= batch.firstSequence, outcome.seq <= batch.lastSequence,
                          fork.map({ outcome.seq < $0.seq }) ?? true,
                          let entry = try Row.fetchOne(db.cachedStatement(sql: """
                              SELECT seq, entity, entity_id, payload FROM change_log WHERE seq = ?
                              """), arguments: [outcome.seq])
                    else { continue }
                    try apply(outcome, to: entry, db: db, now: now)
                }
            }
            try db.execute(sql: "UPDATE sync_state SET last_pushed_seq = ?, last_push_at = ? WHERE singleton = 1",
                           arguments: [fork.map { $0.seq - 1 } ?? batch.lastSequence, now])
            if let fork {
                summary.forked = try StoreFork.renumber(db, from: fork.seq, to: max(fork.nextSequence ?? 1, 1), now: now)
                box.logger.warning("this store forked: its changes are sent again under new numbers", metadata: [
                    "from": .stringConvertible(fork.seq), "changes": .stringConvertible(summary.forked),
                ])
            }
            if let stamp = outcomes.compactMap({ $0.hlc.flatMap(HLC.init) }).max() {
                try db.observeHLC(stamp, now: now)
            }
            return summary
        }
    }

    /// Head office gave booking `bookingID` the code `code` because another sale of this counter
    /// holds `printed`, the code on its receipt (a store restored or copied issued it twice).
    private func recode(bookingID: String, to code: String, printed: String, outcome: PushOutcome, db: Database, now: Date) throws {
        try db.cachedStatement(sql: "UPDATE bookings SET code = ? WHERE id = ?").execute(arguments: [code, bookingID])
        let showtime = try String.fetchOne(db.cachedStatement(sql: "SELECT showtime_id FROM bookings WHERE id = ?"),
                                           arguments: [bookingID])
        try db.cachedStatement(sql: """
            INSERT INTO sync_conflicts (id, kind, entity, entity_id, booking_id, showtime_id, reason, status, resolution,
                                        created_at, resolved_at, printed_code)
            VALUES (?, 'recoded', 'bookings', ?, ?, ?, ?, 'resolved', ?, ?, ?, ?)
            ON CONFLICT (id) DO NOTHING
            """).execute(arguments: [
                outcome.conflictID ?? EntityID.make(at: now), bookingID, bookingID, showtime,
                "booking code \(printed) was printed on two receipts of this counter (its store was restored from a backup "
                    + "or copied): this sale is now \(code); its receipt still shows \(printed)",
                "nothing to do: the receipt's code finds the sale", now, now, printed,
            ])
    }

    /// The row of change `seq` takes the stamp head office took it with (its clamp of a clock far
    /// ahead), unless a later local change has stamped the row since: both copies then carry one
    /// stamp, and head office's later changes to the row, stamped after it, win here as they should.
    private func adopt(_ taken: String, for seq: Int64, batch: ChangeBatch, db: Database) throws {
        guard seq >= batch.firstSequence, seq <= batch.lastSequence, HLC(taken) != nil,
              let entry = try Row.fetchOne(db.cachedStatement(sql: "SELECT entity, entity_id, hlc FROM change_log WHERE seq = ?"),
                                           arguments: [seq]),
              let table = FeedEntity.all.first(where: { $0.table == entry["entity"] as String && $0.key == ["id"] })?.table
        else { return }
        try db.execute(sql: "UPDATE \(table) SET hlc = ? WHERE id = ? AND hlc = ?",
                       arguments: [taken, entry["entity_id"] as String, entry["hlc"] as String])
    }

    private func apply(_ outcome: PushOutcome, to entry: Row, db: Database, now: Date) throws {
        let entity: String = entry["entity"]
        let entityID: String = entry["entity_id"]
        if entity == "tickets" && outcome.status != .accepted {
            // Head office decided this ticket's seat: no local seat to take back any more.
            try db.cachedStatement(sql: "DELETE FROM sync_displaced_tickets WHERE ticket_id = ?").execute(arguments: [entityID])
            try DisplacedTicket.forgetSettled(db)
        }
        switch outcome.status {
        case .accepted:
            guard entity == "bookings", let code = outcome.code, let printed = outcome.printedCode else { return }
            try recode(bookingID: entityID, to: code, printed: printed, outcome: outcome, db: db, now: now)
            return
        case .forked:
            return
        case .reseated:
            guard entity == "tickets", let seat = outcome.seatID else { break }
            // A ticket released here after the sale (its booking was cancelled; that change waits
            // in the log) keeps its release: it only learns its new seat.
            let releasedSince = try Bool.fetchOne(db.cachedStatement(sql: """
                SELECT EXISTS (SELECT 1 FROM change_log WHERE entity = 'tickets' AND entity_id = ? AND seq > ?)
                """), arguments: [entityID, outcome.seq]) ?? false
            if !releasedSince {
                // Whatever local ticket sits on the new seat has not reached head office yet; it
                // will get its own decision when it does. Head office may well give it the seat
                // (the reseated ticket can have left it by then: a hold that ran out, a refund), so
                // it is remembered as displaced and takes the seat back once the feed frees it here;
                // released for good, its paid booking would print a seat head office still holds for it.
                let displaced = try String.fetchAll(db.cachedStatement(sql: """
                    UPDATE tickets SET status = 'released', updated_at = ?
                    WHERE status = 'active' AND seat_id = ? AND id <> ?
                      AND showtime_id = (SELECT showtime_id FROM tickets WHERE id = ?)
                    RETURNING id
                    """), arguments: [now, seat, entityID, entityID])
                for ticketID in displaced {
                    try db.cachedStatement(sql: "INSERT OR IGNORE INTO sync_displaced_tickets (ticket_id) VALUES (?)")
                        .execute(arguments: [ticketID])
                }
            }
            try db.cachedStatement(sql: """
                UPDATE tickets SET seat_id = ?, status = CASE WHEN ? THEN status ELSE 'active' END,
                    updated_at = ?, hlc = coalesce(?, hlc)
                WHERE id = ?
                """).execute(arguments: [seat, releasedSince, now, outcome.hlc, entityID])
        case .refundRequired:
            guard entity == "tickets" else { break }
            // The ticket takes head office's seat too: it carries head office's stamp from here on,
            // so the feed's copy of the same stamp never corrects it (found by the simulation).
            try db.cachedStatement(sql: """
                UPDATE tickets SET status = 'released', seat_id = coalesce(?, seat_id), updated_at = ?, hlc = coalesce(?, hlc)
                WHERE id = ?
                """).execute(arguments: [outcome.seatID, now, outcome.hlc, entityID])
        case .rejected:
            break
        }
        guard outcome.status != .accepted else { return }
        let payload = try? JSONSerialization.jsonObject(with: Data((entry["payload"] as String).utf8)) as? [String: Any]
        let bookingID = entity == "bookings" ? entityID : payload?["booking_id"] as? String
        let kind = outcome.status.rawValue
        try db.cachedStatement(sql: """
            INSERT INTO sync_conflicts (id, kind, entity, entity_id, booking_id, showtime_id, seat_before, seat_after,
                                        reason, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO NOTHING
            """).execute(arguments: [
                outcome.conflictID ?? EntityID.make(at: now), kind, entity, entityID, bookingID,
                payload?["showtime_id"] as? String, outcome.seatBefore, outcome.seatAfter,
                outcome.reason ?? "head office did not accept this change", now,
            ])
    }
}
