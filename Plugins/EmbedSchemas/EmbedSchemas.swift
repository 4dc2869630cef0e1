import Foundation
import PackagePlugin

/// Embeds a store's SQL into the target that runs it, at build time: `schemas/sqlite/` into
/// BoxOfficeKit, `schemas/postgres/` into SyncAgent, and the tables both follow
/// (`schemas/permissions.csv`, the ownership table; `schemas/payloads.csv`, the change log's payloads)
/// into both.
///
/// The `.sql` files are the only copy in git. Each build hands the current files of the folder's
/// `migrations/` and `rules/` to `file-embedder`, which writes them as Swift string literals
/// into the build folder; an edited, added or removed file rebuilds only that source.
@main
struct EmbedSchemas: BuildToolPlugin {
    /// The schema folder each target embeds.
    static let folders = ["BoxOfficeKit": "sqlite", "SyncAgent": "postgres"]
    /// The CSV tables of `schemas/` that both targets embed.
    static let sharedTables = ["permissions.csv", "payloads.csv"]

    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        guard let folder = Self.folders[target.name] else {
            Diagnostics.error("EmbedSchemas does not know which schema folder target \(target.name) runs")
            return []
        }
        let root = context.package.directoryURL.appending(path: "schemas").appending(path: folder)
        var arguments: [String] = []
        var inputs: [URL] = []
        for part in ["migrations", "rules"] {
            let files = try Self.sqlFiles(in: root.appending(path: part))
            arguments.append("--" + part)
            arguments += files.map(\.path)
            inputs += files
        }
        // The tables both stores follow.
        let tables = Self.sharedTables.map { context.package.directoryURL.appending(path: "schemas").appending(path: $0) }
        arguments += ["--tables"] + tables.map(\.path)
        inputs += tables
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedSchema.swift")
        return [
            .buildCommand(
                displayName: "Embedding schemas/\(folder) into \(target.name)",
                executable: try context.tool(named: "file-embedder").url,
                arguments: [output.path, "schema"] + arguments,
                inputFiles: inputs,
                outputFiles: [output]),
        ]
    }

    /// The `.sql` files of `folder`, by name; none when the folder does not exist.
    static func sqlFiles(in folder: URL) throws -> [URL] {
        guard FileManager.default.fileExists(atPath: folder.path) else { return [] }
        return try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "sql" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }
}
