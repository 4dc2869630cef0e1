import Foundation

// file-embedder OUTPUT schema --migrations FILE… --rules FILE… --tables FILE…
// file-embedder OUTPUT counter-screen FILE…
//
// Writes OUTPUT, a Swift file declaring the embedded files as string literals, in the order given:
// - `schema`: `enum EmbeddedSchema`, each SQL file by its name without `.sql`, and each CSV table
//   by its name without `.csv` (the EmbedSchemas plugin);
// - `counter-screen`: `enum EmbeddedCounterScreen`, each file by its file name (the
//   EmbedCounterScreen plugin).
// Its output lives in the build folder only.

func fail(_ message: String, status: Int32) -> Never {
    FileHandle.standardError.write(Data("file-embedder: \(message)\n".utf8))
    exit(status)
}

var arguments = CommandLine.arguments.dropFirst()
guard let output = arguments.popFirst(), let kind = arguments.popFirst() else {
    fail("usage: file-embedder OUTPUT schema --migrations FILE… --rules FILE… --tables FILE… | OUTPUT counter-screen FILE…",
         status: 64)
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

/// One array element per file: `(name: "…", label: """…""")`, the name with or without its extension.
func entries(_ files: [String], label: String, keepingExtension: Bool = false) throws -> String {
    try files.map { path in
        let url = URL(fileURLWithPath: path)
        let name = keepingExtension ? url.lastPathComponent : url.deletingPathExtension().lastPathComponent
        let text = try String(contentsOf: url, encoding: .utf8)
        return "        (name: \"\(name)\", \(label): \(literal(text))),\n"
    }.joined()
}

/// The schema's files by group: `--migrations`, `--rules` and `--tables`, each followed by its files.
func schemaGroups(_ arguments: some Sequence<String>) -> [String: [String]] {
    var parts: [String: [String]] = ["--migrations": [], "--rules": [], "--tables": []]
    var current: String?
    for argument in arguments {
        if parts[argument] != nil {
            current = argument
        } else if let part = current {
            parts[part, default: []].append(argument)
        } else {
            fail("\(argument) comes before --migrations, --rules or --tables", status: 64)
        }
    }
    return parts
}

do {
    let source: String
    switch kind {
    case "schema":
        let parts = schemaGroups(arguments)
        source = """
            // Written at build time by the EmbedSchemas plugin from the package's schemas/ folder.

            /// The SQL of this target's store, one entry per file, in file-name order.
            enum EmbeddedSchema {
                /// `migrations/*.sql`: tables, indexes and data changes, applied once each, in order.
                static let migrations: [(name: String, sql: String)] = [
            \(try entries(parts["--migrations"] ?? [], label: "sql"))    ]

                /// `rules/*.sql`: functions, triggers and views, one file per rule, re-applied when changed.
                static let rules: [(name: String, sql: String)] = [
            \(try entries(parts["--rules"] ?? [], label: "sql"))    ]

                /// `schemas/*.csv`: the tables both stores follow, by file name without `.csv`.
                static let tables: [(name: String, csv: String)] = [
            \(try entries(parts["--tables"] ?? [], label: "csv"))    ]
            }

            """
    case "counter-screen":
        source = """
            // Written at build time by the EmbedCounterScreen plugin from the package's web/counter/ folder.

            /// The counter screen's files, by file name.
            enum EmbeddedCounterScreen {
                static let files: [(name: String, text: String)] = [
            \(try entries(Array(arguments), label: "text", keepingExtension: true))    ]
            }

            """
    default:
        fail("no kind \(kind): schema or counter-screen", status: 64)
    }
    try Data(source.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
} catch {
    fail("\(error)", status: 1)
}
