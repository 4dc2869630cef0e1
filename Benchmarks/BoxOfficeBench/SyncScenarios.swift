import BoxOfficeKit
import Foundation
import SyncAgent

/// `push`, `pull`, `convergence_10`, `peak_rss_mb_10k` and `peak_rss_mb_50k`: the sync agent
/// against `COPY` and against a plain SQLite bulk insert, on a private database of the
/// PostgreSQL server given by `--postgres-url`.
struct SyncScenarios {
    var adminURL: String?
    var backlog: Int
    var rssBacklogs: [Int]
    var convergenceCounters: [Int]
    var convergenceSales: Int
    var batchSize: Int
    var scratch: Scratch

    /// Why the kit side is empty: the agent (`SyncAgent(box:centralURL:configuration:)` with
    /// `push()`/`pull()`/`syncOnce()`) is not in this build yet.
    static let agentMissing = "the sync agent (SyncAgent.push/pull/syncOnce) is not on main yet"

    func run() async throws -> [ScenarioResult] {
        guard let adminURL else {
            let reason = "no PostgreSQL (give --postgres-url or BOXOFFICE_TEST_POSTGRES_URL)"
            return Self.names.map { ScenarioResult.unmeasured($0.name, unit: $0.unit, because: reason) }
        }
        let database = try BenchDatabase(adminURL: adminURL)
        defer { database.drop() }

        let store = try await Backlog.make(at: scratch.path("backlog.sqlite"), changes: backlog)
        let changes = try Backlog.count(store)

        // push: the baseline is COPY of the same change rows into a plain table.
        let copy = try pushBaseline(store: store, url: database.url)
        let push = ScenarioResult(
            scenario: "push", kit: nil, baseline: copy.perSecond, unit: "changes/s",
            note: "not measured (kit side): \(Self.agentMissing); baseline = COPY of \(changes) change rows into a plain table",
            size: changes)
        // pull: the baseline is a plain bulk insert of the same rows into raw SQLite, in batches.
        let bulk = try pullBaseline(url: database.url)
        let pull = ScenarioResult(
            scenario: "pull", kit: nil, baseline: bulk.perSecond, unit: "rows/s",
            note: "not measured (kit side): \(Self.agentMissing); baseline = insert of \(changes) rows into a plain "
                + "raw-SQLite table, \(batchSize) per transaction, WAL, synchronous=FULL",
            size: changes)

        let convergence = ScenarioResult.unmeasured(
            "convergence_10", unit: "s",
            because: "\(Self.agentMissing); planned: \(convergenceCounters.map(String.init).joined(separator: ", ")) counters, "
                + "\(convergenceSales) offline sales each, time until every store and head office hold one state")
        let memory = zip(["peak_rss_mb_10k", "peak_rss_mb_50k"], rssBacklogs).map { name, size in
            ScenarioResult.unmeasured(
                name, unit: "MB",
                because: "\(Self.agentMissing); planned: VmHWM of a child process pushing and pulling a \(size)-change backlog")
        }
        return [push, pull, convergence] + memory
    }

    static let names: [(name: String, unit: String)] = [
        ("push", "changes/s"), ("pull", "rows/s"), ("convergence_10", "s"),
        ("peak_rss_mb_10k", "MB"), ("peak_rss_mb_50k", "MB"),
    ]

    struct Throughput {
        var perSecond: Double
    }

