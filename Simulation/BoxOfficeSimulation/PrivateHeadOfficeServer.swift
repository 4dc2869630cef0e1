import Foundation

/// Head office's PostgreSQL for one run, a server of its own (the harness stops it hard and starts
/// it again), through the repository's `scripts/postgres.sh`.
public struct PrivateHeadOfficeServer: Sendable {
    /// The server's folder (data, socket, log, port).
    public let directory: String
    private let script: String

    /// A server in `directory`, run by the `scripts/postgres.sh` at `script`.
    public init(directory: String, script: String) {
        self.directory = directory
        self.script = script
    }

    /// Starts the server (initialising it the first time); returns its superuser URL. A restart
    /// keeps the port, so every counter's URL stays valid.
    public func start() throws -> String {
        let exit = try ChildProcess.run(script, ["start", directory])
        guard exit.status == 0, !exit.signalled, let url = exit.output.split(separator: "\n").last.map(String.init) else {
            throw SimulationError.setup("PostgreSQL did not start: \(exit.output)")
        }
        return url
    }

    /// Stops the server: `immediate` as a crash would (`pg_ctl -m immediate`: no checkpoint, the
    /// next start recovers from the WAL), else cleanly.
    public func stop(immediate: Bool) throws {
        let exit = try ChildProcess.run(script, ["stop", directory] + (immediate ? ["immediate"] : []))
        guard exit.status == 0 else { throw SimulationError.setup("PostgreSQL did not stop: \(exit.output)") }
    }
}
