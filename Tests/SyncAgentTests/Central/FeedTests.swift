import BoxOfficeKit
import Foundation
import TestSupport
import Testing
@testable import SyncAgent

@Suite(.enabled(if: TestPostgres.isAvailable, "needs the PostgreSQL server started by scripts/test.sh"))
struct FeedTests {
    @Test func seatRangesExpand() throws {
        #expect(try SeatRange.expand("a1-A3, B7") == ["A1", "A2", "A3", "B7"])
        for bad in ["A3-A1", "A1-B2", "12"] {
            #expect(throws: InputError(field: "seats", reason: "\"\(bad)\" is not a seat or a range of one row like A1-A20")) {
                try SeatRange.expand(bad)
            }
        }
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

    /// `sync_api.pull_rows` ends every page with a row that holds the cursor, which moves past rows
    /// the node does not get (another cinema's, its own); the lag is counted on the last page only.
    @Test func everyPulledPageEndsWithItsCursorPastRowsTheNodeDoesNotGet() throws {
        let fixture = try CentralFixture()
        let reader = try fixture.counter("reader")
        let admin = try PostgresConnection(url: fixture.databaseURL)
        func page(after cursor: String, limit: Int) throws -> FeedPage {
            try FeedPage(pulledRows: reader.connection.query(
                "SELECT * FROM sync_api.pull_rows($1, $2::jsonb, $3, $4)",
                [String(SyncAgent.protocolVersion), CentralFixture.store("store-reader"), cursor, String(limit)]))
        }
        // Past whatever the fixture published. Other tests' open transactions may hold head office's
        // horizon back for a moment (the server's transaction ids are shared): a page that scans
        // nothing is not the end until the fixture's last row is behind the cursor, boundedly.
        let published = try admin.query("SELECT xid::text || ':' || id FROM central.feed ORDER BY xid DESC, id DESC LIMIT 1").scalar ?? "0"
        var start = "0"
        let ready = Date().addingTimeInterval(20)
        while start != published, Date() < ready {
            let next = try page(after: start, limit: 1000)
            if next.cursor == start { Thread.sleep(forTimeInterval: 0.05) }
            start = next.cursor
        }
        for (cinema, origin, id) in [(fixture.cinemaID, "central", "mine-1"), ("elsewhere", "central", "theirs"),
                                     (fixture.cinemaID, reader.registration.name, "own"), (fixture.cinemaID, "central", "mine-2")] {
            try admin.query("SELECT central.publish($1, NULL, $2, 'movies', $3, 'insert', 'x', jsonb_build_object('id', $3::text))",
                            [cinema, origin, id])
        }
        let feed = try admin.query("SELECT xid::text || ':' || id FROM central.feed ORDER BY xid, id").values.map { $0[0]! }
        // Other tests' open transactions may hold head office's horizon back for a moment (the
        // server's transaction ids are shared); wait for the rows to be readable, boundedly.
        let deadline = Date().addingTimeInterval(20)
        while try page(after: start, limit: 1000).cursor != feed.last, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
        }

        let first = try page(after: start, limit: 3)
        #expect(first.rows.map(\.entityID) == ["mine-1"])
        #expect(first.rows.first?.payload == #"{"id": "mine-1"}"#)
        #expect(first.cursor == feed[feed.count - 2], "the page ends at the third row scanned, the node's own")
        #expect(first.lag == nil, "a full page does not count what is left")

        let second = try page(after: first.cursor, limit: 3)
        #expect(second.rows.map(\.entityID) == ["mine-2"])
        #expect(second.cursor == feed.last)
        #expect(second.lag == 0)

        let empty = try page(after: second.cursor, limit: 3)
        #expect(empty.rows.isEmpty && empty.cursor == second.cursor && empty.lag == 0)
        #expect(throws: PostgresError.self) { try page(after: "not-a-cursor", limit: 3) }
    }
}
