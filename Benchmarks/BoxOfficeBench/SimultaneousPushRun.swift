import BoxOfficeKit
import Foundation
import SyncAgent

/// `push_one_cinema_4`: four counters of one cinema, each with an offline backlog of sales of its
/// own showtimes, push at the same moment. The figure is their changes per second together, from
/// the first push's start to the last one's end; the baseline is four `COPY`s of the same change-log
/// rows at once, each into a plain table of its own.
///
/// Pushes of one cinema serialise only while their feed rows are numbered at commit (docs/feed.md),
/// so this shows what that costs next to the single counter's `push`. Neighbouring counters share
/// the showtime at the edge of their ranges, whose seat decisions wait for each other as in a real
/// cinema (`central.lock_showtimes`).
struct SimultaneousPushRun {
    var adminURL: String
    var counters: Int
    var changes: Int
    var scratch: Scratch

    func run() async throws -> ScenarioResult {
        let salesEach = max(1, (changes / counters + 2) / 3)
        let world = try await SyncWorld(adminURL: adminURL, sales: salesEach * counters, scratch: scratch, tag: "together")
        defer { world.database.drop() }
        var pushers: [(agent: SyncAgent, path: String)] = []
        for index in 0..<counters {
            let counter = try await world.counter("together-\(index)")
            try await counter.sell(index * salesEach..<(index + 1) * salesEach, of: world.catalog)
            pushers.append((counter.agent, counter.path))
        }

        let clock = ContinuousClock()
        let url = world.database.url
        let copyStart = clock.now
        let copied = try await withThrowingTaskGroup(of: Int.self) { group in
            for (index, pusher) in pushers.enumerated() {
                let path = pusher.path
                group.addTask { try await Self.onThreadOfItsOwn { try Baselines.copy(from: path, into: url, table: "bench_copy_\(index)").rows } }
            }
            return try await group.reduce(0, +)
        }
        let copySeconds = (clock.now - copyStart).seconds

        let pushStart = clock.now
        let pushed = try await withThrowingTaskGroup(of: PushSummary.self) { group in
            for pusher in pushers {
                let agent = pusher.agent
                group.addTask { try await agent.push() }
            }
            return try await group.reduce(into: PushSummary()) { $0.add($1) }
        }
        let pushSeconds = (clock.now - pushStart).seconds
        return ScenarioResult(
            scenario: "push_one_cinema_4", kit: Double(pushed.total) / pushSeconds, baseline: Double(copied) / copySeconds,
            unit: "changes/s",
            note: "\(counters) counters of one cinema pushing \(pushed.total) changes at once (\(pushed.accepted) accepted, "
                + "\(pushed.reseated) reseated, \(pushed.rejected) rejected), each its own showtimes' sales; "
                + "baseline: \(counters) COPYs of the same change-log rows at once, each into a plain table",
            size: pushed.total)
    }

    /// Runs blocking libpq work on a thread of its own, so that the copies run at once however
    /// few threads the task pool has.
    private static func onThreadOfItsOwn<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue(label: "boxoffice-bench-copy").async { continuation.resume(with: Result { try body() }) }
        }
    }
}
