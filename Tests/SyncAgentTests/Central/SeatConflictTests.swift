import Foundation
import TestSupport
import Testing
@testable import SyncAgent

@Suite(.enabled(if: TestPostgres.isAvailable, "needs the PostgreSQL server started by scripts/test.sh"))
struct SeatConflictTests {
    @Test func aLaterSaleOfTakenSeatsIsReseatedTogetherAndTheFirstKeepsItsSeats() throws {
        let fixture = try CentralFixture()
        let one = try fixture.counter("one")
        let two = try fixture.counter("two")
        let first = try CentralFixture.push(fixture.sale(booking: "bk1", seats: ["A1", "A2"], stamp: "001601000000000-00000-one", firstSeq: 1),
                                            as: "store-one", over: one.connection)
        #expect(first.map { $0["status"] as? String } == ["accepted", "accepted", "accepted"])
        // Sold earlier by the clock, but pushed later: under the default policy the accepted sale stays.
        let second = try CentralFixture.push(fixture.sale(booking: "bk2", seats: ["A1", "A2"], stamp: "001600500000000-00000-two", firstSeq: 1),
                                             as: "store-two", over: two.connection)
        #expect(second.map { $0["status"] as? String } == ["accepted", "reseated", "reseated"])
        #expect(second.compactMap { $0["seat_before"] as? String } == ["A1", "A2"])
        let seats = try fixture.activeSeats()
        #expect(seats["bk1-A1"] == "A1" && seats["bk1-A2"] == "A2")
        // Kept together, in the nearest row with two adjacent free seats.
        #expect([seats["bk2-A1"], seats["bk2-A2"]] == ["B1", "B2"] || [seats["bk2-A1"], seats["bk2-A2"]] == ["B2", "B3"])
        #expect(try fixture.headOffice.conflicts().filter { $0.kind == .reseated }.count == 2)
    }

    /// A store restored from before a payment still holds the booking, its hold run out: selling the
    /// seat again there expires the booking and releases its ticket. Head office keeps the booking
    /// paid (money wins), so the release must not free the seat: the ticket stays active, goes back to
    /// the node restamped, and the second sale of the seat is reseated. Taking the release left a paid
    /// booking on no seat with no conflict record (found by the simulation, seeds 2 and 3).
    @Test func aReleaseFromAStoreThatLostThePaymentKeepsThePaidSalesSeat() throws {
        let fixture = try CentralFixture()
        let one = try fixture.counter("one")
        let sold = try CentralFixture.push(fixture.sale(booking: "bk1", seats: ["A1"], stamp: "001601000000000-00000-one", firstSeq: 1),
                                           as: "store-one", over: one.connection)
        #expect(sold.map { $0["status"] as? String } == ["accepted", "accepted"])
        let stamp = "001602000000000-00000-one"
        var release = CentralFixture.change(4, stamp, "tickets", "bk1-A1", [
            "id": "bk1-A1", "booking_id": "bk1", "showtime_id": fixture.showtimeID, "seat_id": fixture.seatID("A1"),
            "status": "released", "price": 50_000, "price_version": "v1",
        ])
        release["operation"] = "update"
        var expiry = CentralFixture.change(3, stamp, "bookings", "bk1", [
            "id": "bk1", "showtime_id": fixture.showtimeID, "status": "expired", "total": 50_000,
            "hold_expires_at": CentralFixture.instant(Date().addingTimeInterval(-60)),
        ])
        expiry["operation"] = "update"
        let outcomes = try CentralFixture.push([expiry, release] + fixture.sale(booking: "bk2", seats: ["A1"], stamp: stamp, firstSeq: 5),
                                               as: "store-one", over: one.connection)
        #expect(outcomes.map { $0["status"] as? String } == ["accepted", "accepted", "accepted", "reseated"], "\(outcomes)")
        let database = try PostgresConnection(url: fixture.databaseURL)
        #expect(try database.query("SELECT status FROM central.bookings WHERE id = 'bk1'").scalar == "paid")
        #expect(try fixture.activeSeats()["bk1-A1"] == "A1", "the paid sale keeps its seat")
        #expect(try fixture.activeSeats()["bk2-A1"] != nil && fixture.activeSeats()["bk2-A1"] != "A1")
        let back = try database.query("""
            SELECT origin_node, payload->>'status', hlc > $1 FROM central.feed WHERE entity_id = 'bk1-A1' ORDER BY scope_seq DESC LIMIT 1
            """, [stamp]).values.first
        #expect(back == ["central", "active", "t"], "the node takes its ticket back")
    }

