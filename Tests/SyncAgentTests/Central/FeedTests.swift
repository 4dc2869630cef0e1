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
    /// skip the late committer's rows. Each row arrives exactly once, the early committer's at once;
    /// and a writer that has taken its numbers but not committed yet holds back the next writer of
    /// its scope, not the reader: were numbers taken without that lock (a SEQUENCE), the reader
    /// would see number 2 while 1 is still invisible, move past it, and miss it for good.
    @Test func pullNeverSkipsARowOfATransactionThatCommitsLate() throws {
        let fixture = try CentralFixture()
        let reader = try fixture.counter("reader")
        var cursor = "0"
        var seen: [String] = []
        func drain() throws {
            while true {
                let page = try CentralFixture.pull(cursor: cursor, limit: 3, over: reader.connection)
                seen += page.rows.compactMap { $0["entity_id"] as? String }
                if page.cursor == cursor { break }
                cursor = page.cursor
            }
        }
        try drain()
        seen = []

        // The slow writer takes its feed id first and commits last: the fast one is read at once.
        let slow = try PostgresConnection(url: fixture.databaseURL)
        let fast = try PostgresConnection(url: fixture.databaseURL)
        try slow.execute("BEGIN")
        try slow.query("SELECT central.publish($1, NULL, 'central', 'movies', 'slow', 'insert', 'x', '{}')", [fixture.cinemaID])
        try fast.query("SELECT central.publish($1, NULL, 'central', 'movies', 'fast', 'insert', 'x', '{}')", [fixture.cinemaID])
        try drain()
        #expect(seen == ["fast"], "the early committer's row does not wait for the open transaction")
        try slow.execute("COMMIT")
        try drain()
        #expect(seen == ["fast", "slow"])

        // Now the slow writer numbers its row (as a commit does) and stays open: the next writer of
        // the scope waits for it, so nothing becomes visible out of order.
        try slow.execute("BEGIN")
        try slow.query("SELECT central.publish($1, NULL, 'central', 'movies', 'numbered', 'insert', 'x', '{}')", [fixture.cinemaID])
        try slow.execute("SET CONSTRAINTS central.feed_numbers IMMEDIATE")
        let url = fixture.databaseURL, cinema = fixture.cinemaID
        let committed = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            if let next = try? PostgresConnection(url: url) {
                _ = try? next.query("SELECT central.publish($1, NULL, 'central', 'movies', 'behind', 'insert', 'x', '{}')", [cinema])
            }
            committed.signal()
        }
        let watcher = try PostgresConnection(url: fixture.databaseURL)
        let deadline = Date().addingTimeInterval(30)
        while try watcher.query("""
            SELECT count(*) FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%''behind''%'
            """).scalar != "1", Date() < deadline {
            Thread.sleep(forTimeInterval: 0.02)
        }
        #expect(committed.wait(timeout: .now()) == .timedOut, "the next writer of the scope waits for the numbered one")
        try drain()
        #expect(seen == ["fast", "slow"], "nothing of the scope is readable past the open numbers")
        try slow.execute("COMMIT")
        #expect(committed.wait(timeout: .now() + 20) == .success)
        try drain()
        #expect(seen == ["fast", "slow", "numbered", "behind"], "every row once, in the scope's order")
    }

    /// `sync_api.pull_rows` ends every page with a row that holds the cursor, a map of scope to
    /// number that moves past rows the node does not get (its own, another node's); another
    /// cinema's rows are not even scanned. The lag is counted only when the page is not full.
    @Test func everyPulledPageEndsWithItsCursorPastRowsTheNodeDoesNotGet() throws {
        let fixture = try CentralFixture()
        let reader = try fixture.counter("reader")
        let admin = try PostgresConnection(url: fixture.databaseURL)
        func page(after cursor: String, limit: Int) throws -> FeedPage {
            try FeedPage(pulledRows: reader.connection.query(
                "SELECT * FROM sync_api.pull_rows($1, $2::jsonb, $3, $4)",
                [String(SyncAgent.protocolVersion), CentralFixture.store("store-reader"), cursor, String(limit)]))
        }
        let start = try page(after: "0", limit: 1000)
        #expect(start.lag == 0, "nothing holds the fixture's rows back")
        for (cinema, origin, id, node) in [(fixture.cinemaID, "central", "mine-1", nil), ("elsewhere", "central", "theirs", nil),
                                           (fixture.cinemaID, reader.registration.name, "own", nil),
                                           (fixture.cinemaID, "central", "for-another", fixture.hq.name),
                                           (fixture.cinemaID, "central", "mine-2", nil)] {
            try admin.query("SELECT central.publish($1, $4, $2, 'movies', $3, 'insert', 'x', jsonb_build_object('id', $3::text))",
                            [cinema, origin, id, node])
        }
        let scope = try admin.query("SELECT scope_seq FROM central.feed WHERE entity_id = 'mine-2'").scalar!
        let chain = try admin.query("SELECT last_seq FROM central.feed_scopes WHERE scope = 'chain'").scalar!

        let first = try page(after: start.cursor, limit: 3)
        #expect(first.rows.map(\.entityID) == ["mine-1"])
        #expect(first.rows.first?.payload == #"{"id": "mine-1"}"#)
        #expect(first.lag == nil, "a full page does not count what is left")

        let second = try page(after: first.cursor, limit: 3)
        #expect(second.rows.map(\.entityID) == ["mine-2"])
        #expect(second.cursor == #"{"chain": \#(chain), "\#(fixture.cinemaID)": \#(scope)}"#)
        #expect(second.lag == 0)

        let empty = try page(after: second.cursor, limit: 3)
        #expect(empty.rows.isEmpty && empty.cursor == second.cursor && empty.lag == 0)
        for bad in ["not-a-cursor", #"{"chain": -1}"#, #"{"chain": "1"}"#, "[1]"] {
            #expect(throws: PostgresError.self, "\(bad)") { try page(after: bad, limit: 3) }
        }

        // A cursor of the earlier protocol (a position `xid:id`) is read as the numbers at or before it.
        let old = try admin.query("SELECT xid::text || ':' || id FROM central.feed WHERE entity_id = 'mine-1'").scalar!
        #expect(try page(after: old, limit: 1000).rows.map(\.entityID) == ["mine-2"])
    }

    /// A cinema's row comes only in a page that reaches, in the chain-wide scope, the rows it may
    /// refer to: a showtime never before its movie, however small the pages.
    @Test func aCinemasRowWaitsForTheChainWideRowsBeforeIt() throws {
        let fixture = try CentralFixture()
        let reader = try fixture.counter("reader")
        let admin = try PostgresConnection(url: fixture.databaseURL)
        var cursor = try CentralFixture.pull(cursor: "0", over: reader.connection).cursor
        try admin.execute("BEGIN")
        try admin.query("SELECT central.publish($1, NULL, 'central', 'showtimes', 'showing', 'insert', 'x', '{}')", [fixture.cinemaID])
        try admin.query("SELECT central.publish(NULL, NULL, 'central', 'movies', 'new-movie', 'insert', 'x', '{}')")
        try admin.execute("COMMIT")
        var order: [String] = []
        for _ in 0..<3 {
            let page = try CentralFixture.pull(cursor: cursor, limit: 1, over: reader.connection)
            order += page.rows.compactMap { $0["entity_id"] as? String }
            cursor = page.cursor
        }
        #expect(order == ["new-movie", "showing"])
    }
}
