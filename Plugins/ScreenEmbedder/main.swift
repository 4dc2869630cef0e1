import Foundation

// screen-embedder OUTPUT FILE…
//
// Writes OUTPUT, a Swift file declaring `enum EmbeddedCounterScreen` with each file's name and
// text, in the order given. Run by the EmbedCounterScreen build-tool plugin; its output lives in
// the build folder only.

var arguments = CommandLine.arguments.dropFirst()
guard let output = arguments.popFirst() else {
    FileHandle.standardError.write(Data("usage: screen-embedder OUTPUT FILE…\n".utf8))
    exit(64)
}

/// `text` as a Swift raw string literal whose delimiter no run of `#` in the text can close; the
/// newline added before the closing delimiter is not part of the value.
func literal(_ text: String) -> String {
    var longest = 0, run = 0
    for character in text {
        run = character == "#" ? run + 1 : 0
        longest = max(longest, run)
    }
    let hashes = String(repeating: "#", count: longest + 1)
    return hashes + "\"\"\"\n" + text + "\n\"\"\"" + hashes
}

do {
    let entries = try arguments.map { path in
        let url = URL(fileURLWithPath: path)
        let text = try String(contentsOf: url, encoding: .utf8)
        return "        (name: \"\(url.lastPathComponent)\", text: \(literal(text))),\n"
    }.joined()
    let source = """
        // Written at build time by the EmbedCounterScreen plugin from the package's web/counter/ folder.

        /// The counter screen's files, by file name.
        enum EmbeddedCounterScreen {
            static let files: [(name: String, text: String)] = [
        \(entries)    ]
        }

        """
    try Data(source.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
} catch {
    FileHandle.standardError.write(Data("screen-embedder: \(error)\n".utf8))
    exit(1)
}
