import Foundation
import SyncAgent
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// `boxoffice serve` as a process: it says its port, logs one line per request with no secret,
/// and on SIGTERM finishes the request in flight before it exits.
@Suite struct ServeCommandTests {
    let directory: URL
    let store: String

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("serve-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = directory.appendingPathComponent("demo.sqlite").path
        let demo = Process()
        demo.executableURL = BuiltProducts.boxoffice
        demo.arguments = ["demo", "--db", store]
        demo.standardOutput = FileHandle.nullDevice
        try demo.run()
        demo.waitUntilExit()
        #expect(demo.terminationStatus == 0)
    }

    @Test func sigtermLetsTheRequestInFlightFinish() async throws {
        let server = try ServeProcess(["--db", store], capturingLog: true)
        defer { server.stop() }
        let serve = server.process, port = server.port

        // A login whose body has only half arrived when SIGTERM does.
        let body = #"{"email": "cashier@demo.example", "password": "demo-pass-123"}"#
        let connection = try RawConnection(port: port)
        try connection.send("POST /api/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                            + "Content-Length: \(body.utf8.count)\r\n\r\n" + body.prefix(20))
        try await Task.sleep(for: .milliseconds(300))
        kill(serve.processIdentifier, SIGTERM)
        try await Task.sleep(for: .milliseconds(300))
        try connection.send(String(body.dropFirst(20)))
        let answer = try connection.receiveAll()
        #expect(answer.hasPrefix("HTTP/1.1 200"), "\(answer)")
        #expect(answer.contains("Login successful"))

        let deadline = Date().addingTimeInterval(20)
        while serve.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!serve.isRunning, "serve stops after SIGTERM")
        #expect(serve.terminationStatus == 0)
        #expect((try? RawConnection(port: port)) == nil, "nothing listens any more")

        let log = String(decoding: server.log?.fileHandleForReading.readDataToEndOfFile() ?? Data(), as: UTF8.self)
        #expect(log.contains("path=/api/login") && log.contains("status=200") && log.contains("hb.request.id="), "\(log)")
        #expect(!log.contains("demo-pass-123"))
    }

    @Test func serveSyncNeedsTheNodesURL() throws {
        let serve = Process()
        serve.executableURL = BuiltProducts.boxoffice
        serve.arguments = ["serve", "--db", store, "--port", "0", "--sync"]
        var environment = ProcessInfo.processInfo.environment
        environment["BOXOFFICE_CENTRAL_URL"] = nil
        serve.environment = environment
        let output = Pipe(), errors = Pipe()
        serve.standardOutput = output
        serve.standardError = errors
        try serve.run()
        serve.waitUntilExit()
        #expect(serve.terminationStatus == 64)
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(message.contains("BOXOFFICE_CENTRAL_URL"), "\(message)")
        #expect(String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).isEmpty, "it never listened")
    }

    /// `serve --sync` runs the sync agent beside the server, against a real head office: the
    /// store's catalog and a sale made over HTTP reach head office while the server answers, and
    /// SIGTERM stops both.
    @Test(.enabled(if: TestPostgres.isAvailable, "needs the PostgreSQL server started by scripts/test.sh"))
    func serveSyncSendsTheStoresSalesToHeadOffice() async throws {
        let centralURL = try TestPostgres.makeDatabase()
        func boxoffice(_ arguments: [String]) throws -> String {
            let process = Process()
            process.executableURL = BuiltProducts.boxoffice
            process.arguments = arguments
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "boxoffice \(arguments.prefix(2).joined(separator: " ")) failed")
            return text
        }
        _ = try boxoffice(["central", "init", "--url", centralURL])
        let node = try JSONSerialization.jsonObject(with: Data(try boxoffice(["central", "add-node", "hq", "--all", "--url", centralURL, "--json"]).utf8))
        let nodeURL = try #require((node as? [String: Any])?["url"] as? String)

        let server = try ServeProcess(["--db", store, "--sync", "--sync-interval", "500ms"],
                                      environment: ["BOXOFFICE_CENTRAL_URL": nodeURL])
        defer { server.stop() }
        let serve = server.process, port = server.port

        // A sale over the old API, by the demo cashier, while the agent syncs in the background.
        func request(_ text: String) throws -> String {
            let connection = try RawConnection(port: port)
            try connection.send(text)
            return try connection.receiveAll()
        }
        let central = try PostgresConnection(url: centralURL)
        func atHeadOffice(_ sql: String) async throws -> Int {
            let deadline = Date().addingTimeInterval(30)
            while true {
                let count = Int(try central.query(sql).scalar ?? "0") ?? 0
                if count > 0 || Date() > deadline { return count }
                try await Task.sleep(for: .milliseconds(200))
            }
        }
        #expect(try await atHeadOffice("SELECT count(*) FROM central.showtimes") > 0, "the store's catalog reached head office")
        func post(_ path: String, _ body: String, cookie: String? = nil) throws -> String {
            try request("POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        + (cookie.map { "Cookie: session=\($0)\r\n" } ?? "")
                        + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n" + body)
        }
        let login = try post("/v1/sessions", #"{"email": "cashier@demo.example", "password": "demo-pass-123"}"#)
        #expect(login.hasPrefix("HTTP/1.1 201"), "\(login)")
        let token = try #require(login.components(separatedBy: "session=").dropFirst().first?.split(separator: ";").first.map(String.init))
        let free = try #require(try central.query("""
            SELECT sh.id, se.label FROM central.showtimes sh JOIN central.seats se ON se.studio_id = sh.studio_id
            WHERE sh.starts_at > now() + interval '1 hour' AND sh.status = 'scheduled' AND se.kind <> 'couple'
            ORDER BY sh.starts_at, se.grid_row, se.grid_column LIMIT 1
            """).values.first)
        let sale = try post("/v1/sales", #"{"showtime_id": "\#(free[0]!)", "seats": ["\#(free[1]!)"], "method": "cash"}"#, cookie: token)
        #expect(sale.hasPrefix("HTTP/1.1 201"), "\(sale)")
        #expect(try await atHeadOffice("SELECT count(*) FROM central.bookings WHERE status = 'paid'") == 1,
                "the sale made over HTTP reached head office")

        kill(serve.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(20)
        while serve.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!serve.isRunning && serve.terminationStatus == 0, "serve and its agent stop on SIGTERM")
    }

    @Test func serveRefusesABadPort() throws {
        let serve = Process()
        serve.executableURL = BuiltProducts.boxoffice
        serve.arguments = ["serve", "--db", store, "--port", "70000"]
        serve.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        serve.standardError = errors
        try serve.run()
        serve.waitUntilExit()
        #expect(serve.terminationStatus == 64)
        #expect(String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).contains("--port"))
    }
}

/// A plain TCP connection to 127.0.0.1, to send a request in pieces.
final class RawConnection {
    private let descriptor: Int32

    init(port: Int) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var timeout = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        guard connected == 0 else {
            close(descriptor)
            throw POSIXError(.ECONNREFUSED)
        }
    }

    deinit { close(descriptor) }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        guard Glibc.send(descriptor, bytes, bytes.count, Int32(MSG_NOSIGNAL)) == bytes.count else { throw POSIXError(.EPIPE) }
    }

    /// Everything the server sends until it closes the connection (or 20 s pass).
    func receiveAll() throws -> String {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count <= 0 { break }
            received += buffer[0..<count]
        }
        return String(decoding: received, as: UTF8.self)
    }
}
