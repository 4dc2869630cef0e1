import ArgumentParser
import BoxOfficeKit
import BoxOfficeServer
import Foundation
import Logging
import ServiceLifecycle
import SyncAgent

extension BoxOfficeCommand {
    /// `boxoffice serve`: the old system's REST API and the kit's JSON API over HTTP.
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve the store over HTTP: the counter screen at /, the old system's /api/… routes and the /v1/… JSON API.",
            discussion: """
                Staff open http://127.0.0.1:8080/ in a browser and sell from the seat map there
                (docs/counter-screen.md).

                Old clients (the kiosk, the booking page, the Postman collection) keep working against
                /api/…; docs/legacy-api-compatibility.md says what changed. New clients use /v1/…,
                described by schemas/openapi.yaml (staff log in there too). One request line per request goes to standard error
                (BOXOFFICE_LOG_LEVEL, default info), with its request id and never a password, code,
                token or card data. Verification codes are mailed by the BOXOFFICE_SMTP_URL settings.
                Stop it with Ctrl-C or SIGTERM: requests in flight finish first.
                """)

        @Option(name: .long, help: ArgumentHelp("The store file.", discussion: "Default: $BOXOFFICE_DB, or ./boxoffice.sqlite.", valueName: "path"))
        var db: String?
        @Option(help: "The address to listen on; keep the default unless a proxy in front needs another.")
        var host = "127.0.0.1"
        @Option(help: "The port to listen on; 0 picks a free one (printed on the first line).")
        var port = 8080
        @Flag(help: "Mark the session cookie Secure: the server is only ever reached through TLS.")
        var secureCookies = false
        @Flag(help: "Mark it Secure when a proxy in front sends X-Forwarded-Proto: https (only behind one that sets it).")
        var trustForwardedProto = false
        @Flag(help: ArgumentHelp(
            "Also sync with head office in the background, as `boxoffice sync --watch` does.",
            discussion: "The node's URL is the one the store remembers from its last `boxoffice sync`, or $BOXOFFICE_CENTRAL_URL."))
        var sync = false
        @Option(help: "The pause between sync rounds with --sync, e.g. 15s, 2m.")
        var syncInterval = "15s"

        func validate() throws {
            guard (0...65_535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
            guard !host.isEmpty else { throw ValidationError("--host must not be empty") }
            guard SyncInterval.parse(syncInterval) != nil else { throw ValidationError("--sync-interval: use a duration like 15s, 500ms or 2m") }
        }

        func run() async throws {
            let mailer = try await MailSettings.mailer()
            // The shared store options, without their --json: a server prints no result.
            let box = try StoreOptions.parse(db.map { ["--db", $0] } ?? []).openStore()
            let level = ProcessInfo.processInfo.environment["BOXOFFICE_LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0) } ?? .info
            var logger = Logger(label: "boxoffice.serve") { StreamLogHandler.standardError(label: $0) }
            logger.logLevel = level
            var services: [any Service] = []
            // Conflicts are resolved at head office: possible whenever the store knows its node URL.
            let resolver = (try? await BoxOfficeCommand.Sync.Round.nodeURL(nil, box: box))
                .map { HeadOfficeResolver(agent: SyncAgent(box: box, centralURL: $0)) }
            if sync {
                var agent = SyncAgent.Configuration()
                agent.interval = SyncInterval.parse(syncInterval)!
                agent.remembersCentralURL = true
                let url = try await BoxOfficeCommand.Sync.Round.nodeURL(nil, box: box)
                services.append(SyncService(agent: SyncAgent(box: box, centralURL: url, configuration: agent)))
            }
            let server = BoxOfficeServer(
                box: box,
                configuration: .init(host: host, port: port, secureCookies: secureCookies, trustForwardedProto: trustForwardedProto),
                mailer: mailer, logger: logger, services: services, conflictResolver: resolver)
            try await server.run { host, port in
                // Unbuffered: a script waiting for the port reads it at once.
                FileHandle.standardOutput.write(Data("listening on http://\(host):\(port)\n".utf8))
            }
        }
    }
}