    /// Found by the simulation (the short run of SimulationTests, a store restored every 15 steps):
    /// head office moved a sale to another seat, and a store restored from before it heard of that
    /// sent the sale again under new numbers. Head office kept its seat but answered "accepted" and
    /// published its row as the node's own, of the node's stamp, so the store skipped it and kept
    /// the ticket on the old seat for good. Head office's seat now goes back to the node restamped.
    @Test func aSaleResentOnTheSeatHeadOfficeMovedItFromLearnsItsNewSeat() throws {
        let fixture = try CentralFixture()
        let one = try fixture.counter("one")
        _ = try CentralFixture.push(fixture.sale(booking: "first", seats: ["A1"], stamp: "001601000000000-00000-one", firstSeq: 1),
                                    as: "store-one", over: one.connection)
        let moved = try CentralFixture.push(fixture.sale(booking: "second", seats: ["A1"], stamp: "001601000000001-00000-one", firstSeq: 3),
                                            as: "store-one", over: one.connection)
        #expect(moved.map { $0["status"] as? String } == ["accepted", "reseated"], "\(moved)")
        let seat = try #require(try fixture.activeSeats()["second-A1"])
        #expect(seat != "A1")

        // The restored store sends the same sale again, under new numbers and a stamp later than
        // head office's decision (its clock reads after it).
        let decided = try #require(try PostgresConnection(url: fixture.databaseURL)
            .query("SELECT hlc FROM central.tickets WHERE id = 'second-A1'").scalar)
        let wall = try #require(Int64(decided.prefix(15)))
        let stamp = String(format: "%015lld-00000-one", wall + 1_000)
        let resent = try CentralFixture.push(fixture.sale(booking: "second", seats: ["A1"], stamp: stamp, firstSeq: 7),
                                             as: "store-one", over: one.connection)
        #expect(resent.allSatisfy { $0["status"] as? String == "accepted" }, "\(resent)")
        #expect(try fixture.activeSeats()["second-A1"] == seat, "head office keeps its decision")
        let back = try PostgresConnection(url: fixture.databaseURL).query("""
            SELECT f.origin_node, s.label, f.hlc > $1 FROM central.feed f JOIN central.seats s ON s.id = f.payload->>'seat_id'
            WHERE f.entity_id = 'second-A1' ORDER BY f.scope_seq DESC LIMIT 1
            """, [stamp]).values.first
        #expect(back == ["central", seat, "t"], "the node takes head office's seat")
    }

    @Test func aResentBatchIsAppliedOnceAndGetsTheSameOutcomes() throws {
        let fixture = try CentralFixture()
        let one = try fixture.counter("one")
        // A resend is the same changes, byte for byte: completed once (the payloads' times are now).
        let batch = fixture.sale(booking: "bk1", seats: ["A1", "A2", "A3"], stamp: "001601000000000-00000-one", firstSeq: 1)
            .map { CentralFixture.completed($0, store: "store-one") }
        let first = try CentralFixture.push(batch, as: "store-one", over: one.connection, completing: false)
        let again = try CentralFixture.push(batch, as: "store-one", over: one.connection, completing: false)
        #expect(NSArray(array: first).isEqual(to: again))
        #expect(try fixture.activeSeats().count == 3)
        let feedRows = try PostgresConnection(url: fixture.databaseURL).query(
            "SELECT count(*) FROM central.feed WHERE entity IN ('bookings', 'tickets')").scalar
        #expect(feedRows == "4")
    }

    @Test func whenNoSeatOfTheKindIsLeftTheSaleNeedsARefund() throws {
        let fixture = try CentralFixture()
        let one = try fixture.counter("one")
        let two = try fixture.counter("two")
        _ = try CentralFixture.push(fixture.sale(booking: "full", seats: ["A1", "A2", "A3", "B1", "B2", "B3"],
                                                 stamp: "001601000000000-00000-one", firstSeq: 1), as: "store-one", over: one.connection)
        let late = try CentralFixture.push(fixture.sale(booking: "late", seats: ["B2"], stamp: "001601100000000-00000-two", firstSeq: 1),
                                           as: "store-two", over: two.connection)
        #expect(late.last?["status"] as? String == "refund_required")
        #expect(late.last?["seat_id"] as? String == fixture.seatID("B2"), "the answer names the seat head office released the ticket on")
        #expect(try fixture.activeSeats().count == 6)
        let conflict = try #require(try fixture.headOffice.conflicts().first { $0.kind == .refundRequired })
        #expect(conflict.seatBefore == "B2")
        #expect(conflict.reason.contains("refund"))

        try fixture.headOffice.refundConflict(conflict.id, by: "manager@hq")
        let database = try PostgresConnection(url: fixture.databaseURL)
        #expect(try database.query("SELECT status FROM central.bookings WHERE id = 'late'").scalar == "refunded")
        #expect(try fixture.headOffice.conflicts().contains { $0.id == conflict.id } == false)
    }

    @Test func earliestSaleWinsMovesTheLaterHolder() throws {
        let fixture = try CentralFixture()
        try fixture.headOffice.setSeatPolicy(.earliestSaleWins, forCinema: fixture.cinemaID)
        let one = try fixture.counter("one")
        let two = try fixture.counter("two")
        _ = try CentralFixture.push(fixture.sale(booking: "later", seats: ["A2"], stamp: "001601000000000-00000-one", firstSeq: 1),
                                    as: "store-one", over: one.connection)
        let earlier = try CentralFixture.push(fixture.sale(booking: "earlier", seats: ["A2"], stamp: "001600000000000-00000-two", firstSeq: 1),
                                              as: "store-two", over: two.connection)
        #expect(earlier.last?["status"] as? String == "accepted")
        let seats = try fixture.activeSeats()
        #expect(seats["earlier-A2"] == "A2")
        #expect(seats["later-A2"] != nil && seats["later-A2"] != "A2")
        let conflict = try #require(try fixture.headOffice.conflicts().first)
        #expect(conflict.nodeName == one.registration.name)
        #expect(conflict.kind == .reseated)
    }

    @Test func allottedSeatsAreSoldOnlyByTheirNode() throws {
        let fixture = try CentralFixture()
        let one = try fixture.counter("one")
        let two = try fixture.counter("two")
        _ = try CentralFixture.push([], as: "store-one", over: one.connection)   // binds the store
        #expect(try fixture.headOffice.allot(showtimeID: fixture.showtimeID, seats: ["A1-A3"], to: one.registration.name) == 3)
        let intruder = try CentralFixture.push(fixture.sale(booking: "intruder", seats: ["A1"], stamp: "001601000000000-00000-two", firstSeq: 1),
                                               as: "store-two", over: two.connection)
        #expect(intruder.last?["status"] as? String == "reseated")
        #expect(try fixture.activeSeats()["intruder-A1"]?.hasPrefix("B") == true)
        let owner = try CentralFixture.push(fixture.sale(booking: "owner", seats: ["A1"], stamp: "001601000000001-00000-one", firstSeq: 1),
                                            as: "store-one", over: one.connection)
        #expect(owner.last?["status"] as? String == "accepted")
    }

    /// Found by the simulation: a counter's contested sale was reseated into seats allotted to that
    /// counter, and its own later offline sale from its allotment lost them.
    @Test func aReseatNeverTakesAnAllottedSeatTheCountersOwnIncluded() throws {
        let fixture = try CentralFixture()
        let one = try fixture.counter("one")
        let two = try fixture.counter("two")
        _ = try CentralFixture.push([], as: "store-one", over: one.connection)   // binds the store
        #expect(try fixture.headOffice.allot(showtimeID: fixture.showtimeID, seats: ["A1-A3"], to: one.registration.name) == 3)
        _ = try CentralFixture.push(fixture.sale(booking: "row-b", seats: ["B1", "B2", "B3"], stamp: "001601000000000-00000-two", firstSeq: 1),
                                    as: "store-two", over: two.connection)
        // One's sale of B2 is contested; the only other free seats are its own allotment.
        let contested = try CentralFixture.push(fixture.sale(booking: "late", seats: ["B2"], stamp: "001601000000001-00000-one", firstSeq: 1),
                                                as: "store-one", over: one.connection)
        #expect(contested.last?["status"] as? String == "refund_required")
        #expect(try fixture.activeSeats()["late-B2"] == nil)
        // So its own sale from the allotment, made offline meanwhile, stands.
        let owner = try CentralFixture.push(fixture.sale(booking: "owner", seats: ["A2"], stamp: "001601000000002-00000-one", firstSeq: 3),
                                            as: "store-one", over: one.connection)
        #expect(owner.last?["status"] as? String == "accepted")
    }

    @Test func conflictsAreResolvableByGivingAnotherSeat() throws {
        let fixture = try CentralFixture()
        let one = try fixture.counter("one")
        let two = try fixture.counter("two")
        _ = try CentralFixture.push(fixture.sale(booking: "a", seats: ["A1"], stamp: "001601000000000-00000-one", firstSeq: 1), as: "store-one", over: one.connection)
        _ = try CentralFixture.push(fixture.sale(booking: "b", seats: ["A1"], stamp: "001601000000001-00000-two", firstSeq: 1), as: "store-two", over: two.connection)
        let conflict = try #require(try fixture.headOffice.conflicts().first)
        let error = #expect(throws: PostgresError.self) {
            try fixture.headOffice.resolveConflict(conflict.id, withSeat: "A1", by: "hq")
        }
        #expect(error?.message.contains("taken") == true)
        try fixture.headOffice.resolveConflict(conflict.id, withSeat: "B3", by: "hq")
        #expect(try fixture.activeSeats()["b-A1"] == "B3")
        let resolved = try #require(try fixture.headOffice.conflicts(includeResolved: true).first)
        #expect(resolved.resolution == "seat B3 by hq (was: \(conflict.reason))")
        #expect(resolved.reason.isEmpty, "issue 15, item 7: no stale reason")
    }

    /// Issue 15, item 7: a rejected change's conflict and a reseat the customer accepted are closed
    /// as they stand; a sale without a seat is not (it needs a seat or a refund).
    @Test func rejectedAndAcceptedReseatConflictsAreClosedAsTheyStand() throws {
        let fixture = try CentralFixture()
        let one = try fixture.counter("one")
        let two = try fixture.counter("two")
        _ = try CentralFixture.push(fixture.sale(booking: "a", seats: ["A1"], stamp: "001601000000000-00000-one", firstSeq: 1), as: "store-one", over: one.connection)
        _ = try CentralFixture.push(fixture.sale(booking: "b", seats: ["A1"], stamp: "001601000000001-00000-two", firstSeq: 1), as: "store-two", over: two.connection)
        // A change no counter may send: rejected, with a conflict record.
        let refused = try CentralFixture.push([CentralFixture.change(3, "001601000000002-00000-two", "movies", "forged-movie", ["id": "forged-movie"])],
                                              as: "store-two", over: two.connection)
        #expect(refused.first?["status"] as? String == "rejected")
        let open = try fixture.headOffice.conflicts()
        let reseat = try #require(open.first { $0.kind == .reseated })
        let rejected = try #require(open.first { $0.kind == .rejected })
        let seatBefore = try fixture.activeSeats()["b-A1"]

        try fixture.headOffice.closeConflict(reseat.id, by: "hq")
        try fixture.headOffice.closeConflict(rejected.id, by: "hq")
        let closed = try fixture.headOffice.conflicts(includeResolved: true)
        #expect(closed.first { $0.id == reseat.id }?.resolution == "seat \(reseat.seatAfter ?? "?") accepted by hq (was: \(reseat.reason))")
        #expect(closed.first { $0.id == rejected.id }?.resolution == "closed by hq: the change stays refused (was: \(rejected.reason))")
        #expect(closed.allSatisfy { $0.status == .resolved && $0.reason.isEmpty })
        #expect(try fixture.activeSeats()["b-A1"] == seatBefore, "closing changes no seat")
        let again = #expect(throws: PostgresError.self) { try fixture.headOffice.closeConflict(rejected.id, by: "hq") }
        #expect(again?.message.contains("already resolved") == true)
    }

    @Test(arguments: [false, true])
    func contestedTicketsDecidedTogetherEndAsThePerChangeRulesEndThem(interleaved: Bool) throws {
        // The same batch at two head offices. Alone, its contested tickets are decided together
        // (central.reseat_contested); with a catalog change behind them, the whole rest of the batch
        // goes through the per-change rules. Both must end the same way.
        func run(forcingRules: Bool) throws -> [String] {
            let fixture = try CentralFixture()
            let one = try fixture.counter("one")
            let two = try fixture.counter("two")
            _ = try CentralFixture.push(fixture.sale(booking: "held", seats: ["A1", "A2", "B1"], stamp: "001601000000000-00000-one", firstSeq: 1),
                                        as: "store-one", over: one.connection)
            var batch: [[String: Any]]
            if interleaved {
                // p's second ticket comes after r's, which takes the seat planned for it.
                let stamp = "001601100000000-00000-two"
                let sales = fixture.sale(booking: "p", seats: ["A1", "A2"], stamp: stamp, firstSeq: 1)
                    + fixture.sale(booking: "r", seats: ["B1"], stamp: stamp, firstSeq: 4)
                batch = [sales[0], sales[3], sales[1], sales[4], sales[2]].enumerated().map { index, change in
                    var change = change
                    change["seq"] = index + 1
                    return change
                }
            } else {
                batch = fixture.sale(booking: "p", seats: ["A1", "A2"], stamp: "001601100000000-00000-two", firstSeq: 1)
                    + fixture.sale(booking: "q", seats: ["B1"], stamp: "001601100000001-00000-two", firstSeq: 4)
                    + fixture.sale(booking: "s", seats: ["B3"], stamp: "001601100000002-00000-two", firstSeq: 6)
            }
            if forcingRules {
                var rename = CentralFixture.change(8, "001601100000003-00000-two", "cinemas", fixture.cinemaID,
                                                   ["id": fixture.cinemaID, "name": "Jakarta Pusat", "time_zone": "Asia/Jakarta"])
                rename["operation"] = "update"
                batch.append(rename)
            }
            let outcomes = try CentralFixture.push(batch, as: "store-two", over: two.connection)
                .filter { ($0["seq"] as? Int ?? 0) < 8 }
                .map { o in ["seq", "status", "seat_before", "seat_after", "reason"].map { "\(o[$0] ?? "-")" }.joined(separator: " ") }
            let seats = try fixture.activeSeats().sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            let database = try PostgresConnection(url: fixture.databaseURL)
            #expect(try database.query("SELECT count(*) FROM central.push_fallbacks").scalar == "0", "no set-wise step failed")
            let conflicts = try database.query("""
                SELECT kind || ' ' || entity_id || ' ' || seat_before || ' ' || coalesce(seat_after, '-') || ' ' || reason
                       || ' ' || (central_side IS NULL)::text
                FROM central.conflicts ORDER BY entity_id
                """).values.map { $0[0] ?? "" }
            let feed = try database.query("""
                SELECT entity || ' ' || operation || ' ' || CASE WHEN entity = 'sync_conflicts' THEN payload->>'entity_id' ELSE entity_id END
                       || ' ' || coalesce(payload->>'seat_id', '-') || ' ' || coalesce(payload->>'status', '-')
                FROM central.feed WHERE entity IN ('bookings', 'tickets', 'sync_conflicts') ORDER BY id
                """).values.map { ($0[0] ?? "").replacingOccurrences(of: fixture.studioID, with: "studio") }
            return outcomes + seats + conflicts + feed
        }
        let together = try run(forcingRules: false)
        let byRules = try run(forcingRules: true)
        #expect(together == byRules, "decided together: \(together)\nby the rules: \(byRules)")
        if interleaved {
            // p is planned into B2 and B3, r takes B3 in between, so p's second ticket is planned again.
            #expect(together.contains("p-A1=B2") && together.contains("r-B1=B3") && together.contains("p-A2=A3"), "\(together)")
        } else {
            // No two adjacent seats are left for p: the nearest single ones; then none is left for q.
            #expect(together.contains("p-A1=A3") && together.contains("p-A2=B2"), "\(together)")
            #expect(together.contains { $0.hasPrefix("5 refund_required B1") }, "\(together)")
        }
    }

    @Test func aSetWiseStepThatFailsGivesTheBatchToTheRulesAndHeadOfficeKeepsWhy() throws {
        let fixture = try CentralFixture()
        let one = try fixture.counter("one")
        // Two new bookings of one batch with one code: the set-wise insert breaks the code's uniqueness,
        // and the rules give the second sale a new code (bookings.sql) rather than lose it.
        var batch = fixture.sale(booking: "first", seats: ["A1"], stamp: "001601000000000-00000-one", firstSeq: 1)
            + fixture.sale(booking: "second", seats: ["A2"], stamp: "001601000000001-00000-one", firstSeq: 3)
        let code = CentralFixture.codePrefix("store-one") + "-0001"
        for index in [0, 2] {
            batch[index]["payload"] = (batch[index]["payload"] as? [String: Any] ?? [:]).merging(["code": code]) { $1 }
        }
        let outcomes = try CentralFixture.push(batch, as: "store-one", over: one.connection)
        #expect(outcomes.map { $0["status"] as? String } == ["accepted", "accepted", "accepted", "accepted"])
        #expect(outcomes[2]["code"] as? String == code + "-2" && outcomes[2]["printed_code"] as? String == code)
        let fallbacks = try PostgresConnection(url: fixture.databaseURL).query(
            "SELECT node_name, stage, sqlstate, message FROM central.push_fallbacks").values
        #expect(fallbacks.count == 1)
        #expect(fallbacks.first?[0] == one.registration.name)
        #expect(fallbacks.first?[1] == "new bookings and tickets")
        #expect(fallbacks.first?[2] == PostgresError.uniqueViolation)
        #expect(fallbacks.first?[3]?.contains("bookings_code_key") == true)
    }

    @Test func anOverlappingShowtimeIsRejectedWithItsReasonAndDoesNotBlockTheRest() throws {
        let fixture = try CentralFixture()
        let starts = try PostgresConnection(url: fixture.databaseURL).query(
            "SELECT payload->>'starts_at', payload->>'ends_at' FROM central.showtimes WHERE id = $1", [fixture.showtimeID]).values[0]
        let outcomes = try CentralFixture.push([
            CentralFixture.change(100, "001602000000000-00000-hq", "showtimes", "clash", [
                "id": "clash", "cinema_id": fixture.cinemaID, "studio_id": fixture.studioID, "movie_id": "movie-1",
                "starts_at": starts[0]!, "ends_at": starts[1]!, "status": "scheduled",
            ]),
            CentralFixture.change(101, "001602000000000-00000-hq", "movies", "movie-2", ["id": "movie-2", "title": "Dilan 1990"]),
        ], as: "store-hq", over: fixture.hqConnection)
        #expect(outcomes.map { $0["status"] as? String } == ["rejected", "accepted"])
        #expect(outcomes.first?["reason"] as? String == "the showtime overlaps another showtime in this studio")
    }
}
