import Foundation
import TestSupport
import GRDB
import Testing
@testable import BoxOfficeKit
@testable import SyncAgent

@Suite(.enabled(if: TestPostgres.isAvailable, "needs the PostgreSQL server started by scripts/test.sh"))
struct SyncAgentTests {
    @Test func aNewCounterReceivesItsCinemasCatalogAndStaffOnItsFirstSync() async throws {
        let world = try await SyncWorld()
        let counter = try await world.counter("braga")
        let cinemas = try await counter.box.catalog.cinemas()
        #expect(cinemas.items.map(\.id) == [world.cinemaID])
        let map = try await counter.box.sales.seatMap(showtime: world.showtimeID)
        #expect(map.seats.count == 12)
        #expect(map.seats.filter { $0.kind == .vip }.count == 4)
        // Applying head office's rows logged nothing to push back.
        #expect(try await counter.box.replica.state().pendingChanges == 0)
    }

    @Test func twoCountersSellingTheSameSeatsOfflineConverge() async throws {
        let world = try await SyncWorld()
        let one = try await world.counter("one")
        let two = try await world.counter("two")
        let first = try await one.box.sales.sell(showtime: world.showtimeID, seats: ["A1", "A2"], method: "cash", by: one.principal)
        let second = try await two.box.sales.sell(showtime: world.showtimeID, seats: ["A2", "A3"], method: "cash", by: two.principal)

        let fromTwo = try await two.agent.syncOnce()
        let fromOne = try await one.agent.syncOnce()
        #expect(fromTwo.pushed.accepted == fromTwo.pushed.total)
        // One's A2 was taken by two's earlier push: one's A2 ticket is reseated, A1 stays.
        #expect(fromOne.pushed.reseated == 1)
        #expect(fromOne.pushed.refundRequired == 0 && fromOne.pushed.rejected == 0)

        let central = try world.centralSeats()
        #expect(central.count == 4, "every sold seat is accounted for")
        #expect(central["A2"] == second.code && central["A3"] == second.code && central["A1"] == first.code)
        #expect(central.values.filter { $0 == first.code }.count == 2)

        // One more round and every counter sees what head office sees.
        for counter in [one, two, world.hq] { try await counter.settle() }
        for counter in [one, two, world.hq] {
            #expect(try await world.localSeats(counter.box) == central, "\(counter.name)")
        }
        let conflicts = try await one.box.replica.conflicts()
        #expect(conflicts.count == 1)
        #expect(conflicts.first?.kind == .reseated)
        #expect(conflicts.first?.seatBefore == "A2")
        #expect(try await two.box.replica.conflicts().map(\.id) == conflicts.map(\.id), "the cinema's counters see it too")
    }

    @Test(arguments: [[0, 1, 2], [2, 0, 1], [1, 2, 0]])
    func threeCountersConvergeWhateverTheOrderTheySyncIn(order: [Int]) async throws {
        let world = try await SyncWorld()
        var counters: [SyncWorld.Counter] = []
        for name in ["a", "b", "c"] { counters.append(try await world.counter(name)) }
        var codes: [String] = []
        let wanted = [["A1", "A2"], ["A2", "A3"], ["A3", "A4", "C1"]]
        for (counter, seats) in zip(counters, wanted) {
            codes.append(try await counter.box.sales.sell(showtime: world.showtimeID, seats: seats, method: "cash", by: counter.principal).code)
        }
        var outcomes = PushSummary()
        for index in order { outcomes.add(try await counters[index].agent.syncOnce().pushed) }

        let central = try world.centralSeats()
        #expect(central.count == 7, "every local sale is accounted for as a seat")
        #expect(outcomes.refundRequired == 0 && outcomes.rejected == 0)
        for code in codes {
            #expect(central.values.filter { $0 == code }.count == wanted[codes.firstIndex(of: code)!].count)
        }
        #expect(central.keys.filter { $0.hasPrefix("C") }.count == 1, "a vip sale stays vip")
        for counter in counters { try await counter.settle() }
        for counter in counters {
            #expect(try await world.localSeats(counter.box) == central)
        }
    }

    @Test func aSaleWithNoSeatOfItsKindLeftNeedsARefundAndCanBeRefundedFromTheCounter() async throws {
        let world = try await SyncWorld()
        let one = try await world.counter("one")
        let two = try await world.counter("two")
        _ = try await one.box.sales.sell(showtime: world.showtimeID, seats: ["C1", "C2", "C3", "C4"], method: "cash", by: one.principal)
        let late = try await two.box.sales.sell(showtime: world.showtimeID, seats: ["C2"], method: "qris", reference: "QR-1", by: two.principal)
        try await one.agent.syncOnce()
        let report = try await two.agent.syncOnce()
        #expect(report.pushed.refundRequired == 1)
        let conflict = try #require(try await two.box.replica.conflicts().first)
        #expect(conflict.kind == .refundRequired)
        #expect(conflict.bookingID == late.id)
        #expect(try await world.localSeats(two.box)["C2"] != late.code)

        try await two.agent.resolveConflict(conflict.id, seat: nil, by: "cashier@braga")
        try await two.settle()
        let booking = try await two.box.sales.booking(code: late.code, by: two.principal)
        #expect(booking.status == .refunded)
        #expect(try await two.box.replica.conflicts().isEmpty)
        #expect(try await two.box.replica.conflicts(includeResolved: true).first?.resolution?.contains("refunded") == true)
    }

