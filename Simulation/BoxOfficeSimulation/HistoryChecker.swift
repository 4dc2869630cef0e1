import Foundation
import GRDB
import SyncAgent

/// Holds a run's history — every receipt printed, every allotment — against head office's final
/// state and every counter's store, after everything healed and synced until quiet.
///
/// It reads both stores directly (it is the harness's eye, not a part of the product), and names
/// each broken promise as a ``Violation``.
public struct HistoryChecker: Sendable {
    let centralURL: String
    /// Every counter that must have converged: its node name, cinema and store file. Revoked
    /// counters are checked for their inbox only.
    let counters: [(name: String, cinemaID: String, path: String)]

    /// A checker of head office at `centralURL` and these counters.
    public init(centralURL: String, counters: [(name: String, cinemaID: String, path: String)]) {
        self.centralURL = centralURL
        self.counters = counters
    }

    /// The merge order of booking states (rules/booking_states.sql): a booking never moves down it.
    static let rank = ["held": 1, "pending_payment": 2, "expired": 3, "cancelled": 4, "paid": 5, "refunded": 6]

    struct CentralBooking {
        var code: String
        var origin: String
        var status: String
        var total: Int
    }

    /// Every violation of the history, in the order of the rules.
    ///
    /// - Throws: ``PostgresError`` or a GRDB error when a store cannot be read.
    public func check(_ history: History) throws -> [Violation] {
        let central = try PostgresConnection(url: centralURL)
        var bookings: [String: CentralBooking] = [:]
        var byCode: [String: [String]] = [:]
        // A hold that ran out reads as expired (rules/seats.sql), whether or not a change said so.
        for row in try central.query("""
            SELECT id, code, origin_node,
                   CASE WHEN status IN ('held', 'pending_payment') AND hold_expires_at <= now() THEN 'expired' ELSE status END,
                   coalesce(payload->>'total', '0')
            FROM central.bookings
            """).values {
            bookings[row[0]!] = CentralBooking(code: row[1]!, origin: row[2]!, status: row[3]!, total: Int(row[4]!) ?? -1)
            byCode[row[1]!, default: []].append(row[0]!)
        }
        var activeSeats: [String: [String]] = [:]
        for row in try central.query("""
            SELECT t.booking_id, s.label FROM central.tickets t JOIN central.seats s ON s.id = t.seat_id
            WHERE t.status = 'active' ORDER BY s.label
            """).values {
            activeSeats[row[0]!, default: []].append(row[1]!)
        }
        var conflicts: [String: [String]] = [:]
        for row in try central.query("SELECT booking_id, kind FROM central.conflicts WHERE booking_id IS NOT NULL").values {
            conflicts[row[0]!, default: []].append(row[1]!)
        }

        var violations = receiptViolations(history, bookings: bookings, byCode: byCode, activeSeats: activeSeats, conflicts: conflicts)
        violations += allotmentViolations(history, conflicts: conflicts)
        violations += try stateOrderViolations(central)
        violations += try inboxViolations(central)
        for counter in counters where !history.revoked.contains(counter.name) {
            violations += try copyViolations(central, counter)
        }
        return violations
    }

    /// Every receipt is at head office as printed, or a conflict record names it; its code leads to it.
    func receiptViolations(
        _ history: History, bookings: [String: CentralBooking], byCode: [String: [String]],
        activeSeats: [String: [String]], conflicts: [String: [String]]
    ) -> [Violation] {
        var violations: [Violation] = []
        for receipt in history.receipts {
            let name = "receipt \(receipt.code) (\(receipt.counter), step \(receipt.step), seats \(receipt.seats.joined(separator: ",")), \(receipt.amount))"
            guard let booking = bookings[receipt.bookingID] else {
                violations.append(Violation(rule: .saleVanished, detail: "\(name) has no booking at head office"))
                continue
            }
            let named = conflicts[receipt.bookingID] ?? []
            let holders = byCode[receipt.code] ?? []
            if holders != [receipt.bookingID], named.isEmpty {
                violations.append(Violation(rule: .codeAmbiguous, detail: "\(name): head office's code \(receipt.code) names \(holders.isEmpty ? "no booking" : holders.joined(separator: ", "))"))
            }
            let told = receipt.told.last ?? "held"
            let finalRank = Self.rank[booking.status] ?? 0
            if finalRank < Self.rank[told] ?? 0 {
                violations.append(Violation(rule: .stateBackwards, detail: "\(name): the customer was told \(told), head office has \(booking.status)"))
            }
            guard named.isEmpty else { continue }  // reseated or refund required, and recorded as such
            let seats = activeSeats[receipt.bookingID] ?? []
            let closed = ["cancelled", "refunded", "expired"].contains(booking.status)
            let explained: Bool
            if closed {
                // Closed by the counter (the customer was told), or a hold that ran out anywhere; a
                // hold that ran out keeps its ticket rows active until a sale needs the seat
                // (rules/seats.sql), on the seats it had.
                let toldOrLapsed = receipt.told.contains(booking.status) || told == "held" || told == "expired"
                explained = toldOrLapsed && (seats.isEmpty || (booking.status == "expired" && Set(seats).isSubset(of: receipt.seats)))
            } else {
                explained = seats == receipt.seats
            }
            if !explained {
                violations.append(Violation(rule: .changedSilently, detail: "\(name): head office has it \(booking.status) on seats [\(seats.joined(separator: ","))], told \(receipt.told.joined(separator: "→")), and no conflict names it"))
            }
            if booking.total != receipt.amount {
                violations.append(Violation(rule: .changedSilently, detail: "\(name): head office's total is \(booking.total)"))
            }
        }
        return violations
    }

