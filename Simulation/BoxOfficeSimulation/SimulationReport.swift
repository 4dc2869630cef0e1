import Foundation
import SyncAgent

/// The one-screen summary of a run: operations and faults by kind, conflicts by outcome, the
/// rounds it took to converge, and the violations found.
public struct SimulationReport: Sendable {
    /// The schedule's seed.
    public var seed: UInt64 = 0
    /// Counters (nodes) and cinemas simulated.
    public var counters = 0
    public var cinemas = 0
    /// Steps of the schedule played.
    public var steps = 0
    /// Operations by kind (`sell`, `sync`, `head office allots`, `refused` for one the kit refused).
    public private(set) var operations: [String: Int] = [:]
    /// Faults injected, by kind.
    public private(set) var faults: [String: Int] = [:]
    /// Head office's conflict records at the end, by kind and state.
    public private(set) var conflicts: [String: Int] = [:]
    /// Sync rounds of every counter it took, after healing, until a round moved nothing.
    public var roundsToConverge = 0
    /// How many violations the checker found.
    public var violations = 0
    /// Wall-clock time of each phase, for the report only (never asserted).
    public var setupSeconds = 0.0
    public var scheduleSeconds = 0.0
    public var healSeconds = 0.0
    /// The run's folder, kept when something was violated.
    public var keptFolder: String?

    /// Faults injected in all.
    public var faultCount: Int { faults.values.reduce(0, +) }

    mutating func count(operation: String) { operations[operation, default: 0] += 1 }
    mutating func count(fault: String) { faults[fault, default: 0] += 1 }

    mutating func countConflicts(centralURL: String) throws {
        let central = try PostgresConnection(url: centralURL)
        for row in try central.query("SELECT kind || ' (' || status || ')', count(*) FROM central.conflicts GROUP BY 1 ORDER BY 1").values {
            conflicts[row[0]!] = Int(row[1]!) ?? 0
        }
    }

    /// The report as printed.
    public var text: String {
        func list(_ counts: [String: Int]) -> String {
            counts.isEmpty ? "none" : counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        }
        return """
            simulation: seed \(seed), \(counters) counters, \(cinemas) cinemas, \(steps) steps
            operations: \(list(operations))
            faults (\(faultCount)): \(list(faults))
            conflicts: \(list(conflicts))
            converged in \(roundsToConverge) sync rounds after healing
            time: set-up \(Int(setupSeconds)) s, schedule \(Int(scheduleSeconds)) s, healing \(Int(healSeconds)) s
            violations: \(violations)\(keptFolder.map { " (the run's files: \($0))" } ?? "")
            """
    }
}
