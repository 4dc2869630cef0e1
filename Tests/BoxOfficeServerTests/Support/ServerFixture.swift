import BoxOfficeKit
import BoxOfficeServer
import Foundation
import SyncAgent
import TestSupport

/// A store with the old system imported into it (``LegacyDatabase``: old integer ids, bcrypt
/// passwords, a showtime in three days), served on 127.0.0.1 at a free port, with the real SMTP
/// sink as its mail server and every log line captured.
struct ServerFixture: Sendable {
    let box: BoxOffice
    let path: String
    let port: Int
    let logs: LogCapture
    let sink: SMTPSink

    /// The old showtime 5 (studio 1, seats A1–B3 with old ids 1–6): its local date and time.
    static var showtimeDate: String { String(LegacyDatabase.jakarta(days: 3, at: "19:30").prefix(10)) }
    static let showtimeTime = "19:30"

    /// A new client with an empty cookie jar.
    func client() -> HTTPTestClient { HTTPTestClient(port: port) }

    /// The store file's bytes, WAL included.
    func storeBytes() -> Data {
        ["", "-wal"].reduce(into: Data()) { bytes, suffix in bytes += FileManager.default.contents(atPath: path + suffix) ?? Data() }
    }

    /// Runs `body` against a served store, then stops the server.
    static func with(trustForwardedProto: Bool = false, _ body: @Sendable (ServerFixture) async throws -> Void) async throws {
        let old = try LegacyDatabase()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("store.sqlite").path
        let logs = LogCapture()
        var configuration = BoxOffice.Configuration()
        configuration.logger = logs.logger("BoxOfficeKit")
        let box = try BoxOffice.open(path: path, configuration: configuration)
        _ = try await LegacyImporter(configuration: .init(sourceURL: old.url)).run(into: .store(box, name: path))

        let sink = try SMTPSink.shared()
        let mailer = SMTPMailer(configuration: try .init(
            url: "smtp://127.0.0.1:\(sink.port)", startTLS: .off, from: "BoxOffice <tickets@example.com>"))
        let server = BoxOfficeServer(
            box: box, configuration: .init(port: 0, trustForwardedProto: trustForwardedProto, mailInterval: .milliseconds(100)), mailer: mailer,
            logger: logs.logger("boxoffice.serve"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            let (ports, listening) = AsyncStream.makeStream(of: Int.self)
            group.addTask { try await server.run { _, port in listening.yield(port) } }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw URLError(.cannotConnectToHost) }
            try await body(ServerFixture(box: box, path: path, port: port, logs: logs, sink: sink))
            group.cancelAll()
        }
    }
}
