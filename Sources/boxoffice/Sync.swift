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
    /// `boxoffice sync [--central URL|-] [--watch [--interval 15s]]`.
    struct Round: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "now",
            abstract: "Push pending changes and pull head office's feed.",
            discussion: """
                The node's sync URL (from `boxoffice central add-node`) holds its password, so it never goes on the \
                command line: give it on standard input with `--central -`, or in $BOXOFFICE_CENTRAL_URL. A sync that \
                succeeds remembers it: the URL without its password in the store, the password in <store>.pgpass \
                (mode 0600). Later syncs need no URL; a new password is given the same way. See docs/counter-credentials.md.
                """)

        @OptionGroup var options: StoreOptions
        @Option(help: ArgumentHelp(
            "The node's sync URL without its password, or - to read the whole URL from standard input.",
            discussion: "Default: $BOXOFFICE_CENTRAL_URL, else the URL remembered from the last sync.", valueName: "url"))
        var central: String?
        @Flag(help: "Keep syncing until interrupted; back off while head office is unreachable.") var watch = false
        @Option(help: "The pause between rounds with --watch, e.g. 15s, 2m.") var interval = "15s"
        @Option(help: "Changes per pushed batch.") var batchSize = 2_000

        func validate() throws {
            try URLInput.refusePassword(in: central, option: "--central", whose: "the node's",
                                        alternatives: "in $BOXOFFICE_CENTRAL_URL")
            guard SyncInterval.parse(interval) != nil else { throw ValidationError("--interval: use a duration like 15s, 500ms or 2m") }
            guard batchSize > 0 else { throw ValidationError("--batch-size must be 1 or more") }
        }

        func run() async throws {
            let box = try options.openStore()
            let url = try await resolveURL(box)
            var configuration = SyncAgent.Configuration()
            configuration.batchSize = batchSize
            configuration.interval = SyncInterval.parse(interval)!
            configuration.remembersCentralURL = true
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
            var mail: MailOutbox.DeliveryReport?
            if let mailer { mail = try await box.mail.deliverDue(using: mailer) }
            if options.json { return try Output.json(report) }
            if let fork = report.fork { print("note: \(fork.reason)") }
            print(Self.describe(report))
            if let warning = report.clockWarning { print("warning: \(warning)") }
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
                if report.fork != nil { line += " (this store forked: see `boxoffice sync status`)" }
                if report.pushed.reseated + report.pushed.refundRequired + report.pushed.rejected > 0 {
                    line += " (\(report.pushed.reseated) reseated, \(report.pushed.refundRequired) need a refund, \(report.pushed.rejected) rejected)"
                }
                if let warning = report.clockWarning { line += "; warning: \(warning)" }
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
            try await Self.nodeURL(central, box: box)
        }

        /// The node's sync URL: from `--central` (`-`: standard input), $BOXOFFICE_CENTRAL_URL, or
        /// the one the store remembers (whose password is in its passfile).
        static func nodeURL(_ central: String?, box: BoxOffice) async throws -> String {
            if let url = try URLInput.resolve(central, option: "--central", variable: "BOXOFFICE_CENTRAL_URL") { return url }
            if let url = try await NodeCredentials(box: box).rememberedURL() { return url }
            throw ValidationError("give the node's sync URL on standard input (--central -) or in $BOXOFFICE_CENTRAL_URL")
        }

        static func describe(_ report: SyncReport) -> String {
            var parts = ["pushed \(report.pushed.total) changes"]
            let pushed = report.pushed
            if pushed.reseated + pushed.refundRequired + pushed.rejected > 0 {
                parts.append("(\(pushed.accepted) accepted, \(pushed.reseated) reseated, \(pushed.refundRequired) need a refund, \(pushed.rejected) rejected — see `boxoffice conflicts`)")
            }
            parts.append("pulled \(report.pulled) rows")
            if report.skipped > 0 { parts.append("(\(report.skipped) wait for a row they need)") }
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
            let credentials = NodeCredentials(box: box)
            let url = try await credentials.rememberedURL()  // moves a password an earlier build left in the store
            let state = try await box.replica.state()
            if options.json { return try Output.json(state) }
            let zone = await TimeText.zone(of: box)
            let never = "never"
            var password = "none kept here"
            if let passfile = credentials.passfile {
                do {
                    if try passfile.read() != nil { password = "in \(passfile.path)" }
                } catch {
                    password = "not used: \(error)"
                }
            }
            print("node:            \(state.nodeID) (booking codes \(state.bookingCodePrefix)-…)")
            let shown = url.map { (try? ConnectionString($0))?.redacted ?? "a URL libpq cannot read: sync with --central -" }
            print("head office:     \(shown ?? "not synced yet")")
            print("node password:   \(password)")
            print("pending changes: \(state.pendingChanges)")
            print("last sync:       \(state.lastSyncAt.map { TimeText.text($0, in: zone) } ?? never)")
            print("feed lag:        \(state.feedLag.map(String.init) ?? "unknown")")
            print("open conflicts:  \(state.openConflicts)")
            if let error = state.lastSyncError { print("last error:      \(error)") }
            if let fork = state.fork {
                print("restored/copied: \(TimeText.text(fork.detectedAt, in: zone)) — \(fork.reason)")
            }
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

/// Parsing `15s`-style durations.
enum SyncInterval {
    static func parse(_ text: String) -> Duration? {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            guard let value = Double(text.dropLast(suffix.count)), value > 0 else { return nil }
            return .milliseconds(Int64(value * scale * 1000))
        }
        return Double(text).flatMap { $0 > 0 ? .milliseconds(Int64($0 * 1000)) : nil }
    }
}
