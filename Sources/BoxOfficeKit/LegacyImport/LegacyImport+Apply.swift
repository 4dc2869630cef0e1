import Foundation
import GRDB

extension LegacyImport {
    /// Writes a planned batch into the store in one transaction: every row or none.
    ///
    /// Rows keep the password hashes and times the plan gives them and take the transaction's one
    /// stamp; the change-log triggers journal them as they journal any change, so the next sync
    /// sends them to head office. The old ids go to `legacy_ids`, which stays in this store. What
    /// only the store can tell is settled here, in the batch's order (see ``ImportOutcome``): an
    /// email the store has already, a payment method code it has already, a showtime that would
    /// overlap a scheduled one, a seat that is taken.
    ///
    /// ```swift
    /// let outcome = try await box.legacyImport.apply(plan.batch, dryRun: true)   // writes nothing
    /// ```
    ///
    /// - Parameters:
    ///   - batch: The rows, from a ``LegacyImportPlan`` made against this store.
    ///   - dryRun: Settle everything, then roll back: the outcome of a real run, nothing written.
    ///   - progress: Called now and then with the rows written and the batch's rows.
    /// - Returns: What was settled against the store's rows.
    /// - Throws: ``LegacyImportError/targetRefused(_:)`` when the store refuses a row; nothing is written.
    @discardableResult
    public func apply(
        _ batch: ImportBatch, dryRun: Bool = false, progress: (@Sendable (Int, Int) -> Void)? = nil
    ) async throws -> ImportOutcome {
        guard !batch.isEmpty else { return ImportOutcome() }
        let now = box.now
        let node = box.nodeID
        do {
            let outcome = try await box.writer.writeWithoutTransaction { db in
                var outcome = ImportOutcome()
                try db.inTransaction {
                    var writer = BatchWriter(db: db, stamp: try db.nextHLC(now: now), now: now, node: node,
                                             progress: progress, total: batch.rowCount)
                    outcome = try writer.write(batch)
                    return dryRun ? .rollback : .commit
                }
                return outcome
            }
            box.logger.info(dryRun ? "legacy import tried and rolled back" : "legacy import written", metadata: [
                "rows": .stringConvertible(batch.rowCount), "bookings": .stringConvertible(batch.bookings.count),
                "lost_seats": .stringConvertible(outcome.lostSeats.count),
            ])
            return outcome
        } catch let error as DatabaseError {
            throw LegacyImportError.targetRefused("the store refused a row: \(error.message ?? "\(error.resultCode)")")
        }
    }
}

/// Writes one batch in the caller's transaction.
private struct BatchWriter {
    let db: Database
    let hlc: HLC
    let stamp: String
    let now: Date
    /// This store's node, for whom the seat rule decides.
    let node: String
    let progress: (@Sendable (Int, Int) -> Void)?
    let total: Int
    var written = 0
    var outcome = ImportOutcome()
    /// Planned ids that became existing rows.
    var users: [String: String] = [:]
    var methods: [String: String] = [:]

    init(db: Database, stamp: HLC, now: Date, node: String, progress: (@Sendable (Int, Int) -> Void)?, total: Int) {
        self.db = db
        self.hlc = stamp
        self.stamp = stamp.description
        self.now = now
        self.node = node
        self.progress = progress
        self.total = total
    }

