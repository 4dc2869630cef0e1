import Foundation
import TestSupport
import GRDB
import Testing
@testable import BoxOfficeKit
@testable import SyncAgent

/// Real crashes of a real `boxoffice sync` process, and a head office that really goes away.
@Suite(.enabled(if: TestPostgres.isAvailable, "needs the PostgreSQL server started by scripts/test.sh"))
struct SyncFaultTests {
    /// Sells `count` bookings of one seat each at a counter (seats A1, A2, …).
    static func sell(_ count: Int, at counter: SyncWorld.Counter, in world: SyncWorld) async throws {
        let labels = ["A", "B", "C"].flatMap { row in (1...4).map { "\(row)\($0)" } }
        for label in labels.prefix(count) {
            _ = try await counter.box.sales.sell(showtime: world.showtimeID, seats: [label], method: "cash", by: counter.principal)
        }
    }

    /// What a finished sync leaves, in terms that do not depend on ids: head office's inbox and feed
    /// for the node, its seats, and the counter's own bookkeeping.
    static func outcome(of counter: SyncWorld.Counter, in world: SyncWorld) async throws -> [String] {
        let central = try PostgresConnection(url: world.centralURL)
        let inbox = try central.query("SELECT count(*), count(DISTINCT seq), max(seq) FROM central.inbox WHERE node_name = $1", [counter.name]).values[0]
        let feed = try central.query("SELECT count(*) FROM central.feed WHERE origin_node = $1", [counter.name]).scalar!
        let state = try await counter.box.replica.state()
        return [
            "inbox \(inbox[0]!) distinct \(inbox[1]!) last \(inbox[2] ?? "none")",
            "feed \(feed)",
            "seats \(try world.centralSeats().keys.sorted())",
            "local seats \(try await world.localSeats(counter.box).keys.sorted())",
            "pushed through \(state.lastPushedSequence), pending \(state.pendingChanges)",
        ]
    }

    @Test(arguments: ["after-central-commit", "after-local-apply"])
    func aPushKilledMidwayEndsWhereAnUninterruptedOneDoes(failpoint: String) async throws {
        // Uninterrupted reference.
        let reference = try await SyncWorld()
        let calm = try await reference.counter("calm")
        try await Self.sell(5, at: calm, in: reference)
        // The node's URL holds its password: it goes in the environment, never on the command line.
        try Programs.run(Programs.boxoffice, ["sync", "--db", calm.path, "--batch-size", "3"],
                         environment: ["BOXOFFICE_CENTRAL_URL": calm.url])

        let world = try await SyncWorld()
        let crashing = try await world.counter("crash")
        try await Self.sell(5, at: crashing, in: world)
        let killed = try Programs.run(Programs.boxoffice, ["sync", "--db", crashing.path, "--batch-size", "3"],
                                      environment: ["BOXOFFICE_SYNC_FAILPOINT": failpoint, "BOXOFFICE_CENTRAL_URL": crashing.url])
        #expect(killed.signalled && killed.status == SIGKILL, "\(killed.output)")
        let afterCrash = try await crashing.box.replica.state()
        #expect(afterCrash.pendingChanges > 0, "the crash left work undone")

        let rerun = try Programs.run(Programs.boxoffice, ["sync", "--db", crashing.path, "--batch-size", "3"],
                                     environment: ["BOXOFFICE_CENTRAL_URL": crashing.url])
        #expect(rerun.status == 0, "\(rerun.output)")
        #expect(try await Self.outcome(of: crashing, in: world) == Self.outcome(of: calm, in: reference))
    }

    @Test func aPullKilledBeforeApplyingIsRedoneWithoutLossOrRepeat() async throws {
        let world = try await SyncWorld()
        let one = try await world.counter("one")
        let two = try await world.counter("two")
        try await Self.sell(4, at: two, in: world)
        try await two.settle()

        let killed = try Programs.run(Programs.boxoffice, ["sync", "--db", one.path],
                                      environment: ["BOXOFFICE_SYNC_FAILPOINT": "after-pull-fetch", "BOXOFFICE_CENTRAL_URL": one.url])
        #expect(killed.signalled && killed.status == SIGKILL)
        #expect(try await world.localSeats(one.box).isEmpty, "nothing was applied before the crash")
        try await one.settle()
        #expect(try await world.localSeats(one.box) == world.centralSeats())
        let tickets = try await one.box.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM tickets")! }
        #expect(tickets == 4)
        #expect(try await one.box.replica.state().pendingChanges == 0, "pulled rows are not pushed back")
    }

    @Test func withHeadOfficeDownCountersKeepSellingAndEverythingDrainsWhenItReturns() async throws {
        let server = Programs.PrivateServer()
        let serverURL = try server.start()
        defer { try? server.stop() }
        let world = try await SyncWorld(serverURL: serverURL)
        let counter = try await world.counter("offline")

        try server.stop()
        try await Self.sell(3, at: counter, in: world)
        let booking = try await counter.box.sales.book(showtime: world.showtimeID, seats: ["C4"], for: .walkIn(name: "Sari"), by: counter.principal)
        let registration = try await counter.box.accounts.register(
            name: "Rudi", email: "rudi@example.com", phone: "081298765432", password: "nonton-terus-9")
        let error = await #expect(throws: PostgresError.self) { try await counter.agent.syncOnce() }
        #expect(error?.isConnectionFailure == true)
        #expect(error?.kind == .unavailable)
        let whileDown = try await counter.box.replica.state()
        #expect(whileDown.pendingChanges > 0)
        #expect(whileDown.lastSyncError?.contains("unreachable") == true)

        // The watch loop keeps trying, backing off, until head office is back; then it drains.
        var configuration = SyncAgent.Configuration()
        configuration.interval = .milliseconds(100)
        configuration.maximumBackoff = .milliseconds(400)
        configuration.connectTimeout = .seconds(2)
        let failures = Counter()
        configuration.roundFinished = { result in if case .failure = result { failures.increment() } }
        let agent = SyncAgent(box: counter.box, centralURL: counter.url, configuration: configuration)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await agent.run() }
            while failures.value < 2 { try await Task.sleep(for: .milliseconds(50)) }
            _ = try server.start()
            let deadline = Date().addingTimeInterval(30)
            while try await counter.box.replica.state().pendingChanges > 0, Date() < deadline {
                try await Task.sleep(for: .milliseconds(100))
            }
            group.cancelAll()
        }
        #expect(try await counter.box.replica.state().pendingChanges == 0)
        #expect(try world.centralSeats().count == 4)
        #expect(try world.centralSeats()["C4"] == booking.code)
        let customer = try PostgresConnection(url: world.centralURL).query(
            "SELECT email FROM central.users WHERE id = $1", [registration.user.id]).scalar
        #expect(customer == "rudi@example.com")
    }
}

/// A thread-safe counter for callbacks.
final class Counter: @unchecked Sendable {
    // @unchecked: the lock guards `count`.
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.withLock { count } }
    func increment() { lock.withLock { count += 1 } }
}
