import Foundation
import GRDB

/// One transaction's work of placing a booking: the rules, then the rows.
struct Placement {
    let now: Date
    let stamp: HLC
    let node: String
    let principal: Principal

    /// How the new booking starts: held for payment, or paid at once (the counter's sale).
    enum Outcome {
        case held(until: Date)
        case paid(methodID: String, reference: String?)
    }

    /// Checks every rule and inserts the booking and its tickets; returns the booking's id.
    func place(
        _ db: Database, showtime showtimeID: String, request: SeatRequest, customer: CustomerRequest, outcome: Outcome
    ) throws -> String {
        let showing = try SaleShowtime.fetch(db, id: showtimeID)
        try showing.checkBookable(at: now)
        let seats = try resolve(db, request, in: showing)
        let who = try customer.details(db)

        try Self.expireHolds(db, now: now, stamp: stamp, showtimeID: showing.id, seatIDs: seats.map(\.id))
        let taken = try takenSeatIDs(db, showtimeID: showing.id, seatIDs: seats.map(\.id))
        guard taken.isEmpty else { throw SaleError.seatTaken(seats.filter { taken.contains($0.id) }.map(\.label)) }

        let id = EntityID.make(at: now)
        let total = seats.reduce(0) { $0 + $1.price }
        var holdExpiresAt: Date?, methodID: String?, reference: String?, soldAt: Date?, soldHLC: String?
        switch outcome {
        case let .held(until): holdExpiresAt = until
        case let .paid(method, ref): (methodID, reference, soldAt, soldHLC) = (method, ref, now, stamp.description)
        }
        try db.cachedStatement(sql: """
            INSERT INTO bookings (id, code, showtime_id, user_id, customer_name, customer_email, node_id, channel,
                status, total, payment_method_id, payment_reference, hold_expires_at, sold_at, sold_hlc, created_by,
                created_at, updated_at, hlc)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [
                id, try BookingCode.next(db), showing.id, who.userID, who.name, who.email, node,
                principal.role == .customer ? "online" : "counter", methodID == nil ? "held" : "paid", total,
                methodID, reference, holdExpiresAt, soldAt, soldHLC, principal.userID, now, now, stamp.description,
            ])
        try Self.insertTickets(db, bookingID: id, showtimeID: showing.id, seats: seats, now: now, stamp: stamp)
        return id
    }

    /// A requested seat, found in the showtime's studio.
    struct ResolvedSeat {
        var id: String
        var label: String
        var price: Int
    }

    /// Finds every requested seat in the showtime's studio, by id or by label.
    private func resolve(_ db: Database, _ request: SeatRequest, in showing: SaleShowtime) throws -> [ResolvedSeat] {
        let resolved = try resolveByLabel(db, request, in: showing) ?? resolveInStudio(db, request, in: showing)
        var seen = Set<String>()
        for seat in resolved where !seen.insert(seat.id).inserted {
            throw InputError(field: "seats", reason: "\(seat.label) is given more than once")
        }
        return resolved
    }

    /// The common case, looked up by index: every token is a seat label of the studio once upper-cased
    /// (layouts make labels like `F12`). `nil` when one is not, and ``resolveInStudio(_:_:in:)`` decides.
    private func resolveByLabel(_ db: Database, _ request: SeatRequest, in showing: SaleShowtime) throws -> [ResolvedSeat]? {
        let labels = request.tokens.map { $0.uppercased() }
        let placeholders = Array(repeating: "?", count: labels.count).joined(separator: ", ")
        let rows = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT se.id, se.label, \(SeatStates.priceSQL) AS price
            FROM showtimes st JOIN seats se ON se.studio_id = st.studio_id
            WHERE st.id = ? AND se.label IN (\(placeholders))
            """), arguments: StatementArguments([showing.id] + labels))
        let byLabel = Dictionary(
            rows.map { row in (row[1] as String, ResolvedSeat(id: row[0], label: row[1], price: row[2])) },
            uniquingKeysWith: { first, _ in first })
        var resolved: [ResolvedSeat] = []
        for label in labels {
            guard let seat = byLabel[label] else { return nil }
            resolved.append(seat)
        }
        return resolved
    }

    /// Every other case: reads the whole studio and matches each token by id, then by label in any
    /// case; names the tokens that are unknown or belong to another studio.
    private func resolveInStudio(_ db: Database, _ request: SeatRequest, in showing: SaleShowtime) throws -> [ResolvedSeat] {
        let rows = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT se.id, se.label, \(SeatStates.priceSQL) AS price
            FROM showtimes st JOIN seats se ON se.studio_id = st.studio_id WHERE st.id = ?
            """), arguments: [showing.id])
        let seats = rows.map { ResolvedSeat(id: $0["id"], label: $0["label"], price: $0["price"]) }
        let byID = Dictionary(seats.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let byLabel = Dictionary(seats.map { ($0.label.uppercased(), $0) }, uniquingKeysWith: { first, _ in first })
        var resolved: [ResolvedSeat] = [], unknown: [String] = [], elsewhere: [String] = []
        for token in request.tokens {
            if let seat = byID[token.lowercased()] ?? byLabel[token.uppercased()] {
                resolved.append(seat)
            } else if EntityID.isValid(token),
                      try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM seats WHERE id = ?)"),
                                        arguments: [token.lowercased()]) == true {
                elsewhere.append(token)
            } else {
                unknown.append(token)
            }
        }
        guard unknown.isEmpty else { throw SaleError.unknownSeats(unknown, studio: showing.studioName) }
        guard elsewhere.isEmpty else { throw SaleError.seatsOfAnotherStudio(elsewhere, studio: showing.studioName) }
        return resolved
    }

    /// The requested seats that are not free for this showtime: an active ticket holds them (held or
    /// sold), head office blocked them, or they are allotted to another node. Run after expiring stale holds.
    private func takenSeatIDs(_ db: Database, showtimeID: String, seatIDs: [String]) throws -> Set<String> {
        let placeholders = Array(repeating: "?", count: seatIDs.count).joined(separator: ", ")
        let taken = try String.fetchAll(db.cachedStatement(sql: """
            SELECT se.id FROM seats se
            WHERE se.id IN (\(placeholders)) AND (
                EXISTS (SELECT 1 FROM tickets t WHERE t.showtime_id = ? AND t.seat_id = se.id AND t.status = 'active')
                OR EXISTS (SELECT 1 FROM seat_blocks sb WHERE sb.showtime_id = ? AND sb.seat_id = se.id)
                OR EXISTS (SELECT 1 FROM seat_allotments sa
                           WHERE sa.showtime_id = ? AND sa.seat_id = se.id AND sa.node_id <> ?))
            """), arguments: StatementArguments(seatIDs + [showtimeID, showtimeID, showtimeID, node]))
        return Set(taken)
    }

    /// Inserts one active ticket per seat; a seat that another booking holds (the unique index
    /// `tickets_one_active_per_seat`, the real guard when processes race) becomes ``SaleError/seatTaken(_:)``.
    static func insertTickets(
        _ db: Database, bookingID: String, showtimeID: String, seats: [ResolvedSeat], now: Date, stamp: HLC
    ) throws {
        var taken: [String] = []
        for seat in seats {
            do {
                try db.cachedStatement(sql: """
                    INSERT INTO tickets (id, booking_id, showtime_id, seat_id, price, status, created_at, updated_at, hlc)
                    VALUES (?, ?, ?, ?, ?, 'active', ?, ?, ?)
                    """).execute(arguments: [EntityID.make(at: now), bookingID, showtimeID, seat.id, seat.price, now, now,
                                     stamp.description])
            } catch let error as DatabaseError where db.brokenConstraint(error) == .oneActiveTicketPerSeat {
                taken.append(seat.label)
            }
        }
        guard taken.isEmpty else { throw SaleError.seatTaken(taken) }
    }

    /// Expires held bookings whose hold ran out, and releases their tickets; returns how many.
    ///
    /// With `showtimeID`, only the bookings holding one of `seatIDs` in that showtime (what a new
    /// booking of those seats needs); without, every stale hold of the store. Active tickets left on
    /// a closed booking (a cancelled, refunded or expired one) on those seats are released too.
    @discardableResult
    static func expireHolds(_ db: Database, now: Date, stamp: HLC, showtimeID: String?, seatIDs: [String]) throws -> Int {
        let ids: [String]
        if let showtimeID {
            let placeholders = Array(repeating: "?", count: seatIDs.count).joined(separator: ", ")
            let seatArguments = StatementArguments([showtimeID] + seatIDs)
            ids = try String.fetchAll(db.cachedStatement(sql: """
                SELECT DISTINCT b.id FROM bookings b JOIN tickets t ON t.booking_id = b.id
                WHERE t.showtime_id = ? AND t.seat_id IN (\(placeholders)) AND t.status = 'active'
                  AND b.status IN ('held', 'pending_payment') AND b.hold_expires_at <= ?
                """), arguments: seatArguments + [now])
            try db.cachedStatement(sql: """
                UPDATE tickets SET status = 'released', updated_at = ?, hlc = ?
                WHERE showtime_id = ? AND seat_id IN (\(placeholders)) AND status = 'active'
                  AND EXISTS (SELECT 1 FROM bookings b WHERE b.id = tickets.booking_id
                              AND b.status IN ('cancelled', 'refunded', 'expired'))
                """).execute(arguments: [now, stamp.description] + seatArguments)
        } else {
            ids = try String.fetchAll(db, sql: """
                SELECT id FROM bookings WHERE status IN ('held', 'pending_payment') AND hold_expires_at <= ?
                """, arguments: [now])
        }
        for id in ids {
            try db.execute(sql: "UPDATE bookings SET status = 'expired', updated_at = ?, hlc = ? WHERE id = ?",
                           arguments: [now, stamp.description, id])
            try releaseTickets(db, bookingID: id, now: now, stamp: stamp)
        }
        return ids.count
    }

    /// Gives back every seat of a booking.
    static func releaseTickets(_ db: Database, bookingID: String, now: Date, stamp: HLC) throws {
        try db.execute(sql: """
            UPDATE tickets SET status = 'released', updated_at = ?, hlc = ? WHERE booking_id = ? AND status = 'active'
            """, arguments: [now, stamp.description, bookingID])
    }
}
