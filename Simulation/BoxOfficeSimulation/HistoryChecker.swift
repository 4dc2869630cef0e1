import BoxOfficeKit
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

    /// Every counter's whole change log as its agent sends it (a JSON array of changes), by node.
    let changeLogs: [String: String]

    /// A checker of head office at `centralURL` and these counters, whose change logs are
    /// `changeLogs` (``BoxOfficeKit/Replica/nextBatch(after:limit:)`` from 0, as JSON).
    public init(centralURL: String, counters: [(name: String, cinemaID: String, path: String)], changeLogs: [String: String]) {
        self.centralURL = centralURL
        self.counters = counters
        self.changeLogs = changeLogs
    }

    /// The merge order of booking states, read from its one home at head office
    /// (`central.booking_status_rank`, rules/booking_states.sql): a booking never moves down it.
    static func ranks(_ central: PostgresConnection) throws -> [String: Int] {
        var ranks: [String: Int] = [:]
        for status in BookingStatus.allCases {
            ranks[status.rawValue] = Int(try central.query("SELECT central.booking_status_rank($1)", [status.rawValue]).scalar ?? "0") ?? 0
        }
        return ranks
    }

    /// A booking's state at head office as a customer would find it: a hold that ran out reads as
    /// expired (rules/seats.sql), whether or not a change said so.
    static let centralStatus = """
        CASE WHEN status IN ('held', 'pending_payment') AND hold_expires_at <= now() THEN 'expired' ELSE status END
        """

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
        let rank = try Self.ranks(central)
        var bookings: [String: CentralBooking] = [:]
        var byCode: [String: [String]] = [:]
        for row in try central.query("""
            SELECT id, code, origin_node, \(Self.centralStatus), coalesce(payload->>'total', '0') FROM central.bookings
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

        var violations = receiptViolations(history, rank: rank, bookings: bookings, byCode: byCode, activeSeats: activeSeats, conflicts: conflicts)
        violations += allotmentViolations(history, conflicts: conflicts)
        violations += try cancelledShowtimeViolations(history, central)
        violations += try stateOrderViolations(central, rank: rank)
        violations += try inboxViolations(central, restores: history.restores)
        for counter in counters where !history.revoked.contains(counter.name) {
            violations += try copyViolations(central, counter)
        }
        return violations
    }

    /// Every receipt is at head office as printed, or a conflict record names it; its code leads to it.
    func receiptViolations(
        _ history: History, rank: [String: Int], bookings: [String: CentralBooking], byCode: [String: [String]],
        activeSeats: [String: [String]], conflicts: [String: [String]]
    ) -> [Violation] {
        var violations: [Violation] = []
        for receipt in history.receipts where !receipt.lostInRestore {
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
            if rank[booking.status] ?? 0 < rank[told] ?? 0 {
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

    /// A counter selling only from its allotment, seats nobody else sold, never conflicts over a
    /// seat. Nobody else includes the counter's own destroyed past: a store put back from a backup
    /// may sell again what its original sold after the backup, or what it sold before and paid for
    /// only after (the backup holds the hold, run out). A showtime head office cancelled
    /// leaves every sale of it for a refund, allotted or not; and a code given anew to a forked
    /// copy's sale (`recoded`) is no seat conflict.
    func allotmentViolations(_ history: History, conflicts: [String: [String]]) -> [Violation] {
        history.receipts.filter { $0.fromAllotment && !$0.lostInRestore && !history.cancelledShowtimes.contains($0.showtimeID) }.compactMap { receipt in
            let contested = history.receipts.contains { other in
                guard other.bookingID != receipt.bookingID, other.showtimeID == receipt.showtimeID,
                      !Set(other.seats).isDisjoint(with: receipt.seats) else { return false }
                return other.counter != receipt.counter || history.restores.contains { restore in
                    restore.counter == receipt.counter && restore.step <= receipt.step
                        && ((restore.backupStep < other.step && other.step < restore.step)
                            || restore.behindInBackup.contains(other.bookingID))
                }
            }
            let seatConflicts = (conflicts[receipt.bookingID] ?? []).filter { $0 != "recoded" }
            guard !contested, !seatConflicts.isEmpty else { return nil }
            return Violation(rule: .allotmentConflicted, detail: "receipt \(receipt.code) (\(receipt.counter)) sold allotted seats \(receipt.seats.joined(separator: ",")) and got \(seatConflicts.joined(separator: ", "))")
        }
    }

    /// A showtime head office cancelled sells nothing: no ticket of it is active at head office,
    /// and every paid sale of it (paid before, or pushed after, the cancellation) is kept for a
    /// refund with a conflict record naming it, or was refunded.
    func cancelledShowtimeViolations(_ history: History, _ central: PostgresConnection) throws -> [Violation] {
        var violations: [Violation] = []
        for showtimeID in history.cancelledShowtimes {
            let status = try central.query("SELECT status FROM central.showtimes WHERE id = $1", [showtimeID]).scalar
            if status != "cancelled" {
                violations.append(Violation(rule: .cancelledShowtimeSold, detail: "showtime \(showtimeID) is \(status ?? "missing") at head office after head office cancelled it"))
            }
            for row in try central.query("""
                SELECT b.code, b.status, count(t.id) FILTER (WHERE t.status = 'active'),
                       count(c.id) FILTER (WHERE c.kind = 'refund_required')
                FROM central.bookings b
                LEFT JOIN central.tickets t ON t.booking_id = b.id
                LEFT JOIN central.conflicts c ON c.booking_id = b.id
                WHERE b.showtime_id = $1
                GROUP BY b.id, b.code, b.status
                """, [showtimeID]).values {
                let (code, state, active, refundRecords) = (row[0]!, row[1]!, Int(row[2]!) ?? 0, Int(row[3]!) ?? 0)
                if active > 0 || (state == "paid" && refundRecords == 0) {
                    violations.append(Violation(rule: .cancelledShowtimeSold, detail: "booking \(code) of cancelled showtime \(showtimeID) is \(state) with \(active) active tickets and \(refundRecords) refund records"))
                }
            }
        }
        return violations
    }

    /// In head office's feed, each booking's states climb the merge order.
    func stateOrderViolations(_ central: PostgresConnection, rank: [String: Int]) throws -> [Violation] {
        var last: [String: String] = [:]
        var violations: [Violation] = []
        for row in try central.query("""
            SELECT entity_id, payload->>'status' FROM central.feed WHERE entity = 'bookings' ORDER BY scope, scope_seq
            """).values {
            guard let id = row[0], let status = row[1] else { continue }
            if let before = last[id], rank[status] ?? 0 < rank[before] ?? 0 {
                violations.append(Violation(rule: .stateBackwards, detail: "booking \(id) went \(before) → \(status) in head office's feed"))
            }
            last[id] = status
        }
        return violations
    }

    /// Head office's inbox holds each change of each counter's log exactly once; the feed published
    /// no change of a node twice.
    ///
    /// A store put back from a backup no longer has the changes its original made after the
    /// backup, and numbers its own again after them once head office finds the fork
    /// (docs/restored-counters.md): the inbox then holds exactly the store's log and what head
    /// office held from the node when the store was put back (``History/Restore/headOfficeSeqs``).
    func inboxViolations(_ central: PostgresConnection, restores: [History.Restore]) throws -> [Violation] {
        var violations: [Violation] = []
        for counter in counters {
            let received = try central.query("SELECT seq FROM central.inbox WHERE node_name = $1", [counter.name]).values.compactMap { $0[0].flatMap(Int.init) }
            let logged = try DatabaseQueue(path: counter.path).read { db in try Int.fetchAll(db, sql: "SELECT seq FROM change_log") }
            let original = Set(restores.filter { $0.counter == counter.name }.flatMap(\.headOfficeSeqs))
            let expected = Set(logged).union(original)
            if received.count != Set(received).count || Set(received) != expected || logged.count != Set(logged).count {
                let missing = expected.subtracting(received).sorted().prefix(5).map(String.init)
                let unknown = Set(received).subtracting(expected).sorted().prefix(5).map(String.init)
                violations.append(Violation(rule: .appliedTwice, detail: "\(counter.name): head office's inbox has \(received.count) changes (\(Set(received).count) distinct, up to \(received.max() ?? 0)); its change log \(logged.count) (up to \(logged.max() ?? 0)), and \(original.count) of its original before a restore; missing [\(missing.joined(separator: ","))], not in any log [\(unknown.joined(separator: ","))]"))
            }
            // Each change under its number is the one head office took (its digest, push.sql): a
            // change taken for a resend of another under the same number was lost.
            let lost = try central.query("""
                SELECT (e.value->>'seq')::bigint FROM jsonb_array_elements($2::jsonb) e (value)
                JOIN central.inbox i ON i.node_name = $1 AND i.seq = (e.value->>'seq')::bigint
                WHERE i.digest IS NOT NULL AND i.digest IS DISTINCT FROM central.change_digest(e.value)
                ORDER BY 1 LIMIT 5
                """, [counter.name, changeLogs[counter.name] ?? "[]"]).values.compactMap { $0[0] }
            if !lost.isEmpty {
                violations.append(Violation(rule: .appliedTwice, detail: "\(counter.name): head office holds other content under its changes [\(lost.joined(separator: ","))]: they were taken for resends and lost"))
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
