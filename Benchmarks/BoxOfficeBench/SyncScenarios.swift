import BoxOfficeKit
import Foundation
import SyncAgent

/// `push`, `pull`, `convergence_10`, `peak_rss_mb_10k` and `peak_rss_mb_50k`: the sync agent
/// against `COPY` and against a plain SQLite bulk insert, each world on a database of its own on
/// the PostgreSQL server given by `--postgres-url`.
struct SyncScenarios {
    var adminURL: String?
    var backlog: Int
    var rssBacklogs: [Int]
    var convergenceCounters: [Int]
    var convergenceSales: Int
    var scratch: Scratch

    static let names: [(name: String, unit: String)] = [
        ("push", "changes/s"), ("push_one_cinema_4", "changes/s"), ("pull", "rows/s"), ("convergence_10", "s"),
        ("peak_rss_mb_10k", "MB"), ("peak_rss_mb_50k", "MB"),
    ]

    func run() async throws -> [ScenarioResult] {
        guard let adminURL else {
            let reason = "no PostgreSQL (give --postgres-url or BOXOFFICE_TEST_POSTGRES_URL)"
            return Self.names.map { ScenarioResult.unmeasured($0.name, unit: $0.unit, because: reason) }
        }
        // One backlog run per size; the `backlog` run also times the baselines.
        var runs: [Int: BacklogRun.Figures] = [:]
        for size in [backlog] + rssBacklogs where runs[size] == nil {
            progress("backlog of \(size) changes: a counter sells offline, a rival takes 10% of its seats first")
            runs[size] = try await BacklogRun(
                adminURL: adminURL, changes: size, withBaselines: size == backlog, scratch: scratch
            ).run()
        }
        let main = runs[backlog]!
        let push = ScenarioResult(
            scenario: "push", kit: main.pushPerSecond, baseline: main.copyPerSecond, unit: "changes/s",
            note: "\(main.pushed.total) changes (\(main.pushed.accepted) accepted, \(main.pushed.reseated) reseated, "
                + "\(main.pushed.refundRequired) refund-required, \(main.pushed.rejected) rejected), "
                + "batches of \(SyncAgent.Configuration().batchSize); baseline: COPY of the same change-log rows into a plain table",
            size: main.pushed.total)
        let pull = ScenarioResult(
            scenario: "pull", kit: main.pullPerSecond, baseline: main.bulkPerSecond, unit: "rows/s",
            note: "\(main.pulled) feed rows applied by a second counter, pages of \(SyncAgent.Configuration().pageSize); "
                + "baseline: the \(main.copied) change rows inserted into a plain raw-SQLite table, "
                + "\(SyncAgent.Configuration().pageSize) per transaction, WAL, synchronous=FULL; "
                + "schema floor: the \(main.schemaFloorRows) bookings, tickets and conflict records the counter ended with, "
                + "inserted as they are into a copy of its own store (its indexes, foreign keys and triggers) on raw SQLite: "
                + (main.schemaFloorPerSecond.map { String(format: "%.0f rows/s", $0) } ?? "not measured"),
            size: main.pulled, schemaFloor: main.schemaFloorPerSecond)
        let memory = zip(["peak_rss_mb_10k", "peak_rss_mb_50k"], rssBacklogs).map { name, size in
            let figures = runs[size]!
            return ScenarioResult(
                scenario: name, kit: figures.peakResidentMegabytes, baseline: nil, unit: "MB",
                note: "VmHWM of a process that pushes a \(figures.pushed.total)-change backlog and pulls "
                    + "\(figures.pulled) feed rows into another store", size: size)
        }
        progress("four counters of one cinema push backlogs of their own showtimes at once")
        let together = try await SimultaneousPushRun(
            adminURL: adminURL, counters: 4, changes: backlog, scratch: scratch
        ).run()
        let convergence = try await Convergence(
            adminURL: adminURL, counters: convergenceCounters, salesEach: convergenceSales, scratch: scratch
        ).run()
        return [push, together, pull, convergence] + memory
    }

    private func progress(_ message: String) {
        FileHandle.standardError.write(Data("  · \(message)\n".utf8))
    }
}

/// One backlog: a counter that sold `changes / 3` two-seat sales offline (a booking and two
/// tickets each) while a rival counter sold a tenth of the same seats and synced first. A child
/// process pushes the backlog (head office reseats the contested tickets) and pulls it into a third
/// counter of the cinema; its peak RSS is the memory figure.
struct BacklogRun {
    var adminURL: String
    var changes: Int
    var withBaselines: Bool
    var scratch: Scratch

    struct Figures {
        var pushed: PushSummary
        var pushPerSecond: Double
        var pulled: Int
        var pullPerSecond: Double
        var peakResidentMegabytes: Double
        var copied = 0
        var copyPerSecond: Double?
        var bulkPerSecond: Double?
        var schemaFloorRows = 0
        var schemaFloorPerSecond: Double?
    }

