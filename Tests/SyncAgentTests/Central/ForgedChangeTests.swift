import Foundation
import TestSupport
import Testing
@testable import BoxOfficeKit
@testable import SyncAgent

/// Issue 12's attacks 1–10, 12 and 16, played by a counter in hostile hands calling
/// `sync_api.push` directly with forged changes, each beside one of its own honest changes. Every
/// forgery is refused with its reason while the honest change is accepted; nothing of the other
/// cinema, of the chain's accounts or of accepted history changes; the other counter's pull goes on.
@Suite(.enabled(if: TestPostgres.isAvailable, "needs the PostgreSQL server started by scripts/test.sh"))
struct ForgedChangeTests {
    let chain: ChainFixture

    init() async throws {
        chain = try await ChainFixture()
    }

    /// Pushes the forgeries with an honest change last; checks each forgery is rejected with a
    /// reason containing its `because`, the honest one accepted, and the other cinema untouched.
    private func expectRefused(
        _ forgeries: [([String: Any], because: String)], sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let before = try chain.otherCinemaState()
        let honest = chain.honestChange(forgeries.count + 1)
        let outcomes = try chain.attack(forgeries.map(\.0) + [honest])
        for (index, forgery) in forgeries.enumerated() {
            let outcome = outcomes.count > index ? outcomes[index] : nil
            #expect(outcome?["status"] as? String == "rejected", "\(forgery.0)", sourceLocation: sourceLocation)
            #expect((outcome?["reason"] as? String)?.contains(forgery.because) == true,
                    "change \(index + 1): \(String(describing: outcome?["reason"])), expected \(forgery.because)",
                    sourceLocation: sourceLocation)
        }
        #expect(outcomes.last?["status"] as? String == "accepted", "the honest change: \(String(describing: outcomes.last))",
                sourceLocation: sourceLocation)
        #expect(try chain.otherCinemaState() == before, "nothing of the other cinema changed", sourceLocation: sourceLocation)
        // The other cinema's counter pulls as before.
        _ = try CentralFixture.pull(cursor: "0", as: ChainFixture.victimStore, over: chain.victim.connection)
    }

    private var stamp: String { "001700000000001-00000-attacker" }
    private let farFuture = "999999999999999-99998-attacker"

    /// Attacks 1 and 2: the chain's manager account rewritten (another password, a far-future
    /// stamp), and a new chain-wide manager made.
    /// The highest change number a pulling store names (`last_seq`, pull.sql) can only stop that
    /// store: one below what head office holds of its node is refused with the first free number
    /// and changes nothing; a value that is no number, or one far beyond, is not checked and the
    /// pull goes on; another node's numbers play no part.
    @Test func aForgedLastSequenceStopsOnlyThePullOfTheStoreThatSendsIt() throws {
        let fixture = try CentralFixture()
        let one = try fixture.counter("one")
        let other = try fixture.counter("other")
        _ = try CentralFixture.push(fixture.sale(booking: "bk1", seats: ["A1"], stamp: "001601000000000-00000-one", firstSeq: 1),
                                    as: "store-one", over: one.connection)
        let admin = try PostgresConnection(url: fixture.databaseURL)
        func lastPull(_ node: String) throws -> String? {
            try admin.query("SELECT last_pull_at::text FROM central.nodes WHERE name = $1", [node]).scalar
        }
        func pull(_ lastSeq: String, as store: String, over connection: PostgresConnection) throws -> PostgresResult {
            let json = String(CentralFixture.store(store).dropLast()) + #", "last_seq": \#(lastSeq)}"#
            return try connection.query("SELECT * FROM sync_api.pull_rows($1, $2::jsonb, '0', 100)",
                                        [String(SyncAgent.protocolVersion), json])
        }
        let before = try lastPull(one.registration.name)
        for behind in ["0", "1", "-5"] {
            let error = #expect(throws: PostgresError.self) { try pull(behind, as: "store-one", over: one.connection) }
            #expect(error?.sqlState == PostgresError.storeBehind && error?.detail == "3", "\(String(describing: error))")
        }
        #expect(try lastPull(one.registration.name) == before, "a refused pull changes nothing")
        for unchecked in ["2", "1e30", #""0""#, "null", "[1]"] {
            #expect(try pull(unchecked, as: "store-one", over: one.connection).values.last?[1] != nil, "last_seq \(unchecked)")
        }
        // Another node holds no change: any number it names is at or past head office's.
        #expect(try pull("0", as: "store-other", over: other.connection).values.last?[1] != nil)
    }

    @Test func staffAccountsAndRolesNeverChangeByPush() throws {
        let managerID = try #require(try chain.database.query("SELECT id FROM central.users WHERE email = $1",
                                                              [chain.managerEmail]).scalar)
        let manager = try #require(try chain.stored("users", managerID))
        try expectRefused([
            (ChainFixture.update(1, farFuture, "users", managerID, [
                "id": managerID, "email": chain.managerEmail, "name": "Chain Manager", "role": "manager",
                "password_hash": "$y$attacker$hash",
            ]), because: "staff accounts, roles and passwords change online at head office"),
            (CentralFixture.change(2, stamp, "users", "rogue-manager", [
                "id": "rogue-manager", "email": "rogue@example.com", "name": "Rogue", "role": "manager",
            ]), because: "staff accounts, roles and passwords change online at head office"),
            (ChainFixture.update(3, stamp, "users", managerID, [
                "id": managerID, "email": chain.managerEmail, "name": "Chain Manager", "role": "customer",
            ]), because: "staff accounts, roles and passwords change online at head office"),
        ])
        #expect(try chain.stored("users", managerID) == manager)
        #expect(try chain.database.query("SELECT count(*) FROM central.users WHERE id = 'rogue-manager'").scalar == "0")
        #expect(try chain.database.query("SELECT count(*) FROM central.feed WHERE entity = 'users' AND origin_node = $1",
                                         [chain.attacker.registration.name]).scalar == "0")
    }

    /// Attack 3: a chain-wide movie retitled, a chain-wide payment method switched off.
    @Test func chainWideMoviesAndPaymentMethodsChangeOnlyAtHeadOffice() throws {
        let movie = try chain.stored("movies", "movie-1"), method = try chain.stored("payment_methods", chain.methodID)
        try expectRefused([
            (ChainFixture.update(1, stamp, "movies", "movie-1", ["id": "movie-1", "title": "Hacked"]),
             because: "movies are the whole chain's"),
            (ChainFixture.update(2, stamp, "payment_methods", chain.methodID, [
                "id": chain.methodID, "code": "cash", "name": "Cash", "kind": "cash", "enabled": 0,
            ]), because: "payment_methods are the whole chain's"),
            (CentralFixture.change(3, stamp, "movies", "movie-x", ["id": "movie-x", "title": "Mine"]),
             because: "movies are the whole chain's"),
        ])
        #expect(try chain.stored("movies", "movie-1") == movie)
        #expect(try chain.stored("payment_methods", chain.methodID) == method)
    }

    /// Attack 4: bookings that take another node's next booking codes; that node's real sales
    /// then go through.
    @Test func bookingCodesOfAnotherNodeAreRefusedAndItsSalesStillGoThrough() throws {
        let victimPrefix = CentralFixture.codePrefix(ChainFixture.victimStore)
        var forgeries: [([String: Any], because: String)] = []
        for (index, number) in ["0002", "0003"].enumerated() {
            let booking = "squat-\(number)"
            forgeries.append((CentralFixture.change(index + 1, stamp, "bookings", booking, [
                "id": booking, "code": victimPrefix + "-" + number, "showtime_id": chain.base.showtimeID,
                "status": "held", "total": 0,
            ]), because: "is not one node \(chain.attacker.registration.name) issues"))
        }
        try expectRefused(forgeries)
        var sale = chain.otherSale(booking: "victim-next", seats: ["A2"], stamp: "001700000000002-00000-victim", firstSeq: 10)
        sale[0]["payload"] = (sale[0]["payload"] as! [String: Any]).merging(["code": victimPrefix + "-0002"]) { $1 }
        let outcomes = try CentralFixture.push(sale, as: ChainFixture.victimStore, over: chain.victim.connection)
        #expect(outcomes.map { $0["status"] as? String } == ["accepted", "accepted"])
    }

    /// Attack 5: money that is no money (a paid booking and a ticket at −1,000,000), and a ticket
    /// on a seat of another cinema's studio, which never touches that cinema.
    @Test func moneyIsCheckedAndASeatOfAnotherStudioIsNeverTaken() throws {
        let base = chain.base
        let mine = try chain.attack(base.sale(booking: "mine", seats: ["A2"], stamp: stamp, firstSeq: 1))
        #expect(mine.map { $0["status"] as? String } == ["accepted", "accepted"])
        try expectRefused([
            (CentralFixture.change(1, stamp, "bookings", "negative", [
                "id": "negative", "showtime_id": base.showtimeID, "status": "paid", "sold_hlc": stamp, "total": -1_000_000,
            ]), because: "its total -1000000 is not an amount of money"),
            (ChainFixture.update(2, stamp, "tickets", "mine-A2", [
                "id": "mine-A2", "booking_id": "mine", "showtime_id": base.showtimeID, "seat_id": base.seatID("A2"),
                "price": -1_000_000,
            ]), because: "its price -1000000 is not an amount of money"),
            (CentralFixture.change(3, stamp, "tickets", "negative-A1", [
                "id": "negative-A1", "booking_id": "negative", "showtime_id": base.showtimeID, "seat_id": base.seatID("A1"),
                "price": 50_000,
            ]), because: "head office does not know the ticket's booking negative"),
        ])
        #expect(try chain.database.query("SELECT payload->>'price' FROM central.tickets WHERE id = 'mine-A2'").scalar == "50000")
        // A sale of the attacker's own showtime on a seat of the other cinema's studio: the seat is
        // not the showtime's, so the sale is reseated in its own studio; the other cinema is untouched.
        let before = try chain.otherCinemaState()
        var sale = base.sale(booking: "elsewhere-seat", seats: ["A1"], stamp: stamp, firstSeq: 10)
        sale[1]["payload"] = (sale[1]["payload"] as! [String: Any]).merging(["seat_id": chain.otherSeatID("A2")]) { $1 }
        let outcomes = try chain.attack(sale)
        #expect(outcomes.last?["status"] as? String == "reseated", "\(outcomes)")
        #expect((outcomes.last?["reason"] as? String)?.contains("is not in the showtime's studio") == true)
        #expect(try chain.otherCinemaState() == before)
        #expect(try base.activeSeats()["elsewhere-seat-A1"]?.hasPrefix("A") == true)
    }

    /// Attack 6: another cinema's booking refunded and its ticket released, by changes whose
    /// payloads name a showtime of the attacker's own cinema.
    @Test func anotherCinemasSalesCannotBeRefundedOrReleased() throws {
        let victimBooking = try #require(try chain.database.query(
            "SELECT payload FROM central.bookings WHERE id = 'victim-sale'").scalar)
        var refund = try JSONSerialization.jsonObject(with: Data(victimBooking.utf8)) as! [String: Any]
        refund["status"] = "refunded"
        refund["refund_amount"] = 50_000
        refund["showtime_id"] = chain.base.showtimeID
        refund["hlc"] = stamp
        try expectRefused([
            (ChainFixture.update(1, stamp, "bookings", "victim-sale", refund),
             because: "only the counter that made it changes this bookings row"),
            (ChainFixture.update(2, stamp, "tickets", "victim-sale-A1", [
                "id": "victim-sale-A1", "booking_id": "victim-sale", "showtime_id": chain.base.showtimeID,
                "seat_id": chain.otherSeatID("A1"), "price": 50_000, "status": "released",
            ]), because: "only the counter that made it changes this tickets row"),
        ])
    }

    /// Attack 7: a "rejected" conflict recorded about another cinema's booking, then resolved with
    /// a refund through `sync_api.resolve_conflict`.
    @Test func aRefusalCannotBeTurnedIntoARefundOfAnotherCinemasBooking() throws {
        let outcomes = try chain.attack([
            CentralFixture.change(1, stamp, "tickets", "bait", [
                "id": "bait", "booking_id": "victim-sale", "showtime_id": chain.otherShowtimeID, "seat_id": chain.otherSeatID("A3"),
                "price": 50_000,
            ]),
        ])
        #expect(outcomes.first?["status"] as? String == "rejected")
        let conflictID = try #require(outcomes.first?["conflict_id"] as? String)
        let record = try chain.database.query("SELECT cinema_id, booking_id, showtime_id FROM central.conflicts WHERE id = $1",
                                              [conflictID]).values.first
        #expect(record == [chain.base.cinemaID, nil, nil], "the record names nothing of the other cinema")
        let error = #expect(throws: PostgresError.self) {
            try chain.attacker.connection.query("SELECT sync_api.resolve_conflict($1, $2::jsonb, $3, NULL, 'attacker', false)",
                                                [String(SyncAgent.protocolVersion), CentralFixture.store(ChainFixture.attackerStore),
                                                 conflictID])
        }
        #expect(error?.message.contains("no seat decision") == true)
        #expect(try chain.database.query("SELECT status FROM central.bookings WHERE id = 'victim-sale'").scalar == "paid")
    }

    /// Attack 8: another cinema's showtime deleted, another cinema's studio moved into the
    /// attacker's cinema.
    @Test func anotherCinemasShowtimesAndStudiosStayItsOwn() throws {
        var delete = CentralFixture.change(1, stamp, "showtimes", chain.otherShowtimeID, ["id": chain.otherShowtimeID])
        delete["operation"] = "delete"
        try expectRefused([
            (delete, because: "a showtime is cancelled, never deleted"),
            (ChainFixture.update(2, stamp, "studios", chain.otherStudioID, [
                "id": chain.otherStudioID, "cinema_id": chain.base.cinemaID, "name": "Mine now",
            ]), because: "this change belongs to another cinema"),
            (ChainFixture.update(3, stamp, "showtimes", chain.otherShowtimeID, [
                "id": chain.otherShowtimeID, "cinema_id": chain.base.cinemaID, "studio_id": chain.base.studioID,
                "movie_id": "movie-1", "status": "cancelled",
            ]), because: "this change belongs to another cinema"),
        ])
    }

    /// Attack 9: a stamp at the end of the clock. It is clamped to head office's clock plus the
    /// skew it allows, reported, and never spread; every stamp head office makes after it stays in
    /// order, and the HLC counter never overflows.
    @Test func aStampFarAheadIsClampedReportedAndNeverSpread() throws {
        var rename = chain.honestChange(1)
        rename["hlc"] = farFuture
        let outcomes = try chain.attack([rename])
        #expect(outcomes.first?["status"] as? String == "accepted")
        let bound = try #require(try chain.database.query(
            "SELECT central.hlc_format(central.hlc_ceiling_millis(), 99999, 'x')").scalar)
        let spread = try chain.database.query("SELECT max(hlc) FROM central.feed").scalar ?? ""
        #expect(spread < bound, "no stamp beyond the bound reached the feed: \(spread)")
        #expect(try chain.database.query("SELECT payload->>'hlc' FROM central.cinemas WHERE id = $1", [chain.base.cinemaID]).scalar
                != farFuture)
        let report = try chain.database.query("SELECT node_name, sent_hlc FROM central.clock_reports").values
        #expect(report == [[chain.attacker.registration.name, farFuture]])
        // Head office's own decisions after it are stamped later than everything before them.
        let next = try #require(try chain.database.query("SELECT central.hlc_after($1)", [spread]).scalar)
        #expect(next > spread)
        // The end of the clock is where stamps stay: never wrapped round to an earlier one.
        let end = try #require(try chain.database.query("SELECT central.hlc_after('999999999999999-99999-x')").scalar)
        #expect(end == "999999999999999-99999-central")
    }

    /// Attack 10: a payload that is no JSON object is refused at head office, so it never reaches
    /// any node's feed (a counter's own guard, for a row that does, is PullContainmentTests').
    @Test func aPayloadThatIsNoObjectNeverReachesTheFeed() throws {
        var scalar = chain.honestChange(1)
        scalar["payload"] = "not an object"
        var missing = chain.honestChange(2)
        missing["payload"] = ["id": chain.base.cinemaID]
        var wrongType = chain.honestChange(3)
        wrongType["payload"] = ["id": chain.base.cinemaID, "name": 42]
        let outcomes = try chain.attack([scalar, missing, wrongType, chain.honestChange(4)], completing: false)
        #expect(outcomes.map { $0["status"] as? String } == ["rejected", "rejected", "rejected", "rejected"])
        #expect((outcomes[0]["reason"] as? String) == "its payload is not a JSON object")
        #expect((outcomes[1]["reason"] as? String)?.contains("is missing") == true)
        #expect((outcomes[2]["reason"] as? String)?.contains("its address is missing") == true
                || (outcomes[2]["reason"] as? String)?.contains("is not text") == true)
        #expect(try chain.database.query("SELECT count(*) FROM central.feed WHERE jsonb_typeof(payload) <> 'object'").scalar == "0")
        _ = try CentralFixture.pull(cursor: "0", as: ChainFixture.victimStore, over: chain.victim.connection)
    }

    /// Attack 12: under earliest-sale-wins, a sale with a forged early `sold_hlc` does not evict a
    /// customer head office had already accepted — a stamp from before the node's last pull is not
    /// trusted — while an honest sale made offline before the other still wins.
    @Test func aForgedEarlySaleStampEvictsNobody() throws {
        let base = chain.base
        try base.headOffice.setSeatPolicy(.earliestSaleWins, forCinema: base.cinemaID)
        let honest = try base.counter("honest")
        let accepted = try CentralFixture.push(base.sale(booking: "accepted", seats: ["A1"], stamp: "001700000000005-00000-honest",
                                                         firstSeq: 1), as: "store-honest", over: honest.connection)
        #expect(accepted.map { $0["status"] as? String } == ["accepted", "accepted"])
        // The attacker has pulled since, so it knows of that sale; its forged sale claims 2001.
        _ = try CentralFixture.pull(cursor: "0", as: ChainFixture.attackerStore, over: chain.attacker.connection)
        let forged = "001000000000000-00000-attacker"
        let outcomes = try chain.attack(base.sale(booking: "forged", seats: ["A1"], stamp: forged, firstSeq: 1))
        #expect(outcomes.last?["status"] as? String == "reseated", "\(outcomes)")
        #expect(try base.activeSeats()["accepted-A1"] == "A1", "the accepted customer keeps the seat")
        let taken = try #require(try chain.database.query("SELECT sold_hlc FROM central.bookings WHERE id = 'forged'").scalar)
        #expect(taken > forged)
        #expect(try chain.database.query("SELECT count(*) FROM central.clock_reports WHERE sent_hlc = $1 AND field = 'sold_hlc'",
                                         [forged]).scalar == "1")
    }

    /// Attack 16: a forged early `created_at` takes over no one's email: of two registrations of
    /// one email, the one head office received first keeps it, and the victim's bookings stay.
    @Test func aForgedEarlyRegistrationTakesOverNoAccount() throws {
        let base = chain.base
        let home = try base.counter("home")
        let customer = CentralFixture.change(1, "001700000000003-00000-home", "users", "real-sari", [
            "id": "real-sari", "email": "sari@example.com", "name": "Sari", "created_at": "2026-11-25 10:00:00.000",
        ])
        let sale = base.sale(booking: "sari-booking", seats: ["B1"], stamp: "001700000000003-00000-home", firstSeq: 2,
                             user: "real-sari")
        _ = try CentralFixture.push([customer] + sale, as: "store-home", over: home.connection)

        let outcomes = try chain.attack([CentralFixture.change(1, stamp, "users", "fake-sari", [
            "id": "fake-sari", "email": "SARI@example.com", "name": "Not Sari", "created_at": "2001-01-01 00:00:00.000",
        ])])
        #expect(outcomes.first?["merge_pending"] as? Bool == true)
        // The attacker asks for the merge itself, and may: the order head office received the two
        // accounts in decides, whoever asks.
        #expect(try chain.attacker.connection.query("SELECT sync_api.merge_accounts()").scalar == "1")
        #expect(try chain.database.query("SELECT merged_into FROM central.users WHERE id = 'fake-sari'").scalar == "real-sari")
        #expect(try chain.database.query("SELECT merged_into FROM central.users WHERE id = 'real-sari'").scalar == nil)
        #expect(try chain.database.query("SELECT user_id FROM central.bookings WHERE id = 'sari-booking'").scalar == "real-sari")
        // The forged account went back to the counter that sent it, and to no other.
        #expect(try chain.database.query(
            "SELECT coalesce(string_agg(DISTINCT only_node, ','), '') FROM central.feed WHERE entity = 'users' AND entity_id = 'fake-sari'"
        ).scalar == chain.attacker.registration.name)
        // And a customer's account changes only at the counter it was registered at.
        try expectRefused([
            (ChainFixture.update(1, stamp, "users", "real-sari", ["id": "real-sari", "email": "sari@example.com", "name": "Mine"]),
             because: "a customer's account changes only at the counter it was registered at"),
        ])
    }
}