    mutating func write(_ batch: ImportBatch) throws -> ImportOutcome {
        for row in batch.cinemas {
            try execute("""
                INSERT INTO cinemas (id, name, city, address, time_zone, created_at, updated_at, deleted_at, hlc)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [row.id, row.name, row.city, row.address, row.timeZone, row.createdAt, row.updatedAt, row.deletedAt, stamp])
        }
        for row in batch.movies {
            try execute("""
                INSERT INTO movies (id, title, description, duration_minutes, release_date, genre, rating, poster_url,
                                    director, cast_members, created_at, updated_at, deleted_at, hlc)
                VALUES (?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?, ?)
                """, [row.id, row.title, row.description, row.durationMinutes, row.releaseDate, row.genre, row.posterURL,
                      row.director, try CatalogInput.jsonText(row.castMembers), row.createdAt, row.updatedAt, row.deletedAt, stamp])
        }
        for row in batch.paymentMethods {
            if let existing = try String.fetchOne(db, sql: "SELECT id FROM payment_methods WHERE code = ?", arguments: [row.code]) {
                methods[row.id] = existing
                outcome.reusedPaymentMethods.append(.init(id: row.id, into: existing))
                continue
            }
            try execute("""
                INSERT INTO payment_methods (id, code, name, kind, enabled, sort_order, created_at, updated_at, hlc)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [row.id, row.code, row.name, row.kind.rawValue, row.enabled, row.sortOrder, row.createdAt, row.updatedAt, stamp])
        }
        for row in batch.studios {
            try execute("""
                INSERT INTO studios (id, cinema_id, name, layout_spec, seat_count, created_at, updated_at, deleted_at, hlc)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [row.id, row.cinemaID, row.name, row.layoutSpec, row.seatCount, row.createdAt, row.updatedAt, row.deletedAt, stamp])
        }
        for row in batch.seats {
            try execute("""
                INSERT INTO seats (id, studio_id, row_label, number, label, kind, grid_row, grid_column, hlc)
                VALUES (?, ?, ?, ?, ?, 'regular', ?, ?, ?)
                """, [row.id, row.studioID, row.rowLabel, row.number, row.label, row.gridRow, row.gridColumn, stamp])
        }
        for row in batch.showtimes { try write(row) }
        for row in batch.users { try write(row) }
        for row in batch.bookings { try write(row) }
        for entry in batch.legacyIDs {
            let newID = switch entry.entity {
            case .users: users[entry.newID] ?? entry.newID
            case .paymentMethods: methods[entry.newID] ?? entry.newID
            default: entry.newID
            }
            try execute("INSERT INTO legacy_ids (entity, legacy_id, new_id, hlc) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                        [entry.entity.rawValue, entry.legacyID, newID, stamp])
        }
        progress?(total, total)
        return outcome
    }

    /// A showtime; one that the store's overlap rule refuses (it would overlap a scheduled showtime
    /// of its studio) comes cancelled, naming the showtime it overlaps.
    private mutating func write(_ row: ImportBatch.ShowtimeRow) throws {
        do {
            try db.inSavepoint {
                try insert(row, status: row.status)
                return .commit
            }
        } catch let error as DatabaseError where db.brokenConstraint(error) == .showtimesDoNotOverlap {
            let planned = Showtime(
                id: row.id, cinemaID: row.cinemaID, studioID: row.studioID, movieID: row.movieID, startsAt: row.startsAt,
                endsAt: row.endsAt, basePrice: Money(rupiah: row.basePrice), priceModifiers: [:], createdAt: row.createdAt,
                timeZone: "UTC", cinemaName: "", movieTitle: "", studioName: "", hlc: stamp)
            let other = try Catalog.clash(of: planned, in: db)
            try insert(row, status: .cancelled)
            outcome.cancelledShowtimes.append(.init(id: row.id, overlaps: other?.id))
        }
    }

    private mutating func insert(_ row: ImportBatch.ShowtimeRow, status: Showtime.Status) throws {
        try execute("""
            INSERT INTO showtimes (id, cinema_id, studio_id, movie_id, starts_at, ends_at, base_price, price_modifiers,
                                   price_version, price_needed, status, created_at, updated_at, hlc)
            VALUES (?, ?, ?, ?, ?, ?, ?, '{}', 'legacy', ?, ?, ?, ?, ?)
            """, [row.id, row.cinemaID, row.studioID, row.movieID, row.startsAt, row.endsAt, row.basePrice, row.priceNeeded,
                  status.rawValue, row.createdAt, row.updatedAt, stamp])
    }

    /// An account; one whose email the store has already becomes that account.
    private mutating func write(_ row: ImportBatch.UserRow) throws {
        if let existing = try String.fetchOne(db, sql: "SELECT id FROM users WHERE email = ? COLLATE NOCASE", arguments: [row.email]) {
            users[row.id] = existing
            outcome.mergedUsers.append(.init(id: row.id, into: existing))
            return
        }
        try execute("""
            INSERT INTO users (id, name, email, phone, password_hash, role, cinema_id, verified_at, created_at, updated_at, hlc)
            VALUES (?, ?, ?, ?, ?, 'customer', NULL, ?, ?, ?, ?)
            """, [row.id, row.name, row.email, row.phone, row.passwordHash, row.verifiedAt, row.createdAt, row.updatedAt, stamp])
    }

    /// A booking and its tickets; a ticket whose seat is taken gives it up.
    private mutating func write(_ row: ImportBatch.BookingRow) throws {
        var status = row.status
        var tickets = row.tickets
        var lost: [(ticket: String, holder: Row)] = []
        for (index, ticket) in tickets.enumerated() where ticket.status == .active {
            // The seat rule (Sales/SeatStates.swift) says whether a sale holds the seat.
            let seat = try SeatStates.standing(db, showtimeID: row.showtimeID, seatIDs: [ticket.seatID], now: now, node: node)
            if let seat = seat.first, seat.state == .sold || seat.state == .held, let holder = try Row.fetchOne(db, sql: """
                SELECT t.booking_id, b.code, s.label FROM tickets t
                JOIN bookings b ON b.id = t.booking_id JOIN seats s ON s.id = t.seat_id
                WHERE t.showtime_id = ? AND t.seat_id = ? AND t.status = 'active'
                """, arguments: [row.showtimeID, ticket.seatID]) {
                tickets[index].status = .released
                lost.append((ticket.id, holder))
            } else if let stale = seat.first?.stale {
                try Placement.clear(db, [stale], now: now, stamp: hlc)
            }
        }
        if !lost.isEmpty && status != .paid {
            // Unpaid: nothing to refund; the booking ends as a hold would, every seat given back.
            status = .expired
            for index in tickets.indices { tickets[index].status = .released }
        }
        let userID = row.userID.map { users[$0] ?? $0 }
        let paid = status == .paid
        try execute("""
            INSERT INTO bookings (id, code, showtime_id, user_id, customer_name, customer_email, node_id, channel, status,
                                  total, payment_method_id, payment_reference, hold_expires_at, sold_at, sold_hlc,
                                  created_by, created_at, updated_at, hlc)
            VALUES (?, ?, ?, ?, ?, ?, ?, 'online', ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?)
            """, [row.id, row.code, row.showtimeID, userID, row.customerName, row.customerEmail, ImportBatch.nodeID,
                  status.rawValue, row.total, row.paymentMethodID.map { methods[$0] ?? $0 }, row.holdExpiresAt,
                  paid ? row.soldAt : nil, paid ? stamp : nil, userID, row.createdAt, row.updatedAt, stamp])
        for ticket in tickets {
            try execute("""
                INSERT INTO tickets (id, booking_id, showtime_id, seat_id, price, price_version, status, created_at,
                                     updated_at, hlc)
                VALUES (?, ?, ?, ?, ?, 'legacy', ?, ?, ?, ?)
                """, [ticket.id, row.id, row.showtimeID, ticket.seatID, ticket.price, ticket.status.rawValue,
                      row.createdAt, row.updatedAt, stamp])
        }
        for (ticket, holder) in lost {
            let holderCode: String = holder["code"], label: String = holder["label"]
            var conflictID: String?
            if paid {
                let id = EntityID.make(at: now)
                conflictID = id
                let twice = holderCode.hasPrefix(LegacyImportPlan.codePrefix) ? " (the old system booked it twice)" : ""
                try execute("""
                    INSERT INTO sync_conflicts (id, kind, node_name, entity, entity_id, booking_id, showtime_id, seat_before,
                                                reason, details, created_at)
                    VALUES (?, 'refund_required', ?, 'tickets', ?, ?, ?, ?, ?,
                            json_object('node_side', json_object('booking', ?), 'central_side', json_object('booking', ?)), ?)
                    """, [id, ImportBatch.nodeID, ticket, row.id, row.showtimeID, label,
                          "seat \(label) was already taken by booking \(holderCode)\(twice): refund the customer",
                          row.code, holderCode, now])
            }
            outcome.lostSeats.append(.init(bookingID: row.id, ticketID: ticket, holderBookingID: holder["booking_id"],
                                           outcome: paid ? .refundRequired : .expired, conflictID: conflictID))
        }
    }

    private mutating func execute(_ sql: String, _ arguments: StatementArguments) throws {
        try db.cachedStatement(sql: sql).execute(arguments: arguments)
        written += 1
        if written % 500 == 0 { progress?(written, total) }
    }
}
