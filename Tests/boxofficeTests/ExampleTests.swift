import Foundation
import Testing
import TestSupport

/// The README's Swift snippet is `Examples/CounterExample`, built with the package and run here.
struct ExampleTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The lines from `// README: embedding` to `// README: end` in `text`.
    static func snippet(_ text: String) -> [Substring] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(of: "// README: embedding"), let end = lines.firstIndex(of: "// README: end") else { return [] }
        return Array(lines[start...end])
    }

    @Test func theREADMEsSnippetIsTheExamplesCode() throws {
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        let example = try String(contentsOf: Self.root.appendingPathComponent("Examples/CounterExample/main.swift"), encoding: .utf8)
        #expect(Self.snippet(example).count > 5)
        #expect(Self.snippet(readme) == Self.snippet(example), "README.md's snippet differs from Examples/CounterExample/main.swift")
    }

    @Test func theExampleSellsAndPrintsAReceipt() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("counter-example-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = BuiltProducts.boxoffice.deletingLastPathComponent().appendingPathComponent("counter-example")
        process.arguments = [folder.appendingPathComponent("counter.sqlite").path]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(errors)")
        #expect(output.contains("200 seats free for "), "\(output)")
        #expect(output.contains(" at 10:00/1\n"))
        #expect(output.contains("Cinema Braga") && output.contains("Seat F12") && output.contains("Seat F13"))
        #expect(output.contains("\nTOTAL "), "\(output)")
    }
}
