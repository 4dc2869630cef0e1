import Foundation
import TestSupport
import Testing
@testable import BoxOfficeKit
@testable import SyncAgent

/// One account per email, settled after the push (issue 14): a push touches one cinema's rows, so
/// the check of a new account's email against the chain's other accounts — which may be any
/// cinema's — runs in a transaction of its own (`central.merge_accounts`, accounts.sql).
@Suite(.enabled(if: TestPostgres.isAvailable, "needs the PostgreSQL server started by scripts/test.sh"))
struct AccountMergeTests {
    /// On main, the push of a registration locked the email's other account, and with it waited
    /// for whatever held that other cinema's row.
    @Test func aRegistrationWaitsForNoOtherCinemasAccountOrBooking() async throws {
        let chain = try await ChainFixture()
        let stamp = "001700000000005-00000-"
        let theirs = CentralFixture.change(3, stamp + "victim", "users", "bdg-sari", [
            "id": "bdg-sari", "email": "sari@example.com", "name": "Sari", "created_at": "2026-11-25 10:00:00.000",
        ])
        let registered = try CentralFixture.push([theirs], as: ChainFixture.victimStore, over: chain.victim.connection)
        #expect(registered.first?["status"] as? String == "accepted", "\(registered)")
        #expect(try chain.victim.connection.query("SELECT sync_api.merge_accounts()").scalar == "0")

        // Head office's own session holds every row of the other cinema: its account, bookings
        // and tickets, as a long report or a stuck resolution would.
        let holder = try PostgresConnection(url: chain.base.databaseURL)
        try holder.execute("BEGIN")
        try holder.query("SELECT id FROM central.users WHERE origin_node = $1 FOR UPDATE", [chain.victim.registration.name])
        try holder.query("SELECT id FROM central.bookings WHERE cinema_id = $1 FOR UPDATE", [chain.otherCinemaID])
        try holder.query("SELECT id FROM central.tickets WHERE cinema_id = $1 FOR UPDATE", [chain.otherCinemaID])
        defer { try? holder.execute("ROLLBACK") }

        // A counter of the first cinema registers the same email offline and sells to it.
        let sale = chain.base.sale(booking: "jkt-sari-booking", seats: ["A2"], stamp: stamp + "attacker", firstSeq: 2,
                                   user: "jkt-sari")
        let ours = CentralFixture.change(1, stamp + "attacker", "users", "jkt-sari", [
            "id": "jkt-sari", "email": "Sari@Example.com", "name": "Sari W", "created_at": "2026-11-25 11:00:00.000",
        ])
        try chain.attacker.connection.execute("SET lock_timeout = '3s'")
        let outcomes = try CentralFixture.push([ours] + sale, as: ChainFixture.attackerStore, over: chain.attacker.connection)
        #expect(outcomes.map { $0["status"] as? String } == Array(repeating: "accepted", count: outcomes.count), "\(outcomes)")
        #expect(outcomes.first?["merge_pending"] as? Bool == true)
        try chain.attacker.connection.execute("RESET lock_timeout")

        // The merge is what waits for the other cinema; once that ends, it files the later
        // registration and its sale under the account head office received first.
        try holder.execute("ROLLBACK")
        #expect(try chain.attacker.connection.query("SELECT sync_api.merge_accounts()").scalar == "1")
        #expect(try chain.database.query("SELECT merged_into FROM central.users WHERE id = 'jkt-sari'").scalar == "bdg-sari")
        #expect(try chain.database.query("SELECT user_id FROM central.bookings WHERE id = 'jkt-sari-booking'").scalar == "bdg-sari")
        #expect(try chain.database.query("SELECT home_cinema_id FROM central.users WHERE id = 'jkt-sari'").scalar == chain.base.cinemaID)
        #expect(try chain.database.query("SELECT count(*) FROM central.users WHERE lower(email) = 'sari@example.com' AND merged_into IS NULL")
                .scalar == "1")
    }

    /// Two pending registrations of one email, settled by one call: the first received keeps it,
    /// whichever `created_at` they claim.
    @Test func pendingRegistrationsOfOneEmailSettleInTheOrderHeadOfficeReceivedThem() throws {
        let fixture = try CentralFixture()
        let first = try fixture.counter("first")
        let second = try fixture.counter("second")
        func user(_ id: String, _ created: String) -> [String: Any] {
            CentralFixture.change(1, "001700000000006-00000-\(id)", "users", id, [
                "id": id, "email": "dewi@example.com", "name": "Dewi", "created_at": created,
            ])
        }
        _ = try CentralFixture.push([user("received-first", "2026-11-25 12:00:00.000")], as: "store-first", over: first.connection)
        _ = try CentralFixture.push([user("received-second", "2001-01-01 00:00:00.000")], as: "store-second", over: second.connection)
        let database = try PostgresConnection(url: fixture.databaseURL)
        #expect(try database.query("SELECT count(*) FROM central.users WHERE merge_pending").scalar == "2")

        #expect(try fixture.headOffice.mergeAccounts() == 1)
        #expect(try database.query("SELECT merged_into FROM central.users WHERE id = 'received-second'").scalar == "received-first")
        #expect(try database.query("SELECT merged_into FROM central.users WHERE id = 'received-first'").scalar == nil)
        #expect(try database.query("SELECT count(*) FROM central.users WHERE merge_pending").scalar == "0")
        #expect(try fixture.headOffice.mergeAccounts() == 0)
    }

    /// A booking for a pending account, pushed while the merge runs: the merge waits for the
    /// booking's push to commit, then moves the booking too. Without the share lock the booking
    /// takes (`central.booking_account`), the merge would settle the account without seeing it,
    /// and the booking would stay with the alias for good.
    @Test func aBookingPushedWhileTheMergeRunsFollowsTheAccount() throws {
        let fixture = try CentralFixture()
        let first = try fixture.counter("first")
        let second = try fixture.counter("second")
        func user(_ id: String) -> [String: Any] {
            CentralFixture.change(1, "001700000000007-00000-\(id)", "users", id, [
                "id": id, "email": "wati@example.com", "name": "Wati", "created_at": "2026-11-25 12:00:00.000",
            ])
        }
        _ = try CentralFixture.push([user("wati-first")], as: "store-first", over: first.connection)
        try fixture.headOffice.mergeAccounts()
        _ = try CentralFixture.push([user("wati-second")], as: "store-second", over: second.connection)

        // The second counter's sale to its account, pushed in a transaction still open.
        let sale = fixture.sale(booking: "wati-booking", seats: ["B1"], stamp: "001700000000008-00000-second", firstSeq: 2,
                                user: "wati-second")
        try second.connection.execute("BEGIN")
        let outcomes = try CentralFixture.push(sale, as: "store-second", over: second.connection)
        #expect(outcomes.allSatisfy { $0["status"] as? String == "accepted" }, "\(outcomes)")

        // The merge on a thread of its own (not the test pool's, which other tests' blocking calls
        // may hold): it must wait, for the booking's push holds the account.
        let url = fixture.databaseURL
        let merged = MergeAnswer()
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            merged.value = try? PostgresConnection(url: url).query("SELECT central.merge_accounts()").scalar
            done.signal()
        }
        let watcher = try PostgresConnection(url: url)
        let deadline = Date().addingTimeInterval(20)
        var waiting = false
        while !waiting, Date() < deadline {
            waiting = try watcher.query("""
                SELECT count(*) FROM pg_stat_activity
                WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%merge_accounts%'
                """).scalar == "1"
            if !waiting { Thread.sleep(forTimeInterval: 0.02) }
        }
        #expect(waiting, "the merge waits for the booking's push")
        try second.connection.execute("COMMIT")

        #expect(done.wait(timeout: .now() + 20) == .success)
        #expect(merged.value == "1")
        #expect(try watcher.query("SELECT merged_into FROM central.users WHERE id = 'wati-second'").scalar == "wati-first")
        #expect(try watcher.query("SELECT user_id FROM central.bookings WHERE id = 'wati-booking'").scalar == "wati-first")
    }

    /// Through the sync agent: two counters register one email offline; each one's sync asks for
    /// the merge after its push, and head office ends with one account, holding both sales.
    @Test func theSyncAfterARegistrationMergesIt() async throws {
        let world = try await SyncWorld()
        let one = try await world.counter("one")
        let two = try await world.counter("two")
        _ = try await one.box.accounts.register(name: "Rudi", email: "rudi@example.com", phone: "081298765432",
                                                password: "nonton-terus-9")
        _ = try await two.box.accounts.register(name: "Rudi", email: "RUDI@example.com", phone: "081298765432",
                                                password: "nonton-terus-9")
        let early = try await one.box.sales.book(showtime: world.showtimeID, seats: ["A1"], for: .account(email: "rudi@example.com"),
                                                 by: one.principal)
        let late = try await two.box.sales.book(showtime: world.showtimeID, seats: ["B1"], for: .account(email: "rudi@example.com"),
                                                by: two.principal)
        _ = try await one.agent.syncOnce()
        _ = try await two.agent.syncOnce()

        let database = try PostgresConnection(url: world.centralURL)
        let accounts = try database.query("""
            SELECT id, coalesce(merged_into, ''), merge_pending::text FROM central.users WHERE lower(email) = 'rudi@example.com' ORDER BY received
            """).values
        #expect(accounts.count == 2)
        #expect(accounts.map { $0[2] } == ["false", "false"], "neither waits for a merge")
        let kept = try #require(accounts.first?[0])
        #expect(accounts.last?[1] == kept, "the later one is an alias of the first")
        #expect(try database.query("SELECT count(DISTINCT user_id) || ':' || min(user_id) FROM central.bookings WHERE id IN ($1, $2)",
                                   [early.id, late.id]).scalar == "1:" + kept)
    }
}

/// What a merge on another thread answered.
private final class MergeAnswer: @unchecked Sendable {
    private let lock = NSLock()
    private var answer: String?

    var value: String? {
        get { lock.withLock { answer } }
        set { lock.withLock { answer = newValue } }
    }
}
