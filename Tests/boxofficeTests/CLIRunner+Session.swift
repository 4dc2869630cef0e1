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