    /// Streams the store's change log into `COPY bench_copy_changes FROM STDIN` and times it.
    private func pushBaseline(store: BenchStore, url: String) throws -> Throughput {
        let connection = try PostgresConnection(url: url)
        try connection.execute("""
            CREATE TABLE bench_copy_changes (
                seq bigint NOT NULL, hlc text NOT NULL, entity text NOT NULL, entity_id text NOT NULL,
                operation text NOT NULL, payload jsonb NOT NULL)
            """)
        let source = try RawSQLite(path: store.path)
        let rows = try source.prepare("""
            SELECT seq, hlc, entity, entity_id, operation, payload FROM change_log ORDER BY seq
            """).bind([])
        let lines = AnyIterator<String> {
            guard (try? rows.step()) == true else { return nil }
            return [String(rows.int(0)), rows.text(1), rows.text(2), rows.text(3), rows.text(4), rows.text(5)]
                .map { PostgresConnection.copyEscape($0) }.joined(separator: "\t")
        }
        let clock = ContinuousClock()
        let start = clock.now
        let stored = try connection.copyIn(
            "COPY bench_copy_changes (seq, hlc, entity, entity_id, operation, payload) FROM STDIN", rows: lines)
        let took = clock.now - start
        return Throughput(perSecond: Double(stored) / took.seconds)
    }

    /// Reads the copied rows back from PostgreSQL (untimed), then times inserting them into a plain
    /// table of a new raw-SQLite file, `batchSize` rows per transaction.
    private func pullBaseline(url: String) throws -> Throughput {
        let connection = try PostgresConnection(url: url)
        let result = try connection.query("""
            SELECT seq::text, hlc, entity, entity_id, operation, payload::text FROM bench_copy_changes ORDER BY seq
            """)
        let database = try RawSQLite(path: scratch.path("pull-raw.sqlite"))
        try database.execute("""
            CREATE TABLE feed_rows (
                seq INTEGER PRIMARY KEY, hlc TEXT NOT NULL, entity TEXT NOT NULL, entity_id TEXT NOT NULL,
                operation TEXT NOT NULL, payload TEXT NOT NULL)
            """)
        let insert = try database.prepare("""
            INSERT INTO feed_rows (seq, hlc, entity, entity_id, operation, payload) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
            """)
        let begin = try database.prepare("BEGIN IMMEDIATE"), commit = try database.prepare("COMMIT")
        let clock = ContinuousClock()
        let start = clock.now
        for batch in stride(from: 0, to: result.values.count, by: batchSize) {
            try begin.bind([]).run()
            for row in result.values[batch..<min(batch + batchSize, result.values.count)] {
                try insert.bind([
                    .int(Int(row[0]!)!), .init(row[1]), .init(row[2]), .init(row[3]), .init(row[4]), .init(row[5]),
                ]).run()
            }
            try commit.bind([]).run()
        }
        let took = clock.now - start
        return Throughput(perSecond: Double(result.values.count) / took.seconds)
    }
}

/// A counter that sold offline: a bench store whose change log holds at least `changes` rows.
///
/// The catalog is made through the kit; the sales are written with the raw-SQLite sale (the same
/// booking and ticket rows as the kit's, logged by the same triggers) with `synchronous=OFF`, so
/// that a 50,000-change backlog takes seconds to make rather than minutes.
enum Backlog {
    static func make(at path: String, changes: Int) async throws -> BenchStore {
        let sales = max(1, (changes + 2) / 3)
        let store = try await BenchStore.make(at: path, sales: sales)
        let existing = try count(store)
        let raw = try RawSale(store: store, synchronous: "OFF")
        for number in 0..<max(1, (changes - existing + 2) / 3) {
            let sale = store.sale(number)
            try raw.sell(showtimeID: sale.showtimeID, seats: sale.seats)
        }
        return store
    }

    static func count(_ store: BenchStore) throws -> Int {
        let count = try RawSQLite(path: store.path).prepare("SELECT COUNT(*) FROM change_log").bind([])
        _ = try count.step()
        return count.int(0)
    }
}

/// A database of its own on the given server, dropped at the end.
struct BenchDatabase {
    let adminURL: String
    let name = "bench_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
    let url: String

    init(adminURL: String) throws {
        self.adminURL = adminURL
        try PostgresConnection(url: adminURL).execute("CREATE DATABASE \(name)")
        var components = URLComponents(string: adminURL) ?? URLComponents()
        components.path = "/" + name
        url = components.string ?? adminURL
    }

    func drop() {
        try? PostgresConnection(url: adminURL).execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }
}
