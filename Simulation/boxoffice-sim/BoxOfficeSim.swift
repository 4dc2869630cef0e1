import ArgumentParser
import BoxOfficeSimulation
import Foundation

/// `boxoffice-sim`: counters, head office and faults on a seeded schedule, then the check of the
/// whole history (docs/simulation.md). Exits 1 on any violation, printing the seed and the history.
@main
struct BoxOfficeSim: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "boxoffice-sim",
        abstract: "Simulate counters and head office under faults, and check that no sale was lost and no seat sold twice.")

    @Option(help: "Counters (separate stores and agent processes).") var counters = 4
    @Option(help: "Cinemas the counters are split over (1 or 2).") var cinemas = 2
    @Option(help: "The longest the schedule runs, in minutes.") var minutes = 10.0
    @Option(help: "The most steps of the schedule.") var steps = 100_000
    @Option(help: "The schedule's seed; the same seed draws the same schedule.") var seed: UInt64 = 1
    @Option(help: "The boxoffice binary whose `sync` the counters run (default: the one beside this program).") var boxoffice: String?
    @Option(help: "scripts/postgres.sh of the repository (default: found from the current folder).") var postgresScript: String?
    @Flag(inversion: .prefixedNo, help: "Restore counter stores from earlier backups during the run.") var restoreFault = true

    func validate() throws {
        guard counters >= 1, counters <= 16 else { throw ValidationError("--counters: 1 to 16") }
        guard cinemas == 1 || cinemas == 2 else { throw ValidationError("--cinemas: 1 or 2") }
        guard minutes > 0, steps > 0 else { throw ValidationError("--minutes and --steps must be positive") }
    }

    func run() async throws {
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        var options = Simulation.Options(
            boxoffice: boxoffice ?? here.appendingPathComponent("boxoffice").path,
            postgresScript: postgresScript ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
                .appendingPathComponent("scripts/postgres.sh").path)
        options.counters = counters
        options.cinemas = cinemas
        options.seconds = minutes * 60
        options.steps = steps
        options.seed = seed
        options.restoreFault = restoreFault
        let result = try await Simulation(options).run()
        if !result.violations.isEmpty {
            print("history of seed \(seed):")
            result.history.log.forEach { print("  \($0)") }
            print("violations:")
            result.violations.forEach { print("  \($0)") }
        }
        print(result.report.text)
        if !result.violations.isEmpty {
            print("replay: boxoffice-sim --counters \(counters) --cinemas \(cinemas) --steps \(result.report.steps) --seed \(seed)\(restoreFault ? "" : " --no-restore-fault")")
            throw ExitCode(1)
        }
    }
}
