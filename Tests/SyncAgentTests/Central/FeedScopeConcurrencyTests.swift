import Foundation
import TestSupport
import Testing
@testable import SyncAgent

/// Pushes of one cinema and of two cinemas at once, their commits forced out of the order they
/// began in: every feed row reaches every reader of its scope exactly once, with no number of the
/// scope missing or repeated (rules/feed.sql, docs/feed.md).
@Suite(.enabled(if: TestPostgres.isAvailable, "needs the PostgreSQL server started by scripts/test.sh"))
struct FeedScopeConcurrencyTests {
    /// One pushing counter: its node, the showtime it sells and its seat there.
    struct Writer: Sendable {
        let url: String
        let store: String
        let changes: String
        let barrier: Int64
    }

    @Test func pushesCommittingOutOfOrderAreNeitherSkippedNorDeliveredTwice() throws {
        let fixture = try CentralFixture()
        let admin = try PostgresConnection(url: fixture.databaseURL)
        // Three showtimes of the fixture's cinema and two of a second one, one per pushing counter:
        // pushes of one showtime wait for each other's seat decisions, those of others must not.
        let otherCinema = "cin-" + UUID().uuidString.lowercased()
        let otherStudio = "st-" + UUID().uuidString.lowercased()
        var catalog: [[String: Any]] = [
            CentralFixture.change(100, "001600000000001-00000-hq", "cinemas", otherCinema,
                                  ["id": otherCinema, "name": "Bandung", "time_zone": "Asia/Jakarta"]),
            CentralFixture.change(101, "001600000000001-00000-hq", "studios", otherStudio,
                                  ["id": otherStudio, "cinema_id": otherCinema, "name": "Studio 1"]),
            CentralFixture.change(102, "001600000000001-00000-hq", "seats", otherStudio + "-A1", [
                "id": otherStudio + "-A1", "studio_id": otherStudio, "label": "A1", "kind": "regular", "grid_row": 0, "grid_column": 0,
            ]),
        ]
        var showtimes: [(cinema: String, showtime: String, seat: String)] = [(fixture.cinemaID, fixture.showtimeID, fixture.seatID("A1"))]
        for (index, (cinema, studio, seat)) in [(fixture.cinemaID, fixture.studioID, fixture.seatID("A1")),
                                                (fixture.cinemaID, fixture.studioID, fixture.seatID("A1")),
                                                (otherCinema, otherStudio, otherStudio + "-A1"),
                                                (otherCinema, otherStudio, otherStudio + "-A1")].enumerated() {
            let id = "sh-" + UUID().uuidString.lowercased()
            let starts = Date().addingTimeInterval(86_400 * Double(index + 2))
            catalog.append(CentralFixture.change(103 + index, "001600000000001-00000-hq", "showtimes", id, [
                "id": id, "cinema_id": cinema, "studio_id": studio, "movie_id": "movie-1",
                "starts_at": CentralFixture.instant(starts), "ends_at": CentralFixture.instant(starts.addingTimeInterval(7200)),
                "status": "scheduled", "base_price": 50_000, "price_version": "v1",
            ]))
            showtimes.append((cinema, id, seat))
        }
        let accepted = try CentralFixture.push(catalog, as: "store-hq", over: fixture.hqConnection)
        #expect(accepted.allSatisfy { $0["status"] as? String == "accepted" }, "\(accepted)")

        // A reader of each cinema, drained to the start.
        var readers: [(cinema: String, connection: PostgresConnection, store: String, cursor: String, seen: [String])] = []
        for cinema in [fixture.cinemaID, otherCinema] {
            let node = try fixture.headOffice.addNode(named: "reader-" + CentralFixture.suffix(), cinemaID: cinema)
            let connection = try PostgresConnection(url: node.url)
            var cursor = "0"
            while true {
                let page = try Self.page(after: cursor, store: "store-" + node.name, over: connection)
                cursor = page.cursor
                if page.lag != nil { break }
            }
            readers.append((cinema, connection, "store-" + node.name, cursor, []))
        }

        // Five pushing counters, each held before its commit by an advisory lock the test holds.
        let base = Int64.random(in: 1_000_000...1_000_000_000)
        try admin.query("SELECT pg_advisory_lock(k) FROM generate_series($1::bigint, $1::bigint + 4) k", [String(base)])
        var writers: [Writer] = []
        for (index, sale) in showtimes.enumerated() {
            let node = try fixture.headOffice.addNode(named: "till-" + CentralFixture.suffix(), cinemaID: sale.cinema)
            let booking = "bk-" + UUID().uuidString.lowercased()
            let store = "store-" + node.name
            let changes = [
                CentralFixture.change(1, "001700000000000-00000-" + node.name, "bookings", booking, [
                    "id": booking, "showtime_id": sale.showtime, "status": "paid", "sold_hlc": "001700000000000-00000-" + node.name,
                    "total": 50_000,
                ]),
                CentralFixture.change(2, "001700000000000-00000-" + node.name, "tickets", booking + "-t", [
                    "id": booking + "-t", "booking_id": booking, "showtime_id": sale.showtime, "seat_id": sale.seat,
                    "status": "active", "price": 50_000, "price_version": "v1",
                ]),
            ].map { CentralFixture.completed($0, store: store) }
            writers.append(Writer(url: node.url, store: store,
                                  changes: String(decoding: try JSONSerialization.data(withJSONObject: changes), as: UTF8.self),
                                  barrier: base + Int64(index)))
        }
        let group = DispatchGroup()
        let failures = Failures()
        for writer in writers {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                do {
                    let connection = try PostgresConnection(url: writer.url)
                    try connection.execute("BEGIN")
                    let outcomes = try connection.query("SELECT sync_api.push($1, $2::jsonb, $3::jsonb)",
                                                        [String(SyncAgent.protocolVersion), CentralFixture.store(writer.store), writer.changes])
                    if outcomes.scalar?.contains("\"accepted\"") != true { failures.add("push not accepted: \(outcomes.scalar ?? "")") }
                    try connection.query("SELECT pg_advisory_xact_lock($1)", [String(writer.barrier)])
                    try connection.execute("COMMIT")
                } catch {
                    failures.add("\(error)")
                }
            }
            // In order: each push has written its rows (and its feed ids) before the next begins.
            try Self.waitUntil("writer \(writer.barrier - base) waits at its barrier") {
                try admin.query("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objid = $1",
                                [String(writer.barrier & 0xFFFF_FFFF)]).scalar == "1"
            }
        }

