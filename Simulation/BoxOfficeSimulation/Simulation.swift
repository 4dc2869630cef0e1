import BoxOfficeKit
import Foundation
import SyncAgent

/// A randomized run of counters, head office and faults, and the check of its whole history
/// (docs/simulation.md).
///
/// ```swift
/// var options = Simulation.Options(boxoffice: "/path/to/boxoffice", postgresScript: "scripts/postgres.sh")
/// options.counters = 4
/// options.seed = 42
/// let result = try await Simulation(options).run()
/// print(result.report.text)
/// ```
public final class Simulation: @unchecked Sendable {
    // @unchecked: a run is driven by one task at a time (`run()`); the counters it spawns are processes.

    /// What to simulate.
    public struct Options: Sendable {
        /// Counters (nodes), split over the cinemas.
        public var counters = 4
        /// Cinemas: one, or two.
        public var cinemas = 2
        /// The most operations of the schedule.
        public var steps = 200
        /// The longest the schedule runs, in seconds (it stops at whichever bound comes first).
        public var seconds: Double = 600
        /// The schedule's seed: the same seed draws the same schedule.
        public var seed: UInt64 = 1
        /// The `boxoffice` binary whose `sync` is each counter's agent.
        public var boxoffice: String
        /// The repository's `scripts/postgres.sh`, which starts head office's private server.
        public var postgresScript: String
        /// Where the run keeps its files (a new folder under the temporary folder by default).
        public var directory: String?
        /// The most sync rounds allowed to converge after healing.
        public var convergenceRounds = 8
        /// Whether a counter store is put back from an earlier backup during the run (with or
        /// without its origin marker), as a shop restoring a backup or a disk rolling back would.
        public var restoreFault = true
        /// For the tests that prove the checker can fail: changes the recorded history before it
        /// is checked (a receipt's seats, a state the customer was told, …).
        package var corruptHistory: (@Sendable (inout History) -> Void)?
        /// For the test that turns head office's fork detection off: also backs up or restores the
        /// first counter's store every so many steps, so that a short run restores it.
        package var restoreEvery: Int?
        /// For the same test: runs on head office, through its superuser URL, just before a
        /// counter's store is put back.
        package var beforeRestore: (@Sendable (String) throws -> Void)?
        /// For the same tests: changes head office's final state before it is checked, through its
        /// superuser URL (an inbox row removed, a ticket's state changed, …).
        package var corruptHeadOffice: (@Sendable (String) throws -> Void)?

        /// Options for a run of `boxoffice` (its `sync`) with head office started by `postgresScript`.
        public init(boxoffice: String, postgresScript: String) {
            self.boxoffice = boxoffice
            self.postgresScript = postgresScript
        }
    }

    /// What a run produced.
    public struct Result: Sendable {
        /// The one-screen report.
        public var report: SimulationReport
        /// Every broken promise; empty when the run kept them all.
        public var violations: [Violation]
        /// What was printed and done, for replaying a failing run.
        public var history: History
    }

    static let managerEmail = "manager@hq.example"
    static let managerPassword = "manager-pass-123"
    /// Holds run out quickly so that the schedule sees them expire.
    static let holdDuration: Duration = .seconds(4)

    let options: Options
    let directory: URL
    var random: SeededRandom
    var history: History
    var report = SimulationReport()
    var server: PrivateHeadOfficeServer!
    var centralURL = ""
    var serverUp = true
    /// The step at which a stopped PostgreSQL starts again.
    var restartStep = 0
    var counters: [SimulatedCounter] = []
    var hq: (box: BoxOffice, principal: Principal, agent: SyncAgent)!
    var cinemaIDs: [String] = []
    /// Showtimes by cinema.
    var showtimes: [String: [String]] = [:]
    /// Seat labels of each showtime.
    var seatLabels: [String: [String]] = [:]
    /// Backups of counter stores and the step each was made at, for the restore fault.
    var backups: [String: (file: URL, step: Int)] = [:]
    var step = 0

    /// Prepares a run; ``run()`` sets up head office and the counters and plays the schedule.
    public init(_ options: Options) {
        self.options = options
        self.random = SeededRandom(seed: options.seed)
        self.history = History(seed: options.seed)
        let folder = options.directory.map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: "/tmp").appendingPathComponent("boxoffice-sim-\(options.seed)-\(UUID().uuidString.prefix(8))")
        self.directory = folder
    }

    /// Sets up, plays the schedule, heals everything, syncs until quiet and checks the history.
    ///
    /// Head office's server is stopped at the end and the run's folder removed when nothing was
    /// violated (kept, and named in the report, when something was).
    ///
    /// - Throws: ``SimulationError`` when head office or a counter cannot be set up.
    public func run() async throws -> Result {
        let started = Date()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        chmod(directory.path, 0o755)  // the postgres user reaches its data folder inside
        server = PrivateHeadOfficeServer(directory: directory.appendingPathComponent("pg").path, script: options.postgresScript)
        defer {
            try? server.stop(immediate: false)
            counters.forEach { $0.proxy.stop() }
        }
        try await setUp()
        report.setupSeconds = Date().timeIntervalSince(started)
        let scheduleStarted = Date()
        while step < options.steps, Date().timeIntervalSince(scheduleStarted) < options.seconds {
            step += 1
            await play()
            if let every = options.restoreEvery, step % every == 0, let first = counters.first, !history.revoked.contains(first.name) {
                do { try await backUpOrRestore(first) } catch { note("\(first.name): restore failed: \(error)") }
            }
        }
        report.steps = step
        report.scheduleSeconds = Date().timeIntervalSince(scheduleStarted)
        let healStarted = Date()
        let rounds = try await heal()
        report.roundsToConverge = rounds
        report.healSeconds = Date().timeIntervalSince(healStarted)
        var violations: [Violation] = []
        if rounds > options.convergenceRounds {
            violations.append(Violation(rule: .queueWedged, detail: "not quiet after \(options.convergenceRounds) sync rounds: \(try await pendingText())"))
        }
        var changeLogs: [String: String] = [:]
        for counter in counters {
            let box = try await counter.session(holdDuration: Self.holdDuration).box
            changeLogs[counter.name] = try await box.replica.nextBatch(after: 0, limit: 10_000_000)?.json ?? "[]"
        }
        let checker = HistoryChecker(centralURL: centralURL, counters: counters.map { ($0.name, $0.cinemaID, $0.path) },
                                     changeLogs: changeLogs)
        var checked = history
        options.corruptHistory?(&checked)
        try options.corruptHeadOffice?(centralURL)
        violations += try checker.check(checked)
        try report.countConflicts(centralURL: centralURL)
        report.seed = options.seed
        report.counters = counters.count
        report.cinemas = cinemaIDs.count
        report.violations = violations.count
        if violations.isEmpty { try? FileManager.default.removeItem(at: directory) } else { report.keptFolder = directory.path }
        return Result(report: report, violations: violations, history: history)
    }

    /// Appends a line to the history's log.
    func note(_ line: String) { history.log.append("\(step) \(line)") }

    private func pendingText() async throws -> String {
        var parts: [String] = []
        for counter in counters where !history.revoked.contains(counter.name) {
            let state = try await counter.session(holdDuration: Self.holdDuration).box.replica.state()
            parts.append("\(counter.name) pending \(state.pendingChanges), lag \(state.feedLag.map(String.init) ?? "?")")
        }
        return parts.joined(separator: "; ")
    }
}
