import ArgumentParser
import BoxOfficeKit
import Foundation
import Synchronization
import SyncAgent

extension BoxOfficeCommand {
    /// `boxoffice sync`: push this counter's changes to head office and pull its feed.
    struct Sync: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sync this store with head office (one round, or --watch to keep going).",
            subcommands: [Round.self, Status.self],
            defaultSubcommand: Round.self)
    }
}

extension BoxOfficeCommand.Sync {
    /// `boxoffice sync [--central URL] [--watch [--interval 15s]]`.
    struct Round: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "now",
            abstract: "Push pending changes and pull head office's feed.")

        @OptionGroup var options: StoreOptions
        @Option(help: ArgumentHelp(
            "The node's sync URL from `boxoffice central add-node`.",
            discussion: "Default: $BOXOFFICE_CENTRAL_URL, else the URL remembered from the last sync.", valueName: "url"))
        var central: String?
        @Flag(help: "Keep syncing until interrupted; back off while head office is unreachable.") var watch = false
        @Option(help: "The pause between rounds with --watch, e.g. 15s, 2m.") var interval = "15s"
        @Option(help: "Changes per pushed batch.") var batchSize = 2_000

        func validate() throws {
            guard SyncInterval.parse(interval) != nil else { throw ValidationError("--interval: use a duration like 15s, 500ms or 2m") }
            guard batchSize > 0 else { throw ValidationError("--batch-size must be 1 or more") }
        }

        func run() async throws {
            let box = try options.openStore()
            let url = try await resolveURL(box)
            var configuration = SyncAgent.Configuration()
            configuration.batchSize = batchSize
            configuration.interval = SyncInterval.parse(interval)!
            let bar = ProgressBar.onTerminal()
            if let bar {
                let batch = batchSize
                configuration.progress = { progress in
                    // Only for a long sync: a first sync, or a day's backlog after a long time offline.
                    guard progress.total > batch else { return }
                    bar.draw(progress.phase == .push ? "pushing changes" : "pulling head office's feed",
                             fraction: Double(progress.done) / Double(max(progress.total, 1)), detail: "\(progress.done)/\(progress.total)")
                }
            }
            // Queued mail (OTP codes) goes out with every round when a mail server is configured.
            let mailer = try await MailSettings.mailer()
            if watch {
                let rounds = RoundLog()
                configuration.roundFinished = { result in rounds.record(result) }
                configuration.afterRound = {
                    var mail: MailOutbox.DeliveryReport?
                    if let mailer { mail = try? await box.mail.deliverDue(using: mailer) }
                    bar?.clear()
                    // Written at once: a line per round also when standard output is a file or a pipe.
                    let line = await Self.statusLine(rounds.take(), box: box, mail: mail)
                    FileHandle.standardOutput.write(Data((line + "\n").utf8))
                }
                try await SyncAgent(box: box, centralURL: url, configuration: configuration).run()
                return
            }
            let report: SyncReport
            do {
                report = try await SyncAgent(box: box, centralURL: url, configuration: configuration).syncOnce()
                bar?.clear()
            } catch {
                bar?.clear()
                throw error
            }
            try await box.replica.rememberCentralURL(url)
            var mail: MailOutbox.DeliveryReport?
            if let mailer { mail = try await box.mail.deliverDue(using: mailer) }
            if options.json { return try Output.json(report) }
            print(Self.describe(report))
            if let mail, !(mail.sent.isEmpty && mail.retrying.isEmpty && mail.failed.isEmpty) {
                print("mail: \(mail.sent.count) sent, \(mail.retrying.count) to retry, \(mail.failed.count) failed")
            }
        }

        /// One line per `--watch` round: when, what moved or why it did not, and where the store stands.
        static func statusLine(_ outcome: RoundLog.Outcome?, box: BoxOffice, mail: MailOutbox.DeliveryReport?) async -> String {
            let zone = await TimeText.zone(of: box)
            let state = try? await box.replica.state()
            let when = LocalDateTime(Date(), timeZone: zone)
            var line = "\(when.date) \(when.time) (\(zone.identifier)) "
            switch outcome {
            case let .synced(report)?:
                line += "synced: pushed \(report.pushed.total), pulled \(report.pulled)"
                if report.pushed.reseated + report.pushed.refundRequired + report.pushed.rejected > 0 {
                    line += " (\(report.pushed.reseated) reseated, \(report.pushed.refundRequired) need a refund, \(report.pushed.rejected) rejected)"
                }
            case let .failed(reason)?:
                line += "offline, selling goes on: \(reason)"
            case nil:
                line += "no round"
            }
            if let state { line += "; pending \(state.pendingChanges), open conflicts \(state.openConflicts)" }
            if let mail, !(mail.sent.isEmpty && mail.retrying.isEmpty && mail.failed.isEmpty) {
                line += "; mail \(mail.sent.count) sent, \(mail.retrying.count) to retry"
            }
            return line
        }

        private func resolveURL(_ box: BoxOffice) async throws -> String {
            if let central, !central.isEmpty { return central }
            if let url = ProcessInfo.processInfo.environment["BOXOFFICE_CENTRAL_URL"], !url.isEmpty { return url }
            if let url = try await box.replica.state().centralURL { return url }
            throw ValidationError("give the node's sync URL with --central or $BOXOFFICE_CENTRAL_URL")
        }

        static func describe(_ report: SyncReport) -> String {
            var parts = ["pushed \(report.pushed.total) changes"]
            let pushed = report.pushed
            if pushed.reseated + pushed.refundRequired + pushed.rejected > 0 {
                parts.append("(\(pushed.accepted) accepted, \(pushed.reseated) reseated, \(pushed.refundRequired) need a refund, \(pushed.rejected) rejected — see `boxoffice conflicts`)")
            }
            parts.append("pulled \(report.pulled) rows")
            if report.skipped > 0 { parts.append("(\(report.skipped) skipped)") }
            if report.quarantined > 0 {
                parts.append("(\(report.quarantined) could not be applied and were set aside — see `boxoffice conflicts`)")
            }
            if report.feedLag > 0 { parts.append("; \(report.feedLag) more wait at head office") }
            return parts.joined(separator: " ")
        }
    }

    /// `boxoffice sync status`.
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show this node, its pending changes, last sync, feed lag and open conflicts.")

        @OptionGroup var options: StoreOptions

        func run() async throws {
            let box = try options.openStore()
            let state = try await box.replica.state()
            if options.json { return try Output.json(state) }
            let zone = await TimeText.zone(of: box)
            let never = "never"
            print("node:            \(state.nodeID) (booking codes \(state.bookingCodePrefix)-…)")
            print("head office:     \(state.centralURL.map(SyncInterval.redacted) ?? "not synced yet")")
            print("pending changes: \(state.pendingChanges)")
            print("last sync:       \(state.lastSyncAt.map { TimeText.text($0, in: zone) } ?? never)")
            print("feed lag:        \(state.feedLag.map(String.init) ?? "unknown")")
            print("open conflicts:  \(state.openConflicts)")
            if let error = state.lastSyncError { print("last error:      \(error)") }
        }
    }
}

/// What the last `--watch` round did, handed from the agent's report to the line printed after it.
final class RoundLog: Sendable {
    /// A round's outcome, as the status line tells it.
    enum Outcome: Sendable {
        case synced(SyncReport)
        case failed(String)
    }

    private let last = Mutex<Outcome?>(nil)

    func record(_ result: Result<SyncReport, any Error>) {
        let outcome: Outcome = switch result {
        case let .success(report): .synced(report)
        case let .failure(error): .failed(ErrorLine.describe(error))
        }
        last.withLock { $0 = outcome }
    }

    func take() -> Outcome? {
        last.withLock { value in
            defer { value = nil }
            return value
        }
    }
}

/// Parsing `15s`-style durations, and hiding passwords in URLs.
enum SyncInterval {
    static func parse(_ text: String) -> Duration? {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            guard let value = Double(text.dropLast(suffix.count)), value > 0 else { return nil }
            return .milliseconds(Int64(value * scale * 1000))
        }
        return Double(text).flatMap { $0 > 0 ? .milliseconds(Int64($0 * 1000)) : nil }
    }

    static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "****"
        return components.string ?? url
    }
}
