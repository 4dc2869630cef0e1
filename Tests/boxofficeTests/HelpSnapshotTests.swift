import Foundation
import Testing

/// The help a cashier reads, reviewed like code: the `--help` of every command, compared with the
/// snapshot committed in `HelpSnapshots/` (as swift-argument-parser's `MathExampleTests` compare
/// theirs). After changing a command's help on purpose, regenerate them with
/// `BOXOFFICE_UPDATE_HELP_SNAPSHOTS=1 swift test --filter HelpSnapshotTests` and review the diff.
struct HelpSnapshotTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("HelpSnapshots")
    static let updating = ProcessInfo.processInfo.environment["BOXOFFICE_UPDATE_HELP_SNAPSHOTS"] == "1"

    /// Every command path, found from the root's help down through each `SUBCOMMANDS:` list.
    static func commands(under path: [String] = [], cli: CLIRunner) throws -> [[String]] {
        let help = try cli.run(path + ["--help"], environment: ["COLUMNS": "100"]).stdout
        guard let section = help.range(of: "SUBCOMMANDS:\n") else { return [path] }
        let names = help[section.upperBound...].split(separator: "\n")
            .prefix { !$0.isEmpty && !$0.hasPrefix("  See '") }
            .filter { $0.hasPrefix("  ") && !$0.hasPrefix("   ") }
            .compactMap { $0.split(separator: " ").first.map(String.init) }
        return try [path] + names.flatMap { try commands(under: path + [$0], cli: cli) }
    }

    @Test func everyCommandsHelpMatchesItsSnapshot() throws {
        let cli = try CLIRunner()
        let paths = try Self.commands(cli: cli)
        #expect(paths.count > 40, "\(paths.count) commands")
        var expected = Set<String>()
        for path in paths {
            let name = (["boxoffice"] + path).joined(separator: "-") + ".txt"
            expected.insert(name)
            let help = try cli.run(path + ["--help"], environment: ["COLUMNS": "100"])
            #expect(help.status == 0, "\(path)")
            let file = Self.folder.appendingPathComponent(name)
            if Self.updating {
                try FileManager.default.createDirectory(at: Self.folder, withIntermediateDirectories: true)
                try Data(help.stdout.utf8).write(to: file)
                continue
            }
            let snapshot = try? String(contentsOf: file, encoding: .utf8)
            let command = path.joined(separator: " ")
            #expect(snapshot == help.stdout, "`boxoffice \(command) --help` differs from HelpSnapshots/\(name) (BOXOFFICE_UPDATE_HELP_SNAPSHOTS=1 regenerates it)")
        }
        let committed = Set(try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).filter { $0.hasSuffix(".txt") })
        #expect(committed == expected || Self.updating, "snapshots of commands that are gone: \(committed.subtracting(expected))")
    }
}
