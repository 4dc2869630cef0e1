import Foundation

/// Latencies of one side of a scenario, and the wall time they took together.
struct Samples {
    private(set) var latencies: [Duration] = []
    private(set) var elapsed: Duration = .zero

    init(reservingCapacity capacity: Int = 0) {
        latencies.reserveCapacity(capacity)
    }

    /// Times `body` once and keeps its latency.
    mutating func measure<T>(_ body: () async throws -> T) async rethrows -> T {
        let clock = ContinuousClock()
        let start = clock.now
        let value = try await body()
        let took = clock.now - start
        latencies.append(took)
        elapsed += took
        return value
    }

    /// Keeps a latency measured elsewhere (in a worker process).
    mutating func add(_ latency: Duration) {
        latencies.append(latency)
        elapsed += latency
    }

    /// Adds the samples of another run of the same side (rounds that alternate kit and baseline).
    mutating func append(_ other: Samples) {
        latencies += other.latencies
        elapsed += other.elapsed
    }

    var count: Int { latencies.count }

    /// Operations per second over the summed latencies.
    var perSecond: Double {
        let seconds = elapsed.seconds
        return seconds > 0 ? Double(count) / seconds : 0
    }

    /// The `fraction` quantile (0.5, 0.99) in milliseconds, nearest rank on the sorted samples.
    func percentileMilliseconds(_ fraction: Double) -> Double? {
        guard !latencies.isEmpty else { return nil }
        let sorted = latencies.sorted()
        let rank = Int((fraction * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(max(rank, 0), sorted.count - 1)].seconds * 1000
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double {
        let (whole, attoseconds) = components
        return Double(whole) + Double(attoseconds) / 1e18
    }
}

/// CPU time (user + system, every thread) this process has used.
enum ProcessCPU {
    static func now() -> Duration {
        var usage = rusage()
        getrusage(__rusage_who_t(truncatingIfNeeded: RUSAGE_SELF.rawValue), &usage)
        func duration(_ time: timeval) -> Duration { .seconds(time.tv_sec) + .microseconds(time.tv_usec) }
        return duration(usage.ru_utime) + duration(usage.ru_stime)
    }

    /// Runs `body` and adds the CPU time it used to `total`.
    static func adding<T>(to total: inout Duration, _ body: () async throws -> T) async rethrows -> T {
        let start = now()
        defer { total += now() - start }
        return try await body()
    }
}

/// Peak memory of this process.
enum PeakMemory {
    /// `VmHWM` from `/proc/self/status` (the resident set's high-water mark), in MB; `getrusage`'s
    /// `ru_maxrss` where `/proc` is missing.
    static func residentMegabytes() -> Double {
        if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
           let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
           let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "") {
            return kilobytes / 1024
        }
        var usage = rusage()
        getrusage(__rusage_who_t(truncatingIfNeeded: RUSAGE_SELF.rawValue), &usage)
        return Double(usage.ru_maxrss) / 1024
    }
}
