import Foundation
import PackagePlugin

/// Embeds the counter screen (`web/counter/`: its HTML, CSS and JavaScript) into BoxOfficeServer at
/// build time, as EmbedSchemas embeds the SQL: the files in git are the only copy, and the binary
/// serves them with no folder beside it (a counter may be offline, so nothing comes from a CDN).
@main
struct EmbedCounterScreen: BuildToolPlugin {
    /// The screen's files, named here rather than found by listing the folder: SwiftPM keeps a
    /// plugin's commands between builds, so a listing would miss a file added later, while an edit of
    /// a named file always rebuilds. A new file is added here too.
    static let names = ["index.html", "counter.css", "counter.js"]

    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        let folder = context.package.directoryURL.appending(path: "web").appending(path: "counter")
        let files = Self.names.map { folder.appending(path: $0) }
        for file in files where !FileManager.default.fileExists(atPath: file.path) {
            Diagnostics.error("EmbedCounterScreen: \(file.path) is missing")
        }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedCounterScreen.swift")
        return [
            .buildCommand(
                displayName: "Embedding web/counter into \(target.name)",
                executable: try context.tool(named: "file-embedder").url,
                arguments: [output.path, "counter-screen"] + files.map(\.path),
                inputFiles: files,
                outputFiles: [output]),
        ]
    }
}
