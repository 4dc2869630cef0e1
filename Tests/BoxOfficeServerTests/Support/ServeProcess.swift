import Foundation
import Testing
import TestSupport

/// `boxoffice serve` as a process of its own on a port the system chose, which it names on its
/// first line. The environment is the test's, without an SMTP server (nothing here sends mail),
/// with `environment`'s changes on top.
struct ServeProcess {
    let process: Process
    let port: Int
    /// Its standard error, the request log, when asked for; otherwise it is discarded, so that an
    /// unread pipe never fills and stalls the server.
    let log: Pipe?

    init(_ arguments: [String], environment changes: [String: String?] = [:], capturingLog: Bool = false) throws {
        let serve = Process()
        serve.executableURL = BuiltProducts.boxoffice
        serve.arguments = ["serve"] + arguments + ["--port", "0"]
        var environment = ProcessInfo.processInfo.environment
        environment["BOXOFFICE_SMTP_URL"] = nil
        for (key, value) in changes { environment[key] = value }
        serve.environment = environment
        let output = Pipe()
        serve.standardOutput = output
        log = capturingLog ? Pipe() : nil
        serve.standardError = log ?? FileHandle.nullDevice
        try serve.run()
        let first = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        do {
            port = try #require(first.split(separator: ":").last.flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) },
                                "the first line names the port: \(first)")
        } catch {
            serve.terminate()
            throw error
        }
        process = serve
    }

    /// Ends the server, if it still runs.
    func stop() {
        if process.isRunning { process.terminate() }
    }
}
