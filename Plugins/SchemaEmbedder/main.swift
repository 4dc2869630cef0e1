import Foundation

// schema-embedder OUTPUT --migrations FILE… --rules FILE… --tables FILE…
//
// Writes OUTPUT, a Swift file declaring `enum EmbeddedSchema` with each file's name (without
// `.sql`) and text, in the order given, and each CSV table's text by its name. Run by the EmbedSchemas
// build-tool plugin; its output lives in the build folder only.

var arguments = CommandLine.arguments.dropFirst()
guard let output = arguments.popFirst() else {
    FileHandle.standardError.write(Data("usage: schema-embedder OUTPUT --migrations FILE… --rules FILE…\n".utf8))
    exit(64)
}

var parts: [String: [String]] = ["--migrations": [], "--rules": [], "--tables": []]
var current: String?
for argument in arguments {
    if parts[argument] != nil {
        current = argument
    } else if let part = current {
        parts[part, default: []].append(argument)
    } else {
        FileHandle.standardError.write(Data("schema-embedder: \(argument) comes before --migrations or --rules\n".utf8))
        exit(64)
    }
}

/// `text` as a Swift raw string literal whose delimiter no run of `#` in the text can close. The
/// newline before a multi-line literal's closing delimiter is not part of its value, so one is
/// always added: the value is the file's text exactly.
func literal(_ text: String) -> String {
    var longest = 0, run = 0
    for character in text {
        run = character == "#" ? run + 1 : 0
        longest = max(longest, run)
    }
    let hashes = String(repeating: "#", count: longest + 1)
    return hashes + "\"\"\"\n" + text + "\n\"\"\"" + hashes
}

func entries(_ files: [String], label: String = "sql") throws -> String {
    try files.map { path in
        let url = URL(fileURLWithPath: path)
        let name = url.deletingPathExtension().lastPathComponent
        let text = try String(contentsOf: url, encoding: .utf8)
        return "        (name: \"\(name)\", \(label): \(literal(text))),\n"
    }.joined()
}

do {
    let source = """
        // Written at build time by the EmbedSchemas plugin from the package's schemas/ folder.

        /// The SQL of this target's store, one entry per file, in file-name order.
        enum EmbeddedSchema {
            /// `migrations/*.sql`: tables, indexes and data changes, applied once each, in order.
            static let migrations: [(name: String, sql: String)] = [
        \(try entries(parts["--migrations"] ?? []))    ]

            /// `rules/*.sql`: functions, triggers and views, one file per rule, re-applied when changed.
            static let rules: [(name: String, sql: String)] = [
        \(try entries(parts["--rules"] ?? []))    ]

            /// `schemas/*.csv`: the tables both stores follow, by file name without `.csv`.
            static let tables: [(name: String, csv: String)] = [
        \(try entries(parts["--tables"] ?? [], label: "csv"))    ]
        }

        """
    try Data(source.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
} catch {
    FileHandle.standardError.write(Data("schema-embedder: \(error)\n".utf8))
    exit(1)
}