        // Commits in another order than the pushes began in, each reader pulling in between.
        func pullAll() throws {
            for index in readers.indices {
                let page = try Self.page(after: readers[index].cursor, store: readers[index].store, over: readers[index].connection, limit: 1)
                readers[index].seen += page.positions
                readers[index].cursor = page.cursor
            }
        }
        for index in [4, 1, 3, 0, 2] {
            try pullAll()
            try admin.query("SELECT pg_advisory_unlock($1)", [String(base + Int64(index))])
            try pullAll()
        }
        #expect(group.wait(timeout: .now() + 60) == .success, "every push commits")
        #expect(failures.all.isEmpty, "\(failures.all)")
        for index in readers.indices {
            var page = try Self.page(after: readers[index].cursor, store: readers[index].store, over: readers[index].connection)
            readers[index].seen += page.positions
            while page.lag == nil {
                page = try Self.page(after: page.cursor, store: readers[index].store, over: readers[index].connection)
                readers[index].seen += page.positions
            }
            readers[index].cursor = page.cursor
        }

        // Per scope: the numbers each reader took are the scope's numbers since it started, each once.
        for reader in readers {
            let expected = try admin.query("""
                SELECT scope || ':' || scope_seq FROM central.feed
                WHERE scope = $1 AND entity IN ('bookings', 'tickets') AND origin_node LIKE 'till-%' ORDER BY scope_seq
                """, [reader.cinema]).values.map { $0[0]! }
            let mine = reader.seen.filter { $0.hasPrefix(reader.cinema + ":") }
            #expect(expected.count == (reader.cinema == fixture.cinemaID ? 6 : 4), "two rows per sale of the cinema")
            #expect(mine.count == Set(mine).count, "no row delivered twice to \(reader.cinema)")
            #expect(Set(expected).isSubset(of: Set(mine)), "every sale of \(reader.cinema) delivered")
            let numbers = mine.compactMap { Int($0.split(separator: ":").last!) }
            #expect(numbers == numbers.sorted(), "in the scope's order")
            #expect(Set(numbers) == Set((numbers.min() ?? 0)...(numbers.max() ?? 0)), "no number of the scope missing")
        }
        let scopes = try admin.query("SELECT scope, last_seq, (SELECT count(*) FROM central.feed f WHERE f.scope = s.scope) FROM central.feed_scopes s")
        for row in scopes.values {
            #expect(row[1] == row[2], "scope \(row[0] ?? "") numbered its rows 1 to \(row[2] ?? "") without a hole")
        }
    }

    /// A page of `sync_api.pull_rows` with each row's position (`scope:number`).
    static func page(after cursor: String, store: String, over connection: PostgresConnection, limit: Int = 1000) throws
        -> (positions: [String], cursor: String, lag: Int?) {
        let result = try connection.query("SELECT * FROM sync_api.pull_rows($1, $2::jsonb, $3, $4)",
                                          [String(SyncAgent.protocolVersion), CentralFixture.store(store), cursor, String(limit)])
        let end = result.values.last!
        return (result.values.dropLast().map { $0[1]! }, end[1]!, end[7].flatMap { Int($0) })
    }

    static func waitUntil(_ what: String, _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(30)
        while try !condition() {
            guard Date() < deadline else { throw PostgresError(message: "timed out: \(what)") }
            Thread.sleep(forTimeInterval: 0.02)
        }
    }

    /// What the writer threads report.
    final class Failures: @unchecked Sendable {
        // Guarded by `lock`: the writers run on threads of their own.
        private let lock = NSLock()
        private var messages: [String] = []
        func add(_ message: String) { lock.withLock { messages.append(message) } }
        var all: [String] { lock.withLock { messages } }
    }
}