    func run() async throws -> Figures {
        let sales = max(1, (changes + 2) / 3)
        let world = try await SyncWorld(adminURL: adminURL, sales: sales, scratch: scratch, tag: "backlog-\(changes)")
        defer { world.database.drop() }
        let plan: SyncChildPlan
        do {
            let pusher = try await world.counter("pusher")
            let puller = try await world.counter("puller")
            let rival = try await world.counter("rival")
            try await pusher.sell(0..<sales, of: world.catalog)
            try await rival.sell(stride(from: 0, to: sales, by: 10), of: world.catalog)
            _ = try await rival.agent.push()
            plan = SyncChildPlan(pusherPath: pusher.path, pusherURL: pusher.url, pullerPath: puller.path, pullerURL: puller.url)
        }
        var copy: (rows: Int, perSecond: Double)?
        var bulk: Double?
        let pullerBefore = scratch.path("backlog-\(changes)-puller-before.sqlite")
        if withBaselines {
            copy = try Baselines.copy(from: plan.pusherPath, into: world.database.url)
            bulk = try Baselines.bulkInsert(from: world.database.url, into: scratch.path("bulk-\(changes).sqlite"),
                                            perTransaction: SyncAgent.Configuration().pageSize)
            try RawSQLite(path: plan.pullerPath).execute("VACUUM INTO '\(pullerBefore)'")
        }

        let planPath = scratch.path("backlog-\(changes).json")
        try JSONEncoder().encode(plan).write(to: URL(fileURLWithPath: planPath))
        let output = try ChildProcess.run(["sync-child", "--plan", planPath])
        let report = try JSONDecoder().decode(SyncChildReport.self, from: Data(output.utf8))
        let floor = withBaselines
            ? try Baselines.schemaInsert(from: plan.pullerPath, into: pullerBefore,
                                         perTransaction: SyncAgent.Configuration().pageSize)
            : nil
        return Figures(
            pushed: report.pushed, pushPerSecond: Double(report.pushed.total) / report.pushSeconds,
            pulled: report.pulled, pullPerSecond: Double(report.pulled) / report.pullSeconds,
            peakResidentMegabytes: report.peakResidentMegabytes,
            copied: copy?.rows ?? 0, copyPerSecond: copy?.perSecond, bulkPerSecond: bulk,
            schemaFloorRows: floor?.rows ?? 0, schemaFloorPerSecond: floor?.perSecond)
    }
}

/// The floors under push and pull.
enum Baselines {
    /// Streams a store's change log into `COPY bench_copy_changes FROM STDIN` (a plain table, no
    /// index) through ``PostgresConnection/copyIn(_:rows:)`` and times it.
    static func copy(from storePath: String, into url: String, table: String = "bench_copy_changes") throws
        -> (rows: Int, perSecond: Double)
    {
        let connection = try PostgresConnection(url: url)
        try connection.execute("""
            CREATE TABLE \(table) (
                seq bigint NOT NULL, hlc text NOT NULL, entity text NOT NULL, entity_id text NOT NULL,
                operation text NOT NULL, payload jsonb NOT NULL)
            """)
        let source = try RawSQLite(path: storePath)
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
            "COPY \(table) (seq, hlc, entity, entity_id, operation, payload) FROM STDIN", rows: lines)
        let took = clock.now - start
        return (stored, Double(stored) / took.seconds)
    }

    /// Reads the copied rows back (untimed), then times inserting them into a plain table of a new
    /// raw-SQLite file with the kit's file settings, `perTransaction` rows per transaction.
    static func bulkInsert(from url: String, into path: String, perTransaction: Int) throws -> Double {
        let result = try PostgresConnection(url: url).query("""
            SELECT seq::text, hlc, entity, entity_id, operation, payload::text FROM bench_copy_changes ORDER BY seq
            """)
        let database = try RawSQLite(path: path)
        try database.execute("""
            CREATE TABLE feed_rows (
                seq INTEGER PRIMARY KEY, hlc TEXT NOT NULL, entity TEXT NOT NULL, entity_id TEXT NOT NULL,
                operation TEXT NOT NULL, payload TEXT NOT NULL)
            """)
        let insert = try database.prepare("""
            INSERT INTO feed_rows (seq, hlc, entity, entity_id, operation, payload) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
            """)
        let begin = try database.prepare("BEGIN IMMEDIATE"), commit = try database.prepare("COMMIT")
        let rows = result.values
        let clock = ContinuousClock()
        let start = clock.now
        for batch in stride(from: 0, to: rows.count, by: perTransaction) {
            try begin.bind([]).run()
            for row in rows[batch..<min(batch + perTransaction, rows.count)] {
                try insert.bind([
                    .int(Int(row[0]!)!), .init(row[1]), .init(row[2]), .init(row[3]), .init(row[4]), .init(row[5]),
                ]).run()
            }
            try commit.bind([]).run()
        }
        let took = clock.now - start
        return Double(rows.count) / took.seconds
    }
}