    /// A counter selling only from its allotment, seats nobody else sold, never conflicts.
    func allotmentViolations(_ history: History, conflicts: [String: [String]]) -> [Violation] {
        history.receipts.filter(\.fromAllotment).compactMap { receipt in
            let contested = history.receipts.contains { other in
                other.counter != receipt.counter && other.showtimeID == receipt.showtimeID && !Set(other.seats).isDisjoint(with: receipt.seats)
            }
            guard !contested, let kinds = conflicts[receipt.bookingID] else { return nil }
            return Violation(rule: .allotmentConflicted, detail: "receipt \(receipt.code) (\(receipt.counter)) sold allotted seats \(receipt.seats.joined(separator: ",")) and got \(kinds.joined(separator: ", "))")
        }
    }

    /// In head office's feed, each booking's states climb the merge order.
    func stateOrderViolations(_ central: PostgresConnection) throws -> [Violation] {
        var last: [String: String] = [:]
        var violations: [Violation] = []
        for row in try central.query("""
            SELECT entity_id, payload->>'status' FROM central.feed WHERE entity = 'bookings' ORDER BY xid, id
            """).values {
            guard let id = row[0], let status = row[1] else { continue }
            if let before = last[id], (Self.rank[status] ?? 0) < (Self.rank[before] ?? 0) {
                violations.append(Violation(rule: .stateBackwards, detail: "booking \(id) went \(before) → \(status) in head office's feed"))
            }
            last[id] = status
        }
        return violations
    }

    /// Head office's inbox holds each change of each counter's log exactly once; the feed published
    /// no change of a node twice.
    func inboxViolations(_ central: PostgresConnection) throws -> [Violation] {
        var violations: [Violation] = []
        for counter in counters {
            let row = try central.query("SELECT count(*), count(DISTINCT seq), coalesce(max(seq), 0) FROM central.inbox WHERE node_name = $1",
                                        [counter.name]).values[0]
            let local = try DatabaseQueue(path: counter.path).read { db in
                try Row.fetchOne(db, sql: "SELECT count(*) AS n, coalesce(max(seq), 0) AS top FROM change_log")!
            }
            let (count, distinct, top) = (Int(row[0]!)!, Int(row[1]!)!, Int(row[2]!)!)
            let (localCount, localTop): (Int, Int) = (local["n"], local["top"])
            if count != distinct || count != localCount || top != localTop {
                violations.append(Violation(rule: .appliedTwice, detail: "\(counter.name): head office's inbox has \(count) changes (\(distinct) distinct, up to \(top)); its change log \(localCount) (up to \(localTop))"))
            }
        }
        for row in try central.query("""
            SELECT origin_node, entity, entity_id, hlc, count(*) FROM central.feed
            WHERE origin_node <> 'central' GROUP BY 1, 2, 3, 4 HAVING count(*) > 1 LIMIT 10
            """).values {
            violations.append(Violation(rule: .appliedTwice, detail: "the feed published \(row[1]!) \(row[2]!) of \(row[0]!) at \(row[3]!) \(row[4]!) times"))
        }
        return violations
    }

    /// The counter's copy of its cinema — catalog, bookings, tickets, states — equals head office's.
    func copyViolations(_ central: PostgresConnection, _ counter: (name: String, cinemaID: String, path: String)) throws -> [Violation] {
        let queries: [(what: String, central: String, local: String)] = [
            ("seats", "SELECT id || '|' || label FROM central.seats WHERE cinema_id = $1",
             "SELECT se.id || '|' || se.label FROM seats se JOIN studios s ON s.id = se.studio_id WHERE s.cinema_id = ?"),
            ("showtimes", "SELECT id || '|' || status FROM central.showtimes WHERE cinema_id = $1",
             "SELECT id || '|' || status FROM showtimes WHERE cinema_id = ?"),
            ("bookings", "SELECT id || '|' || code || '|' || status || '|' || (payload->>'total') FROM central.bookings WHERE cinema_id = $1",
             "SELECT b.id || '|' || b.code || '|' || b.status || '|' || b.total FROM bookings b JOIN showtimes s ON s.id = b.showtime_id WHERE s.cinema_id = ?"),
            ("tickets", "SELECT id || '|' || booking_id || '|' || seat_id || '|' || status FROM central.tickets WHERE cinema_id = $1",
             "SELECT t.id || '|' || t.booking_id || '|' || t.seat_id || '|' || t.status FROM tickets t JOIN showtimes s ON s.id = t.showtime_id WHERE s.cinema_id = ?"),
        ]
        let store = try DatabaseQueue(path: counter.path)
        var violations: [Violation] = []
        for query in queries {
            let theirs = Set(try central.query(query.central, [counter.cinemaID]).values.compactMap { $0[0] })
            let ours = Set(try store.read { db in try String.fetchAll(db, sql: query.local, arguments: [counter.cinemaID]) })
            guard theirs != ours else { continue }
            let missing = theirs.subtracting(ours).sorted().prefix(4)
            let extra = ours.subtracting(theirs).sorted().prefix(4)
            violations.append(Violation(rule: .copyDiverged, detail: "\(counter.name)'s \(query.what): head office only [\(missing.joined(separator: "; "))], counter only [\(extra.joined(separator: "; "))]"))
        }
        return violations
    }
}
