import Foundation
import TestSupport

/// Runs real programs for the fault tests: the built `boxoffice` binary and the repository's scripts.
enum Programs {
    /// The repository's top folder.
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `boxoffice` binary built beside this test bundle.
    static let boxoffice = BuiltProducts.boxoffice

    struct Result {
        var status: Int32
        /// Whether a signal ended the process (and then `status` is the signal).
        var signalled: Bool
        var output: String
    }

    /// Runs `executable ARGUMENTS` to its end, with extra environment variables.
    ///
    /// Uses `posix_spawn` and `waitpid` directly: Foundation's `Process.waitUntilExit` can miss a
    /// child's exit when called from a busy Swift-concurrency thread.
    @discardableResult
    static func run(_ executable: URL, _ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("program-\(UUID().uuidString).out").path
        defer { unlink(outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ([executable.path] + arguments).map { strdup($0) } + [nil]
        let env = ProcessInfo.processInfo.environment.merging(environment) { $1 }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + env).forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable.path, &actions, nil, argv, env)
        guard spawned == 0 else { throw PostgresError(message: "cannot run \(executable.path): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        let signal = status & 0x7f
        return signal != 0
            ? Result(status: signal, signalled: true, output: output)
            : Result(status: (status >> 8) & 0xff, signalled: false, output: output)
    }

    /// A private PostgreSQL server in `directory`, which a test may stop and start again (same port).
    struct PrivateServer {
        let directory: URL

        init() {
            directory = URL(fileURLWithPath: "/tmp").appendingPathComponent("boxoffice-pg-\(UUID().uuidString.prefix(8))")
        }

        /// Starts the server; returns its admin URL.
        func start() throws -> String {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let result = try Programs.run(repository.appendingPathComponent("scripts/postgres.sh"), ["start", directory.appendingPathComponent("pg").path])
            guard result.status == 0, let url = result.output.split(separator: "\n").last.map(String.init) else {
                throw PostgresError(message: "could not start a private PostgreSQL: \(result.output)")
            }
            return url
        }

        func stop() throws {
            try Programs.run(repository.appendingPathComponent("scripts/postgres.sh"), ["stop", directory.appendingPathComponent("pg").path])
        }
    }
}

import SyncAgent
