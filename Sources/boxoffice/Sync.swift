import ArgumentParser
import BoxOfficeKit
import Foundation
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
            if isatty(STDERR_FILENO) == 1 {
                let batch = batchSize
                configuration.progress = { progress in
                    guard progress.total > batch else { return }
                    FileHandle.standardError.write(Data("\r\(progress.phase.rawValue): \(progress.done)/\(progress.total)   ".utf8))
                }
            }
            // Queued mail (OTP codes) goes out with every round when a mail server is configured.
            let mailer = try await MailSettings.mailer()
            if let mailer {
                configuration.afterRound = {
                    _ = try? await box.mail.deliverDue(using: mailer)
                }
            }
            if watch {
                configuration.roundFinished = { result in
                    switch result {
                    case let .success(report): print(Self.describe(report))
                    case let .failure(error): print("head office unreachable, selling continues offline: \(error)")
                    }
                }
                try await SyncAgent(box: box, centralURL: url, configuration: configuration).run()
                return
            }
            let report = try await SyncAgent(box: box, centralURL: url, configuration: configuration).syncOnce()
            if isatty(STDERR_FILENO) == 1 { FileHandle.standardError.write(Data("\r".utf8)) }
            try await box.replica.rememberCentralURL(url)
            var mail: MailOutbox.DeliveryReport?
            if let mailer { mail = try await box.mail.deliverDue(using: mailer) }
            if options.json { return try Output.json(report) }
            print(Self.describe(report))
            if let mail, !(mail.sent.isEmpty && mail.retrying.isEmpty && mail.failed.isEmpty) {
                print("mail: \(mail.sent.count) sent, \(mail.retrying.count) to retry, \(mail.failed.count) failed")
            }
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
            let state = try await options.openStore().replica.state()
            if options.json { return try Output.json(state) }
            let never = "never"
            print("node:            \(state.nodeID) (booking codes \(state.bookingCodePrefix)-…)")
            print("head office:     \(state.centralURL.map(SyncInterval.redacted) ?? "not synced yet")")
            print("pending changes: \(state.pendingChanges)")
            print("last sync:       \(state.lastSyncAt.map(Self.format) ?? never)")
            print("feed lag:        \(state.feedLag.map(String.init) ?? "unknown")")
            print("open conflicts:  \(state.openConflicts)")
            if let error = state.lastSyncError { print("last error:      \(error)") }
        }

        static func format(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }
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