extension Baselines {
    /// What the store's schema alone costs a pull: the bookings, tickets and conflict records that
    /// `applied` (a counter's store after its pull) holds, inserted as they are — no JSON, no
    /// checks, no upsert — into `empty` (a copy of that store from before the pull) on raw SQLite,
    /// `perTransaction` rows per transaction, with the change-log triggers silenced as the kit
    /// silences them. Its indexes, foreign keys and triggers all run.
    static func schemaInsert(from applied: String, into empty: String, perTransaction: Int) throws -> (rows: Int, perSecond: Double) {
        let database = try RawSQLite(path: empty)
        try database.execute("ATTACH '\(applied)' AS pulled")
        let tables = ["bookings", "tickets", "sync_conflicts"]  // parents first
        var chunks: [(table: String, first: Int, last: Int, count: Int)] = []
        for table in tables {
            let ids = try database.prepare("SELECT rowid FROM pulled.\(table) ORDER BY rowid").bind([])
            var rowids: [Int] = []
            while try ids.step() { rowids.append(ids.int(0)) }
            for start in stride(from: 0, to: rowids.count, by: perTransaction) {
                let chunk = rowids[start..<min(start + perTransaction, rowids.count)]
                chunks.append((table, chunk.first!, chunk.last!, chunk.count))
            }
        }
        let inserts = try Dictionary(uniqueKeysWithValues: tables.map { table in
            (table, try database.prepare("INSERT INTO main.\(table) SELECT * FROM pulled.\(table) WHERE rowid BETWEEN ?1 AND ?2"))
        })
        let begin = try database.prepare("BEGIN IMMEDIATE"), commit = try database.prepare("COMMIT")
        let silence = try database.prepare("INSERT INTO change_log_suppression (singleton) VALUES (1)")
        let unsilence = try database.prepare("DELETE FROM change_log_suppression")
        let clock = ContinuousClock()
        let start = clock.now
        for chunk in chunks {
            try begin.bind([]).run()
            try silence.bind([]).run()
            try inserts[chunk.table]!.bind([.int(chunk.first), .int(chunk.last)]).run()
            try unsilence.bind([]).run()
            try commit.bind([]).run()
        }
        let took = clock.now - start
        let rows = chunks.reduce(0) { $0 + $1.count }
        return (rows, Double(rows) / took.seconds)
    }
}

/// `convergence_10`: counters that each sold `salesEach` sales offline (every tenth of them on
/// seats the next counter also sold) sync in turn, round after round, until every store and head
/// office hold the same active tickets; reported for each counter count, the last in the row.
struct Convergence {
    var adminURL: String
    var counters: [Int]
    var salesEach: Int
    var scratch: Scratch

    func run() async throws -> ScenarioResult {
        var times: [(counters: Int, seconds: Double, rounds: Int, tickets: Int)] = []
        for count in counters {
            FileHandle.standardError.write(Data("  · convergence: \(count) counters × \(salesEach) offline sales\n".utf8))
            times.append(try await converge(count))
        }
        let last = times.last!
        let growth = times.map { "\($0.counters) counters \(String(format: "%.2f", $0.seconds)) s (\($0.rounds) rounds)" }
        return ScenarioResult(
            scenario: "convergence_10", kit: last.seconds, baseline: nil, unit: "s",
            note: "\(last.counters) counters × \(salesEach) offline sales, 10% contested, syncing in turn until all "
                + "stores equal head office (\(last.tickets) active tickets); " + growth.joined(separator: ", "),
            size: last.counters)
    }

    private func converge(_ count: Int) async throws -> (counters: Int, seconds: Double, rounds: Int, tickets: Int) {
        let world = try await SyncWorld(
            adminURL: adminURL, sales: count * salesEach, scratch: scratch, tag: "converge-\(count)")
        defer { world.database.drop() }
        var counters: [SyncWorld.Counter] = []
        for index in 0..<count { counters.append(try await world.counter("c\(index)")) }
        for (index, counter) in counters.enumerated() {
            let own = index * salesEach
            let next = ((index + 1) % count) * salesEach
            // Every tenth sale is of the seats the next counter sells at the same position.
            let numbers = (0..<salesEach).map { $0 % 10 == 5 && count > 1 ? next + $0 : own + $0 }
            try await counter.sell(numbers, of: world.catalog)
        }

        let clock = ContinuousClock()
        var syncing = Duration.zero
        for round in 1...20 {
            let start = clock.now
            for counter in counters { try await counter.agent.syncOnce() }
            syncing += clock.now - start
            let central = try world.centralState()
            var settled = true
            for counter in counters where try SyncWorld.localState(path: counter.path) != central {
                settled = false
                break
            }
            if settled {
                for counter in counters where try await counter.box.replica.state().pendingChanges > 0 { settled = false }
            }
            if settled { return (count, syncing.seconds, round, central.count) }
        }
        throw RawSQLite.Failure(description: "\(count) counters did not converge in 20 rounds")
    }
}

/// Runs this binary as a child with `arguments` and returns its standard output's last line.
enum ChildProcess {
    static func run(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ConcurrentSalesScenario.executablePath)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw RawSQLite.Failure(description: "\(arguments.first ?? "child") exited with \(process.terminationStatus)")
        }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
    }
}
