import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A program the harness runs — `boxoffice sync` for a counter, `scripts/postgres.sh` — which it can
/// wait for or kill with SIGKILL mid-work.
///
/// Uses `posix_spawn` and `waitpid` directly: Foundation's `Process` can miss a child's exit when
/// waited for from a busy Swift-concurrency thread.
public final class ChildProcess: Sendable {
    /// How a program ended.
    public struct Exit: Sendable, Equatable {
        /// The exit status, or the signal when ``signalled``.
        public var status: Int32
        /// Whether a signal ended it.
        public var signalled: Bool
        /// Its standard output and error.
        public var output: String
    }

    /// The process id.
    public let pid: pid_t
    private let outputPath: String

    /// Starts `executable ARGUMENTS` with extra environment variables, standard input from /dev/null.
    public init(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws {
        outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("sim-\(UUID().uuidString).out").path
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let env = ProcessInfo.processInfo.environment.merging(environment) { $1 }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + env).forEach { free($0) } }
        var child: pid_t = 0
        let spawned = posix_spawn(&child, executable, &actions, nil, argv, env)
        guard spawned == 0 else { throw SimulationError.program("\(executable): \(String(cString: strerror(spawned)))") }
        pid = child
    }

    /// Runs a program to its end.
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> Exit {
        try ChildProcess(executable, arguments, environment: environment).wait()
    }

    /// Kills the process with SIGKILL: no cleanup, as a power cut.
    public func kill() { _ = Glibc.kill(pid, SIGKILL) }

    /// Waits for the end; call once.
    public func wait() -> Exit {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        unlink(outputPath)
        let signal = status & 0x7f
        return signal != 0
            ? Exit(status: signal, signalled: true, output: output)
            : Exit(status: (status >> 8) & 0xff, signalled: false, output: output)
    }
}
