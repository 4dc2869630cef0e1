import ArgumentParser
import BoxOfficeKit
import Foundation
import SyncAgent

/// What the parent hands a sync child: the counter with the backlog, and a fresh counter of the
/// same cinema that pulls it.
struct SyncChildPlan: Codable {
    var pusherPath: String
    var pusherURL: String
    var pullerPath: String
    var pullerURL: String
}

/// What a sync child reports.
struct SyncChildReport: Codable {
    var pushed: PushSummary
    var pushSeconds: Double
    var pulled: Int
    var pullSeconds: Double
    var peakResidentMegabytes: Double
}

extension BoxOfficeBench {
    /// Pushes one counter's whole backlog and pulls it into another counter, in a process of its
    /// own so that its peak resident memory is the sync's alone.
    struct SyncChild: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sync-child", abstract: "Push a backlog and pull it elsewhere (started by `run`).",
            shouldDisplay: false)

        @Option(help: "The plan (JSON) the parent wrote.")
        var plan: String

        mutating func run() async throws {
            let plan = try JSONDecoder().decode(SyncChildPlan.self, from: Data(contentsOf: URL(fileURLWithPath: plan)))
            let clock = ContinuousClock()

            let pusher = try BoxOffice.open(path: plan.pusherPath, configuration: BenchStore.configuration)
            let pushStart = clock.now
            let pushed = try await SyncAgent(box: pusher, centralURL: plan.pusherURL).push()
            let pushTook = clock.now - pushStart

            let puller = try BoxOffice.open(path: plan.pullerPath, configuration: BenchStore.configuration)
            let pullStart = clock.now
            let pulled = try await SyncAgent(box: puller, centralURL: plan.pullerURL).pull()
            let pullTook = clock.now - pullStart

            let report = SyncChildReport(
                pushed: pushed, pushSeconds: pushTook.seconds, pulled: pulled.received, pullSeconds: pullTook.seconds,
                peakResidentMegabytes: PeakMemory.residentMegabytes())
            FileHandle.standardOutput.write(try JSONEncoder().encode(report) + Data("\n".utf8))
        }
    }
}
