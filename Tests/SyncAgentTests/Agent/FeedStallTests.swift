import Foundation
import TestSupport
import Testing
@testable import BoxOfficeKit
@testable import SyncAgent

/// A counter's sale reaches the other counters of its cinema at their next pull, whatever else
/// runs on head office's server (issue 14): on main, one write transaction left open in another
/// database of the same server stopped every counter's feed until it ended.
@Suite(.enabled(if: TestPostgres.isAvailable, "needs the PostgreSQL server started by scripts/test.sh"))
struct FeedStallTests {
    @Test func anOpenTransactionElsewhereOnTheServerDelaysNoCountersPull() async throws {
        let world = try await SyncWorld()
        let one = try await world.counter("one")
        let two = try await world.counter("two")

        // A write transaction in another database of the server, held open: its id is below every
        // later transaction's, which held main's server-wide horizon back.
        let elsewhere = try PostgresConnection(url: try TestPostgres.makeDatabase())
        try elsewhere.execute("CREATE TABLE report (x integer)")
        try elsewhere.execute("BEGIN")
        try elsewhere.execute("INSERT INTO report VALUES (1)")
        // And one in head office's own database, writing another cinema's feed rows and holding
        // that cinema's numbers (as a push stuck in its commit would), also held open.
        let otherCinema = try PostgresConnection(url: world.centralURL)
        try otherCinema.execute("BEGIN")
        try otherCinema.query("SELECT central.publish('cin-elsewhere', NULL, 'central', 'movies', 'elsewhere', 'insert', 'x', '{}')")
        try otherCinema.execute("SET CONSTRAINTS central.feed_numbers IMMEDIATE")
        defer {
            try? elsewhere.execute("ROLLBACK")
            try? otherCinema.execute("ROLLBACK")
        }

        let sale = try await one.box.sales.sell(showtime: world.showtimeID, seats: ["A1"], method: "cash", by: one.principal)
        let pushed = try await one.agent.syncOnce()
        #expect(pushed.pushed.accepted == pushed.pushed.total && pushed.pushed.total > 0)

        // One pull, no retry: the sale is there at once.
        let pulled = try await two.agent.syncOnce()
        #expect(pulled.feedLag == 0, "nothing waits at head office")
        #expect(try await world.localSeats(two.box) == ["A1": sale.code], "the second counter has the sale")
    }
}
