import Foundation
import TestSupport

/// Runs the built `boxoffice` executable as a real process and captures what it prints; checks
/// every `--json` output against its schema (``JSONSchemas``).
struct CLIRunner {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The `boxoffice` binary built beside this test bundle.
    static let executable = BuiltProducts.boxoffice

    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("boxoffice-cli-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    var storePath: String { directory.appendingPathComponent("store.sqlite").path }

    /// Runs `boxoffice ARGUMENTS` with `--db` pointing at this runner's store.
    func run(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        env["BOXOFFICE_DB"] = storePath
        env.merge(environment) { $1 }
        process.environment = env
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
        let stderrData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let result = Result(
            status: process.terminationStatus,
            stdout: String(decoding: stdoutData, as: UTF8.self),
            stderr: String(decoding: stderrData, as: UTF8.self))
        // Every --json output of the suite is checked against its schema (schemas/json/).
        if arguments.contains("--json"), result.status == 0 { JSONSchemas.record(arguments, output: result.stdout) }
        return result
    }
}
