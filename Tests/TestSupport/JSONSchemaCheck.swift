import Foundation

/// The one checker of the JSON schemas in `schemas/json/`, `scripts/check_json.py`, for the test
/// targets whose outputs (the CLI's `--json`, the server's `/v1` bodies) those schemas describe.
///
/// Under `make test` (`scripts/test.sh` sets `BOXOFFICE_JSON_OUTPUTS`) outputs are kept in that
/// folder and checked in one run after `swift test`; otherwise each is checked at once.
public enum JSONSchemaCheck {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The folder `make test` keeps outputs in for its one check, or `nil` when each is checked at once.
    public static var keptOutputs: URL? {
        guard let folder = ProcessInfo.processInfo.environment["BOXOFFICE_JSON_OUTPUTS"], !folder.isEmpty else { return nil }
        return URL(fileURLWithPath: folder)
    }

    /// Keeps `json`, an output of schema `schema`, in ``keptOutputs`` for the check after `swift test`.
    public static func keep(_ json: Data, schema: String, in folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try json.write(to: folder.appendingPathComponent("\(schema)--\(UUID().uuidString).json"))
    }

    /// Runs `scripts/check_json.py SCHEMA -` on `json`; returns its complaints, empty when it passes.
    public static func problems(schema: String, json: Data) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", repository.appendingPathComponent("scripts/check_json.py").path, schema, "-"]
        let input = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return "cannot run scripts/check_json.py: \(error)"
        }
        input.fileHandleForWriting.write(json)
        try? input.fileHandleForWriting.close()
        let complaints = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return process.terminationStatus == 0 ? "" : (complaints.isEmpty ? "check_json.py exited \(process.terminationStatus)" : complaints)
    }
}
