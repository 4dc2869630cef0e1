import ArgumentParser
import BoxOfficeKit
import Foundation

extension BoxOfficeBench {
    /// One selling process of `concurrent_sales_*`: opens the store, says `ready`, waits for `go`
    /// on standard input, sells its share of the sales and prints a ``WorkerReport`` line.
    struct Worker: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "One selling process of the concurrent scenarios (started by `run`).", shouldDisplay: false)

        @Option(help: "The store plan (JSON) the parent wrote.")
        var plan: String

        @Option(help: "This worker's number, from 0.")
        var index: Int

        @Option(help: "How many workers share the sales.")
        var workers: Int

        @Option(help: "Sales in all; this worker sells the numbers n with n % workers == index.")
        var sales: Int

        mutating func run() async throws {
            let store = try JSONDecoder().decode(BenchStore.self, from: Data(contentsOf: URL(fileURLWithPath: plan)))
            let (box, manager) = try await store.open()
            FileHandle.standardOutput.write(Data("ready\n".utf8))
            guard readLine() == "go" else { throw ExitCode.failure }

            var samples = Samples(reservingCapacity: sales / workers + 1)
            let start = Date().timeIntervalSince1970
            for number in stride(from: index, to: sales, by: workers) {
                let sale = store.sale(number)
                _ = try await samples.measure {
                    try await box.sales.sell(showtime: sale.showtimeID, seats: sale.seats, method: "cash", by: manager)
                }
            }
            let end = Date().timeIntervalSince1970
            let report = WorkerReport(
                sales: samples.count, start: start, end: end,
                latenciesNanoseconds: samples.latencies.map { Int64($0.seconds * 1e9) })
            FileHandle.standardOutput.write(try JSONEncoder().encode(report) + Data("\n".utf8))
        }
    }
}
