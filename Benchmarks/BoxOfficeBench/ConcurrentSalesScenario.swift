import BoxOfficeKit
import Foundation

/// `concurrent_sales_2` and `_4`: 2 and 4 OS processes (this binary in its `worker` mode) selling
/// different seats of one store file at once, against one process selling the same number of
/// sales through the same harness.
struct ConcurrentSalesScenario {
    var sales: Int
    var scratch: Scratch

    func run() async throws -> [ScenarioResult] {
        let single = try await runProcesses(1)
        return try await [2, 4].asyncMap { workers in
            let figure = try await runProcesses(workers)
            return ScenarioResult(
                scenario: "concurrent_sales_\(workers)", kit: figure.perSecond, baseline: single.perSecond,
                unit: "sales/s",
                note: "\(workers) processes vs 1 process, \(sales) sales in all, one store file; "
                    + "latencies are per sale inside the workers",
                kitP50Milliseconds: figure.p50, kitP99Milliseconds: figure.p99,
                baselineP50Milliseconds: single.p50, baselineP99Milliseconds: single.p99, size: sales)
        }
    }

    struct Figure {
        var perSecond: Double
        var p50, p99: Double?
    }

    /// Starts `workers` processes on a new store, lets them all go at once, and measures from the
    /// first start to the last finish.
    private func runProcesses(_ workers: Int) async throws -> Figure {
        let store = try await BenchStore.make(at: scratch.path("concurrent-\(workers).sqlite"), sales: sales)
        let planPath = scratch.path("concurrent-\(workers).json")
        try JSONEncoder().encode(store).write(to: URL(fileURLWithPath: planPath))

        var processes: [(process: Process, input: Pipe, output: LineReader)] = []
        for index in 0..<workers {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Self.executablePath)
            process.arguments = ["worker", "--plan", planPath, "--index", String(index), "--workers", String(workers),
                                 "--sales", String(sales)]
            let input = Pipe(), output = Pipe()
            process.standardInput = input
            process.standardOutput = output
            try process.run()
            processes.append((process, input, LineReader(output.fileHandleForReading)))
        }
        for worker in processes {
            guard worker.output.readLine() == "ready" else { throw WorkerFailure.notReady }
        }
        for worker in processes { worker.input.fileHandleForWriting.write(Data("go\n".utf8)) }
        var reports: [WorkerReport] = []
        for worker in processes {
            guard let line = worker.output.readLine() else { throw WorkerFailure.noReport }
            reports.append(try JSONDecoder().decode(WorkerReport.self, from: Data(line.utf8)))
            worker.process.waitUntilExit()
            guard worker.process.terminationStatus == 0 else { throw WorkerFailure.failed(worker.process.terminationStatus) }
        }
        let start = reports.map(\.start).min() ?? 0, end = reports.map(\.end).max() ?? 0
        let sold = reports.reduce(0) { $0 + $1.sales }
        guard sold == sales else { throw WorkerFailure.lostSales(sold) }
        var latencies = Samples(reservingCapacity: sales)
        for report in reports { latencies.append(report.samples) }
        return Figure(
            perSecond: end > start ? Double(sold) / (end - start) : 0,
            p50: latencies.percentileMilliseconds(0.5), p99: latencies.percentileMilliseconds(0.99))
    }

    static var executablePath: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    enum WorkerFailure: Error {
        case notReady, noReport, failed(Int32), lostSales(Int)
    }
}

/// What a worker prints when it is done: its sales, its wall-clock span and each sale's latency.
struct WorkerReport: Codable {
    var sales: Int
    var start: Double
    var end: Double
    var latenciesNanoseconds: [Int64]

    var samples: Samples {
        var samples = Samples(reservingCapacity: latenciesNanoseconds.count)
        for nanoseconds in latenciesNanoseconds { samples.add(.nanoseconds(nanoseconds)) }
        return samples
    }
}

/// Reads lines from a pipe without waiting for its end.
final class LineReader {
    private let handle: FileHandle
    private var buffer = Data()

    init(_ handle: FileHandle) { self.handle = handle }

    func readLine() -> String? {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
                buffer.removeSubrange(buffer.startIndex...newline)
                return line
            }
            let chunk = handle.availableData
            if chunk.isEmpty { return nil }
            buffer.append(chunk)
        }
    }
}

extension Sequence {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
