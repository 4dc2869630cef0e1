import BoxOfficeKit
import Foundation

extension CLIRunner {
    /// Logs in through the kit in this process and saves the token in `<store>.session`, where the
    /// CLI looks for its login (the `login` command belongs to another part of the CLI).
    func logIn(email: String = DemoData.managerEmail, password: String = DemoData.managerPassword) async throws {
        let box = try BoxOffice.open(path: storePath)
        let session = try await box.accounts.login(email: email, password: password)
        let url = URL(fileURLWithPath: storePath + ".session")
        try Data((session.token + "\n").utf8).write(to: url)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path)
    }

    /// Runs the command and parses its standard output as a JSON object.
    func json(_ arguments: [String]) throws -> [String: Any] {
        let result = try run(arguments + ["--json"])
        guard result.status == 0 else { throw CLIFailure("\(arguments) exited \(result.status): \(result.stderr)") }
        guard let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] else {
            throw CLIFailure("\(arguments) printed no JSON object: \(result.stdout)")
        }
        return object
    }
}

struct CLIFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Today's date in a time zone, `YYYY-MM-DD`.
func localToday(in zone: String) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: zone)
    formatter.dateFormat = "yyyy-MM-dd"
    return formatter.string(from: Date())
}

extension CLIRunner {
    /// Runs `boxoffice ARGUMENTS` on a pseudo-terminal (util-linux `script`), as a cashier's terminal
    /// would: standard output and error are both the terminal. Returns what the terminal showed.
    func runOnTerminal(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        func quoted(_ word: String) -> String { "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let command = ([Self.executable.path] + arguments).map(quoted).joined(separator: " ")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qec", command, "/dev/null"]
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        env["BOXOFFICE_DB"] = storePath
        env["CI"] = nil
        env["NO_COLOR"] = nil
        env["TERM"] = "xterm"
        env.merge(environment) { $1 }
        process.environment = env
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
        return Result(status: process.terminationStatus, stdout: text, stderr: "")
    }

    /// Starts `boxoffice ARGUMENTS` and returns it with the files its standard output and error go
    /// to, for a command that runs until it is stopped (`sync --watch`).
    func start(_ arguments: [String], environment: [String: String] = [:]) throws -> (Process, out: URL, err: URL) {
        let out = directory.appendingPathComponent("out-\(UUID().uuidString)"), err = directory.appendingPathComponent("err-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        env["BOXOFFICE_DB"] = storePath
        env.merge(environment) { $1 }
        process.environment = env
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return (process, out, err)
    }
}
