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

    /// The one counter these seats are allotted to, by the name head office knows it by (its id
    /// when the feed brought no name), or `nil` when they are allotted to several.
    static func allotmentNode(_ db: Database, showtimeID: String, seatIDs: [String]) throws -> String? {
        let nodes = try String.fetchAll(db, sql: """
            SELECT DISTINCT coalesce(node_name, node_id) FROM seat_allotments
            WHERE showtime_id = ? AND seat_id IN (SELECT value FROM json_each(?))
            """, arguments: [showtimeID, "[" + seatIDs.map { "\"\($0)\"" }.joined(separator: ",") + "]"])
        return nodes.count == 1 ? nodes[0] : nil
    }

    /// Checks every rule and inserts the booking and its tickets; returns the booking's id.
    func place(
        _ db: Database, showtime showtimeID: String, request: SeatRequest, customer: CustomerRequest, outcome: Outcome
    ) throws -> String {
        let showing = try Showtime.forSale(db, id: showtimeID)
        try showing.checkBookable(at: now, in: db)
        let requested = try resolve(db, request, in: showing)
        let partners = try Self.couplePartners(db, of: requested, in: showing)
        let who = try customer.details(db)

        let standing = try SeatStates.standing(
            db, showtimeID: showing.id, seatIDs: (requested + partners).map(\.id), now: now, node: node)
        // A partner someone else holds already (a pair split before pairs were sold together, or by
        // head office's reseat) is left out: the named seat is sold alone.
        let partnerIDs = Set(partners.map(\.id))
        let taken = Set(standing.filter { $0.state != .free }.map(\.seatID))
        guard taken.subtracting(partnerIDs).isEmpty else {
            let refused = requested.filter { taken.contains($0.id) }
            // Seats another counter alone sells say whose they are: waiting will not free them.
            let allotted = Set(standing.filter { $0.state == .allotted }.map(\.seatID))
            if refused.allSatisfy({ allotted.contains($0.id) }),
               let node = try Self.allotmentNode(db, showtimeID: showing.id, seatIDs: refused.map(\.id)) {
                throw SaleError.seatsAllotted(refused.map(\.label), node: node)
            }
            throw SaleError.seatTaken(refused.map(\.label))
        }
        let seats = requested + partners.filter { !taken.contains($0.id) }
        try Self.clear(db, standing.filter { !taken.contains($0.seatID) }.compactMap(\.stale), now: now, stamp: stamp)

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
                (principal.role == .customer ? BookingChannel.online : .counter).rawValue, methodID == nil ? "held" : "paid", total,
                methodID, reference, holdExpiresAt, soldAt, soldHLC, principal.userID, now, now, stamp.description,
            ])
        try Self.insertTickets(db, bookingID: id, showtimeID: showing.id, priceVersion: showing.priceVersion, seats: seats,
                               now: now, stamp: stamp)
        return id
    }

    /// A requested seat, found in the showtime's studio.
    struct ResolvedSeat {
        var id: String
        var label: String
        var price: Int
        var kind: String = SeatKind.regular.rawValue
    }

    /// The partners (``CouplePairs``) of the requested couple seats that were not requested
    /// themselves: a couple seat is sold with its partner.
    static func couplePartners(_ db: Database, of seats: [ResolvedSeat], in showing: Showtime) throws -> [ResolvedSeat] {
        guard seats.contains(where: { $0.kind == SeatKind.couple.rawValue }) else { return [] }
        let rows = try Row.fetchAll(db, sql: """
            SELECT se.id, se.label, se.row_label, se.grid_column, \(SeatStates.priceSQL) AS price
            FROM showtimes st JOIN seats se ON se.studio_id = st.studio_id
            WHERE st.id = ? AND se.kind = 'couple'
            """, arguments: [showing.id])
        let partners = CouplePairs.partners(of: rows.map {
            CouplePairs.Place(id: $0["id"], row: $0["row_label"], gridColumn: $0["grid_column"], isCouple: true)
        })
        let byID = Dictionary(rows.map { ($0["id"] as String, $0) }, uniquingKeysWith: { first, _ in first })
        let requested = Set(seats.map(\.id))
        var added: [ResolvedSeat] = []
        for seat in seats {
            guard let partner = partners[seat.id], !requested.contains(partner), !added.contains(where: { $0.id == partner }),
                  let row = byID[partner] else { continue }
            added.append(ResolvedSeat(id: partner, label: row["label"], price: row["price"], kind: SeatKind.couple.rawValue))
        }
        return added
    }

    /// Finds every requested seat in the showtime's studio, by id or by label.
    private func resolve(_ db: Database, _ request: SeatRequest, in showing: Showtime) throws -> [ResolvedSeat] {
        let resolved = try resolveByLabel(db, request, in: showing) ?? resolveInStudio(db, request, in: showing)
        var seen = Set<String>()
        for seat in resolved where !seen.insert(seat.id).inserted {
            throw InputError(field: "seats", reason: "\(seat.label) is given more than once")
        }
        return resolved
    }

    /// The common case, looked up by index: every token is a seat label of the studio once upper-cased
    /// (layouts make labels like `F12`). `nil` when one is not, and ``resolveInStudio(_:_:in:)`` decides.
    private func resolveByLabel(_ db: Database, _ request: SeatRequest, in showing: Showtime) throws -> [ResolvedSeat]? {
        let labels = request.tokens.map { $0.uppercased() }
        let placeholders = Array(repeating: "?", count: labels.count).joined(separator: ", ")
        let rows = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT se.id, se.label, \(SeatStates.priceSQL) AS price, se.kind
            FROM showtimes st JOIN seats se ON se.studio_id = st.studio_id
            WHERE st.id = ? AND se.label IN (\(placeholders))
            """), arguments: StatementArguments([showing.id] + labels))
        let byLabel = Dictionary(
            rows.map { row in (row[1] as String, ResolvedSeat(id: row[0], label: row[1], price: row[2], kind: row[3])) },
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
    private func resolveInStudio(_ db: Database, _ request: SeatRequest, in showing: Showtime) throws -> [ResolvedSeat] {
        let rows = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT se.id, se.label, \(SeatStates.priceSQL) AS price, se.kind
            FROM showtimes st JOIN seats se ON se.studio_id = st.studio_id WHERE st.id = ?
            """), arguments: [showing.id])
        let seats = rows.map { ResolvedSeat(id: $0["id"], label: $0["label"], price: $0["price"], kind: $0["kind"]) }
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

    /// Inserts one active ticket per seat, priced from the showtime's prices of `priceVersion`; a
    /// seat that another booking holds (the unique index `tickets_one_active_per_seat`, the real
    /// guard when processes race) becomes ``SaleError/seatTaken(_:)``.
    static func insertTickets(
        _ db: Database, bookingID: String, showtimeID: String, priceVersion: String, seats: [ResolvedSeat], now: Date,
        stamp: HLC
    ) throws {
        var taken: [String] = []
        for seat in seats {
            do {
                try db.cachedStatement(sql: """
                    INSERT INTO tickets (id, booking_id, showtime_id, seat_id, price, price_version, status, created_at,
                                         updated_at, hlc)
                    VALUES (?, ?, ?, ?, ?, ?, 'active', ?, ?, ?)
                    """).execute(arguments: [EntityID.make(at: now), bookingID, showtimeID, seat.id, seat.price, priceVersion,
                                     now, now, stamp.description])
            } catch let error as DatabaseError where db.brokenConstraint(error) == .oneActiveTicketPerSeat {
                taken.append(seat.label)
            }
        }
        guard taken.isEmpty else { throw SaleError.seatTaken(taken) }
    }

    /// Clears the requested seats of the tickets that no longer hold them (``SeatStates``), before
    /// a sale takes them.
    ///
    /// This node's holds that ran out are expired, with all their tickets, and this node's tickets
    /// left on closed bookings are released: journalled, for head office. A ticket of another
    /// node's booking on such a seat is released here without a word to head office: only its own
    /// node expires its hold (it may have been paid there meanwhile), and head office frees the seat
    /// the same way when this sale reaches it.
    static func clear(_ db: Database, _ stale: [SeatStates.Standing.StaleTicket], now: Date, stamp: HLC) throws {
        var expired = Set<String>()
        for ticket in stale where ticket.isMine {
            if ticket.holdRanOut {
                // A hold of several requested seats is expired once.
                if expired.insert(ticket.bookingID).inserted {
                    try expire(db, bookingID: ticket.bookingID, now: now, stamp: stamp)
                }
            } else {
                try db.execute(sql: "UPDATE tickets SET status = 'released', updated_at = ?, hlc = ? WHERE id = ? AND status = 'active'",
                               arguments: [now, stamp.description, ticket.id])
            }
        }
        let foreign = stale.filter { !$0.isMine }.map(\.id)
        guard !foreign.isEmpty else { return }
        try ChangeLogSuppression.while(db) {
            for ticketID in foreign {
                try db.execute(sql: "UPDATE tickets SET status = 'released', updated_at = ? WHERE id = ?", arguments: [now, ticketID])
            }
        }
    }

    /// Expires every hold of this node that ran out, and releases its tickets; returns how many.
    @discardableResult
    static func expireLapsedHolds(_ db: Database, node: String, now: Date, stamp: HLC) throws -> Int {
        let ids = try String.fetchAll(db, sql: """
            SELECT b.id FROM bookings b
            WHERE b.node_id = :node AND \(BookingStatus.effectiveSQL("b")) = 'expired' AND b.status <> 'expired'
            """, arguments: ["node": node, "now": now])
        for id in ids {
            try expire(db, bookingID: id, now: now, stamp: stamp)
        }
        return ids.count
    }

    /// Marks a held booking of this node expired and gives back its seats.
    private static func expire(_ db: Database, bookingID: String, now: Date, stamp: HLC) throws {
        try db.execute(sql: "UPDATE bookings SET status = 'expired', updated_at = ?, hlc = ? WHERE id = ?",
                       arguments: [now, stamp.description, bookingID])
        try releaseTickets(db, bookingID: bookingID, now: now, stamp: stamp)
    }

    /// Gives back every seat of a booking.
    static func releaseTickets(_ db: Database, bookingID: String, now: Date, stamp: HLC) throws {
        try db.execute(sql: """
            UPDATE tickets SET status = 'released', updated_at = ?, hlc = ? WHERE booking_id = ? AND status = 'active'
            """, arguments: [now, stamp.description, bookingID])
    }
}
