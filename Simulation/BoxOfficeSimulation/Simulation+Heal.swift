import BoxOfficeKit
import Foundation

extension Simulation {
    /// Heals every fault — networks open, head office up — and syncs every counter round after
    /// round until a whole round moves nothing and nothing is pending anywhere.
    ///
    /// Clocks stay as skewed as they are: a counter with a wrong clock must converge too.
    ///
    /// - Returns: The rounds it took (more than ``Options/convergenceRounds`` means a queue is wedged).
    func heal() async throws -> Int {
        note("heal: networks open, PostgreSQL up")
        counters.forEach { $0.proxy.set(.open) }
        if !serverUp { _ = try server.start(); serverUp = true }
        let live = counters.filter { !history.revoked.contains($0.name) }
        var rounds = 0
        while rounds <= options.convergenceRounds {
            rounds += 1
            var quiet = true
            for counter in live {
                let exit = try ChildProcess.run(options.boxoffice, ["sync", "--db", counter.path, "--json"], environment: counter.syncEnvironment())
                let report = try? JSONSerialization.jsonObject(with: Data(exit.output.utf8)) as? [String: Any]
                let outcomes = report?["pushed"] as? [String: Any]
                let pushed = outcomes.map { $0.values.compactMap { $0 as? Int }.reduce(0, +) } ?? -1
                let pulled = report?["pulled"] as? Int ?? -1
                let state = try await counter.session(holdDuration: Self.holdDuration).box.replica.state()
                if exit.status != 0 || pushed != 0 || pulled != 0 || state.pendingChanges > 0 || (state.feedLag ?? 1) > 0 {
                    quiet = false
                }
                note("heal round \(rounds): \(counter.name) exit \(exit.status) pushed \(pushed) pulled \(pulled) pending \(state.pendingChanges)")
            }
            // Head office's own store takes the feed too (it holds every cinema).
            _ = try? await hq.agent.syncOnce()
            if quiet { return rounds }
        }
        return rounds
    }
}
