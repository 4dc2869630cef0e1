import ArgumentParser
import Foundation

/// `boxoffice-bench`: every scenario of issue 7 beside its baseline, in one run.
///
/// `make bench` builds it in release mode, starts a private PostgreSQL and runs it; `--tiny` runs
/// every scenario at a tiny size in seconds (the test suite does, so the code cannot rot).
@main
struct BoxOfficeBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "boxoffice-bench",
        abstract: "Benchmark BoxOfficeKit and its sync agent against raw SQLite and raw PostgreSQL.",
        subcommands: [Run.self, Worker.self, SyncChild.self],
        defaultSubcommand: Run.self)
}

extension BoxOfficeBench {
    /// Runs the scenarios, prints the table and writes the JSON file.
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run the scenarios (the default).")

        @Flag(help: "Run every scenario at a tiny size, in seconds (for tests).")
        var tiny = false

        @Option(help: "Counter sales per side in `sale`.")
        var sales = 2000

        @Option(help: "Seat-map queries per side in `seat_map`.")
        var seatMapQueries = 2000

        @Option(help: "Sales in all in each `concurrent_sales_*` run (and its single-process baseline).")
        var concurrentSales = 1200

        @Option(help: "Change rows in the `push`/`pull` backlog.")
        var backlog = 50_000

        @Option(help: "Backlog sizes of the `peak_rss_mb_*` scenarios, comma-separated.")
        var rssBacklogs = "10000,50000"

        @Option(help: "Counter counts of the convergence runs, comma-separated; the last one is reported.")
        var convergenceCounters = "2,5,10"

        @Option(help: "Offline sales per counter in the convergence runs.")
        var convergenceSales = 1000

        @Option(help: "Concurrent clients of `http` (over HTTP, and as tasks calling the kit directly).")
        var httpClients = 8

        @Option(help: "Two-seat bookings in `http`, each tried by two clients.")
        var httpBookings = 600

        @Option(help: "How many alternating kit/baseline rounds the single-process scenarios run in.")
        var rounds = 4

        @Option(help: "Only these scenarios (comma-separated groups: sale, seat_map, concurrent, http, sync).")
        var only: String?

        @Flag(help: "Keep the scratch folder of stores (its path is printed) for looking into afterwards.")
        var keepScratch = false

        @Option(help: "Where to write the JSON results.")
        var output = "bench-results.json"

        @Option(help: ArgumentHelp(
            "An admin URL of a PostgreSQL server to make a scratch database on.",
            discussion: "Default: $BOXOFFICE_BENCH_POSTGRES_URL, then $BOXOFFICE_TEST_POSTGRES_URL."))
        var postgresURL: String?

        mutating func run() async throws {
            if tiny {
                (sales, seatMapQueries, concurrentSales, backlog) = (12, 12, 12, 600)
                (rssBacklogs, convergenceCounters, convergenceSales, rounds) = ("300,600", "2", 10, 2)
                (httpClients, httpBookings) = (4, 12)
            }
            let environment = ProcessInfo.processInfo.environment
            let postgres = postgresURL ?? environment["BOXOFFICE_BENCH_POSTGRES_URL"] ?? environment["BOXOFFICE_TEST_POSTGRES_URL"]
            let groups = only.map { Set($0.split(separator: ",").map(String.init)) }
            func wanted(_ group: String) -> Bool { groups?.contains(group) ?? true }

            let scratch = try Scratch()
            defer { if keepScratch { progress("kept \(scratch.directory.path)") } else { scratch.remove() } }
            var results: [ScenarioResult] = []
            if wanted("sale") {
                progress("sale: \(sales) sales per side")
                results.append(try await SaleScenario(sales: sales, rounds: rounds, scratch: scratch).run())
            }
            if wanted("seat_map") {
                progress("seat_map: \(seatMapQueries) queries per side")
                results.append(try await SeatMapScenario(queries: seatMapQueries, rounds: rounds, scratch: scratch).run())
            }
            if wanted("concurrent") {
                progress("concurrent_sales: 1, 2 and 4 processes, \(concurrentSales) sales each run")
                results += try await ConcurrentSalesScenario(sales: concurrentSales, scratch: scratch).run()
            }
            if wanted("http") {
                progress("http: \(httpClients) clients booking and reading seat maps, beside the kit called directly")
                results.append(try await HTTPLoadScenario(clients: httpClients, bookings: httpBookings, scratch: scratch).run())
            }
            if wanted("sync") {
                progress("push, pull, convergence, peak RSS: backlog of \(backlog) changes")
                results += try await SyncScenarios(
                    adminURL: postgres, backlog: backlog, rssBacklogs: Self.integers(rssBacklogs),
                    convergenceCounters: Self.integers(convergenceCounters), convergenceSales: convergenceSales,
                    scratch: scratch
                ).run()
            }

            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            try encoder.encode(results).write(to: URL(fileURLWithPath: output))
            print(ResultsTable.render(results))
            print("\nwrote \(output)")
        }

        static func integers(_ list: String) -> [Int] {
            list.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        }

        private func progress(_ message: String) {
            FileHandle.standardError.write(Data("· \(message)\n".utf8))
        }
    }
}