    @Test func allottedSeatsAreHonouredOffline() async throws {
        let world = try await SyncWorld()
        let one = try await world.counter("one")
        let two = try await world.counter("two")
        try world.headOffice.allot(showtimeID: world.showtimeID, seats: ["B1-B4"], to: one.name)
        try await one.settle()
        try await two.settle()
        // Offline now: two may not sell one's seats, one may.
        let error = await #expect(throws: SaleError.self) {
            try await two.box.sales.sell(showtime: world.showtimeID, seats: ["B2"], method: "cash", by: two.principal)
        }
        // Issue 15, item 8: in the words of whose seat it is, which the feed brought.
        #expect(error == .seatsAllotted(["B2"], node: one.name))
        _ = try await one.box.sales.sell(showtime: world.showtimeID, seats: ["B2"], method: "cash", by: one.principal)
        let map = try await two.box.sales.seatMap(showtime: world.showtimeID)
        #expect(map.seats.first { $0.label == "B1" }?.state == .allotted)
    }

    @Test func earliestSaleWinsMovesTheLaterSaleEvenIfItWasPushedFirst() async throws {
        let world = try await SyncWorld()
        try world.headOffice.setSeatPolicy(.earliestSaleWins, forCinema: world.cinemaID)
        let one = try await world.counter("one")
        let two = try await world.counter("two")
        let earlier = try await one.box.sales.sell(showtime: world.showtimeID, seats: ["A1"], method: "cash", by: one.principal)
        let later = try await two.box.sales.sell(showtime: world.showtimeID, seats: ["A1"], method: "cash", by: two.principal)
        try await two.agent.syncOnce()
        let report = try await one.agent.syncOnce()
        #expect(report.pushed.accepted == report.pushed.total)
        let central = try world.centralSeats()
        #expect(central["A1"] == earlier.code)
        #expect(central.values.contains(later.code))
        try await two.settle()
        #expect(try await world.localSeats(two.box) == central)
        #expect(try await two.box.replica.conflicts().first?.kind == .reseated)
    }

    @Test func aPushedBatchIsRecordedOnceEvenWhenRecordedAgain() async throws {
        let world = try await SyncWorld()
        let one = try await world.counter("one")
        _ = try await one.box.sales.sell(showtime: world.showtimeID, seats: ["A1"], method: "cash", by: one.principal)
        let batch = try #require(try await one.box.replica.nextBatch(limit: 100))
        let state = try await one.box.replica.state()
        let store = #"{"node_id": "\#(state.nodeID)", "code_prefix": "\#(state.bookingCodePrefix)"}"#
        let json = try PostgresConnection(url: one.url).query("SELECT sync_api.push($1, $2::jsonb, $3::jsonb)",
                                                              [String(SyncAgent.protocolVersion), store, batch.json]).scalar!
        let outcomes = try PushOutcome.decodeList(json)
        #expect(try await one.box.replica.recordPush(batch, outcomes: outcomes).total == batch.count)
        #expect(try await one.box.replica.recordPush(batch, outcomes: outcomes).total == 0)
        #expect(try await one.box.replica.nextBatch(limit: 100) == nil)
    }
    @Test func aSaleCancelledOfflineAfterItsSeatWasTakenEndsCancelledEverywhere() async throws {
        let world = try await SyncWorld()
        let one = try await world.counter("one")
        let two = try await world.counter("two")
        _ = try await one.box.sales.sell(showtime: world.showtimeID, seats: ["A1"], method: "cash", by: one.principal)
        try await one.agent.syncOnce()
        // Two sold the same seat offline and then cancelled the sale, all before syncing: head
        // office reseats the sale, and the cancellation (stamped before that decision) must still win.
        let sale = try await two.box.sales.sell(showtime: world.showtimeID, seats: ["A1"], method: "cash", by: two.principal)
        _ = try await two.box.sales.cancel(code: sale.code, by: two.principal)
        let report = try await two.agent.syncOnce()
        #expect(report.pushed.reseated == 1)
        let central = try world.centralSeats()
        #expect(central.values.contains(sale.code) == false, "no seat stays sold for a cancelled sale")
        for counter in [one, two] { try await counter.settle() }
        #expect(try await world.localSeats(two.box) == central)
        #expect(try await world.localSeats(one.box) == central)
    }
    @Test func aSaleMovedByAnEarlierOneAndThenCancelledOfflineEndsCancelledEverywhere() async throws {
        let world = try await SyncWorld()
        try world.headOffice.setSeatPolicy(.earliestSaleWins, forCinema: world.cinemaID)
        let one = try await world.counter("one")
        let two = try await world.counter("two")
        let earlier = try await two.box.sales.sell(showtime: world.showtimeID, seats: ["A1"], method: "cash", by: two.principal)
        let later = try await one.box.sales.sell(showtime: world.showtimeID, seats: ["A1"], method: "cash", by: one.principal)
        try await one.agent.syncOnce()
        _ = try await one.box.sales.cancel(code: later.code, by: one.principal)   // offline, not pushed yet
        try await two.agent.syncOnce()   // the earlier sale takes A1; head office moves one's ticket
        for counter in [one, two, one, two] { try await counter.settle() }
        let central = try world.centralSeats()
        #expect(central == ["A1": earlier.code])
        #expect(try await world.localSeats(one.box) == central)
        let twoSeats = try await world.localSeats(two.box)
        let dump = try await two.box.read { db in try String.fetchAll(db, sql: "SELECT id || ' ' || seat_id || ' ' || status || ' ' || hlc FROM tickets") }
        #expect(twoSeats == central, "\(twoSeats) \(dump)")
        let status = try PostgresConnection(url: world.centralURL).query(
            "SELECT status FROM central.bookings WHERE code = $1", [later.code]).scalar
        #expect(status == "refunded")
    }
}
