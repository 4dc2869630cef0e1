import Foundation
import SyncAgent

/// The one-screen summary of a run: operations and faults by kind, conflicts by outcome, the
/// rounds it took to converge, and the violations found.
public struct SimulationReport: Sendable {
    public var seed: UInt64 = 0
    public var counters = 0
    public var cinemas = 0
    public var steps = 0
    public private(set) var operations: [String: Int] = [:]
    public private(set) var faults: [String: Int] = [:]
    public private(set) var conflicts: [String: Int] = [:]
    public var roundsToConverge = 0
    public var violations = 0
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
