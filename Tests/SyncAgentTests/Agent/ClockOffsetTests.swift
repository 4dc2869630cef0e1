import Foundation
import Synchronization
import TestSupport
import Testing
@testable import BoxOfficeKit
@testable import SyncAgent

/// A counter measures its clock against head office's at every sync and warns the cashier when
/// it is far off.
@Suite(.enabled(if: TestPostgres.isAvailable, "needs the PostgreSQL server started by scripts/test.sh"))
struct ClockOffsetTests {
    /// The counter's store, opened again on a clock `offset` seconds off.
    static func skewed(_ counter: SyncWorld.Counter, by offset: TimeInterval) throws -> SyncAgent {
        var configuration = BoxOffice.Configuration()
        configuration.clock = { Date().addingTimeInterval(offset) }
        let box = try BoxOffice.open(path: counter.path, configuration: configuration)
        return SyncAgent(box: box, centralURL: counter.url)
    }

    @Test(arguments: [(7_200.0, "2 h 0 min ahead of"), (-600.0, "10 min behind"), (-86_400.0, "24 h 0 min behind")])
    func aClockFarOffIsMeasuredAndTheCashierWarned(offset: Double, words: String) async throws {
        let world = try await SyncWorld()
        let counter = try await world.counter("skewed")
        let report = try await Self.skewed(counter, by: offset).syncOnce()
        let measured = try #require(report.clockOffset)
        #expect(abs(measured - offset) < 5, "measured \(measured) s for \(offset) s")
        #expect(report.clockWarning?.contains(words) == true, "\(report.clockWarning ?? "no warning")")
    }

    @Test func aClockNearHeadOfficesIsNotWarnedAbout() async throws {
        let world = try await SyncWorld()
        let counter = try await world.counter("right")
        let report = try await Self.skewed(counter, by: 20).syncOnce()
        #expect(abs((report.clockOffset ?? 99) - 20) < 5)
        #expect(report.clockWarning == nil)
    }

    /// What `boxoffice sync` prints: the warning, and the offset in its JSON.
    @Test func theSyncCommandWarnsOnTheCountersOwnClock() async throws {
        let world = try await SyncWorld()
        let counter = try await world.counter("cli")
        let environment = ["BOXOFFICE_CENTRAL_URL": counter.url, "BOXOFFICE_TEST_CLOCK_OFFSET": "-7200"]
        let text = try Programs.run(Programs.boxoffice, ["sync", "--db", counter.path], environment: environment)
        #expect(text.status == 0, "\(text.output)")
        #expect(text.output.contains("warning: this counter's clock is 2 h 0 min behind head office's: set it right"), "\(text.output)")
        let json = try Programs.run(Programs.boxoffice, ["sync", "--db", counter.path, "--json"], environment: environment)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        let offset = try #require(object["clock_offset_seconds"] as? Double)
        #expect(abs(offset + 7_200) < 5)
        let calm = try Programs.run(Programs.boxoffice, ["sync", "--db", counter.path], environment: ["BOXOFFICE_CENTRAL_URL": counter.url])
        #expect(!calm.output.contains("warning"), "\(calm.output)")
    }

    /// Found by the simulation: head office clamps the stamps of a counter whose clock is far ahead,
    /// and its own later decision on such a row (here: moving the sale off a seat an earlier sale
    /// wins) was stamped after its clamped copy — older than the counter's own stamp, so the
    /// counter kept its version of the row for good.
    @Test func aCounterFarAheadFollowsHeadOfficesLaterDecisionsOnItsSales() async throws {
        let world = try await SyncWorld()
        try world.headOffice.setSeatPolicy(.earliestSaleWins, forCinema: world.cinemaID)
        let right = try await world.counter("right")
        let counter = try await world.counter("ahead")
        var configuration = BoxOffice.Configuration()
        configuration.clock = { Date().addingTimeInterval(2 * 3_600) }
        let ahead = try BoxOffice.open(path: counter.path, configuration: configuration)
        let cashier = try await ahead.accounts.login(email: "manager@hq.example", password: SyncWorld.password).principal
        let agent = SyncAgent(box: ahead, centralURL: counter.url)

        let first = try await right.box.sales.sell(showtime: world.showtimeID, seats: ["A1"], method: "cash", by: right.principal)
        let later = try await ahead.sales.sell(showtime: world.showtimeID, seats: ["A1"], method: "cash", by: cashier)
        try await agent.syncOnce()            // accepted, its stamps clamped
        try await right.settle()              // the earlier sale wins the seat; the later one is moved
        let central = try world.centralSeats()
        #expect(central["A1"] == first.code)
        #expect(central.values.contains(later.code))
        try await agent.syncOnce()
        #expect(try await world.localSeats(ahead) == central)
    }

    /// Found by the simulation: a counter whose clock is ahead told its customer a hold had run out,
    /// while head office, reading the hold's end by its own clock, kept the seats held for hours.
    /// Every sync now expires the counter's lapsed holds first, so head office hears of it.
    @Test func aHoldThatRanOutByTheCountersClockIsExpiredAtHeadOfficeAtTheNextSync() async throws {
        let world = try await SyncWorld()
        let counter = try await world.counter("ahead")
        let clock = MovableClock(offset: 2 * 3_600)
        var configuration = BoxOffice.Configuration()
        configuration.clock = { clock.now }
        configuration.holdDuration = .seconds(60)
        let ahead = try BoxOffice.open(path: counter.path, configuration: configuration)
        let cashier = try await ahead.accounts.login(email: "manager@hq.example", password: SyncWorld.password).principal
        let agent = SyncAgent(box: ahead, centralURL: counter.url)
        let hold = try await ahead.sales.book(showtime: world.showtimeID, seats: ["A1"], for: .walkIn(name: "Sari"), by: cashier)
        try await agent.syncOnce()
        #expect(try world.centralSeats()["A1"] == hold.code)

        clock.advance(by: 120)   // the hold ran out, by the counter's clock (head office's says an hour and more to go)
        await #expect(throws: SaleError.self) {
            try await ahead.sales.pay(code: hold.code, method: "cash", amount: hold.total, by: cashier)
        }
        try await agent.syncOnce()
        let status = try PostgresConnection(url: world.centralURL).query("SELECT status FROM central.bookings WHERE id = $1", [hold.id]).scalar
        #expect(status == "expired")
        #expect(try world.centralSeats()["A1"] == nil)
    }
}

/// A test clock that a test moves on.
final class MovableClock: Sendable {
    private let offset: Mutex<TimeInterval>

    init(offset: TimeInterval) { self.offset = Mutex(offset) }

    var now: Date { Date().addingTimeInterval(offset.withLock { $0 }) }

    func advance(by seconds: TimeInterval) { offset.withLock { $0 += seconds } }
}
