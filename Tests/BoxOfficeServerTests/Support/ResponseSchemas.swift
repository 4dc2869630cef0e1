import Foundation
import Testing

/// Checks a `/v1` body against its schema in `schemas/json/` with `scripts/check_json.py`, as the
/// CLI's `--json` outputs are: under `make test` (`BOXOFFICE_JSON_OUTPUTS`) kept for the one check
/// after `swift test`, otherwise checked at once.
enum ResponseSchemas {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func check(_ body: Data, against schema: String, sourceLocation: SourceLocation = #_sourceLocation) {
        if let folder = ProcessInfo.processInfo.environment["BOXOFFICE_JSON_OUTPUTS"], !folder.isEmpty {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                try body.write(to: URL(fileURLWithPath: folder).appendingPathComponent("\(schema)--\(UUID().uuidString).json"))
            } catch {
                Issue.record("cannot keep the body for scripts/check_json.py: \(error)", sourceLocation: sourceLocation)
            }
            return
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", root.appendingPathComponent("scripts/check_json.py").path, schema, "-"]
        let input = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        do { try process.run() } catch {
            Issue.record("cannot run scripts/check_json.py: \(error)", sourceLocation: sourceLocation)
            return
        }
        input.fileHandleForWriting.write(body)
        try? input.fileHandleForWriting.close()
        let complaints = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        if process.terminationStatus != 0 {
            Issue.record("the body breaks schemas/json/\(schema).schema.json: \(complaints)", sourceLocation: sourceLocation)
        }
    }
}
