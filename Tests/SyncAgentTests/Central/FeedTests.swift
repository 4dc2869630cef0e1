import Foundation
import TestSupport
import Testing
@testable import SyncAgent

@Suite(.enabled(if: TestPostgres.isAvailable, "needs the PostgreSQL server started by scripts/test.sh"))
struct FeedTests {
    @Test func seatRangesExpand() throws {
        #expect(try SeatRange.expand("a1-A3, B7") == ["A1", "A2", "A3", "B7"])
        #expect(throws: CentralError.badSeatRange("A3-A1")) { try SeatRange.expand("A3-A1") }
        #expect(throws: CentralError.badSeatRange("A1-B2")) { try SeatRange.expand("A1-B2") }
        #expect(throws: CentralError.badSeatRange("12")) { try SeatRange.expand("12") }
    }

    /// Writers whose transactions commit out of id order: a reader paging by bigserial alone would
    /// skip the late committer's rows. Every row must still arrive exactly once.
    @Test func pullNeverSkipsARowOfATransactionThatCommitsLate() throws {
        let fixture = try CentralFixture()
        let reader = try fixture.counter("reader")
        var cursor = "0"
        var seen: [Int] = []
        func drain() throws {
            while true {
                let page = try CentralFixture.pull(cursor: cursor, limit: 3, over: reader.connection)
                seen += page.rows.compactMap { $0["id"] as? Int }
                if page.cursor == cursor { break }
                cursor = page.cursor
            }
        }
        try drain()

        // The slow writer takes its feed id first and commits last.
        let slow = try PostgresConnection(url: fixture.databaseURL)
        let fast = try PostgresConnection(url: fixture.databaseURL)
        try slow.execute("BEGIN")
        try slow.query("SELECT central.publish($1, NULL, 'central', 'movies', 'slow', 'insert', 'x', '{}')", [fixture.cinemaID])
        try fast.query("SELECT central.publish($1, NULL, 'central', 'movies', 'fast', 'insert', 'x', '{}')", [fixture.cinemaID])
        try drain()
        let whileSlowIsOpen = seen
        try slow.execute("COMMIT")
        let feed = try PostgresConnection(url: fixture.databaseURL).query(
            "SELECT id FROM central.feed WHERE origin_node <> $1 ORDER BY id", [reader.registration.name]).values.map { Int($0[0]!)! }
        // Transaction ids are server-wide: other tests' open transactions may hold the horizon back
        // for a moment. The rows arrive once they end; wait for that, boundedly.
        let deadline = Date().addingTimeInterval(20)
        repeat {
            try drain()
            if Set(seen) == Set(feed) { break }
            Thread.sleep(forTimeInterval: 0.05)
        } while Date() < deadline
        #expect(Set(seen) == Set(feed), "every feed row arrives")
        #expect(seen.count == Set(seen).count, "and only once")
        #expect(!whileSlowIsOpen.contains(feed.last!), "the fast row waits until the slow transaction ends")
    }
}
