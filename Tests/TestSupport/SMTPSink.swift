import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Shared by the test targets (the `TestSupport` target of Package.swift).
///
/// A real SMTP server on 127.0.0.1 (`scripts/smtp_sink.py`, aiosmtpd) that writes every message it
/// receives into its own folder. Each test starts its own, so tests never share mail and can run in
/// parallel; a test can also stop it and start another on the same port.
public final class SMTPSink: @unchecked Sendable {
    // @unchecked: `process` is set once in init and only read afterwards; Process is thread-safe
    // for terminate/waitUntilExit.
    public let port: Int
    public let maildir: URL
    /// `nil` for the sink that scripts/test.sh started (and stops).
    private let process: Process?

    /// `scripts/smtp_sink.py` of this repository.
    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts/smtp_sink.py")

    /// Starts a sink on `port` (0: a free one), accepting any AUTH user or only `user`/`password`.
    public init(port: Int = 0, maildir: URL? = nil, user: String? = nil, password: String? = nil) throws {
        self.maildir = maildir ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("boxoffice-mail-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: self.maildir, withIntermediateDirectories: true)
        let process = Process()
        self.process = process
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        var arguments = ["python3", Self.script.path, "--port", String(port), "--maildir", self.maildir.path]
        if let user, let password { arguments += ["--user", user, "--password", password] }
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var text = ""
        while !text.contains("\n") {
            let data = output.fileHandleForReading.availableData
            guard !data.isEmpty else { break }
            text += String(decoding: data, as: UTF8.self)
        }
        guard let line = text.split(separator: "\n").first, line.hasPrefix("LISTENING "),
              let listening = Int(line.dropFirst("LISTENING ".count))
        else {
            process.terminate()
            throw SinkError.didNotStart(text)
        }
        self.port = listening
    }

    private init(port: Int, maildir: URL) {
        self.port = port
        self.maildir = maildir
        process = nil
    }

    /// The sink scripts/test.sh started ($BOXOFFICE_TEST_SMTP_PORT, $BOXOFFICE_TEST_MAILDIR), or a
    /// new one when the tests run without the script. Tests sharing it tell their mail apart by
    /// recipient (unique per test).
    public static func shared() throws -> SMTPSink {
        let environment = ProcessInfo.processInfo.environment
        if let port = environment["BOXOFFICE_TEST_SMTP_PORT"].flatMap(Int.init), let folder = environment["BOXOFFICE_TEST_MAILDIR"] {
            return SMTPSink(port: port, maildir: URL(fileURLWithPath: folder, isDirectory: true))
        }
        return try SMTPSink()
    }

    public enum SinkError: Error { case didNotStart(String), noMail(String) }

    /// Stops the server and waits until it is gone.
    public func stop() {
        guard let process, process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    deinit { stop() }

    /// The messages received so far, oldest first, as text.
    public func messages() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: maildir.path)) ?? []
        return names.filter { $0.hasSuffix(".eml") && !$0.hasPrefix(".") }.sorted().compactMap { name in
            try? String(contentsOf: maildir.appendingPathComponent(name), encoding: .utf8)
        }
    }

    /// The messages to `recipient`, waiting up to `timeout` seconds for at least one.
    public func waitForMessages(to recipient: String, timeout: TimeInterval = 10) async throws -> [String] {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let found = messages().filter { $0.contains("X-Sink-Rcpt-To: \(recipient)") }
            if !found.isEmpty || Date() > deadline { return found }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// The 6-digit code in a delivered verification mail.
    public static func code(in message: String) throws -> String {
        guard let range = message.range(of: "Your verification code is ") else { throw SinkError.noMail(message) }
        let code = String(message[range.upperBound...].prefix(6))
        guard code.count == 6, code.allSatisfy(\.isNumber) else { throw SinkError.noMail(message) }
        return code
    }

    /// A TCP port on 127.0.0.1 that nothing listens on right now.
    public static func freePort() -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        _ = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
