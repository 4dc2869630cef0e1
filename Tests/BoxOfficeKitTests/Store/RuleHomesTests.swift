import Foundation
import Testing

/// `docs/architecture.md` names each rule's home and the tests that pin it; this keeps the table
/// true, and proves each rule's defining predicate is written in its homes and nowhere else —
/// what `duplicates` cannot see in a one-line predicate.
struct RuleHomesTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A rule of the table, its homes and tests as the table gives them.
    struct Row {
        var rule: String
        var homes: [String]
        var tests: [String]
    }

    static func table() throws -> [Row] {
        let text = try String(contentsOf: root.appendingPathComponent("docs/architecture.md"), encoding: .utf8)
        return text.split(separator: "\n").filter { $0.hasPrefix("| ") && !$0.hasPrefix("| rule") }.map { line in
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            func quoted(_ cell: String) -> [String] {
                cell.split(separator: "`", omittingEmptySubsequences: false).enumerated()
                    .filter { $0.offset % 2 == 1 }.map { String($0.element) }
            }
            return Row(rule: cells[1], homes: quoted(cells[2]).filter { $0.contains("/") }, tests: quoted(cells[3]))
        }
    }

    /// The defining predicate of rules of the table, as a pattern that matches nothing else.
    static let predicates: [String: String] = [
        "seat taken or free": #"node_id *<> *:node|node_name *<> *p_node"#,
        "a hold that ran out reads as expired and holds no seat": #"hold_expires_at *(<=|>=|<|>) "#,
        "booking states: moves and merge order":
            #"\('held', 'paid'\)|case \.held: \[\.pendingPayment|\('held', 1\)|WHEN 'held' THEN [0-9]|mergeOrder: \["#,
        "free-seat search": #"OVER \(PARTITION BY grid_row"#,
        "reseat decision": #"; moved to |seat is left: refund"#,
        "HLC format and clock": #"\{15\}|15, '0'|count: max\(0, 15|parts\[0\], 15"#,
        "showtimes do not overlap in a studio": #"starts_at < [a-zA-Z_.]*ends_at|tstzrange\(starts_at, ends_at\) WITH &&"#,
        "a constraint is recognised by its name": #"constraint failed|message[?!]?\.contains|message \?\? ""\)\.contains"#,
        "what card data is (network prefix and Luhn over any separators; labelled expiry and CVV)": #"2221(\.\.\.|, )2720"#,
        "a change reusing a pushed `(node, seq)` with other content is a fork, never a resend; the store numbers its changes again":
            #"central\.change_digest\(|UPDATE change_log SET seq = seq \+"#,
    ]

    /// Every file under Sources/ and schemas/, by its path from the repository's top.
    static func sources() throws -> [(path: String, text: String)] {
        var files: [(String, String)] = []
        for folder in ["Sources", "schemas"] {
            let base = root.appendingPathComponent(folder)
            let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil)
            while let url = walker?.nextObject() as? URL {
                guard ["swift", "sql", "c", "h"].contains(url.pathExtension) else { continue }
                let path = String(url.path.dropFirst(root.path.count + 1))
                files.append((path, try String(contentsOf: url, encoding: .utf8)))
            }
        }
        return files
    }

    @Test func everyHomeAndTestTheTableNamesExists() throws {
        let table = try Self.table()
        #expect(table.count >= 15)
        let tests = try FileManager.default.subpathsOfDirectory(atPath: Self.root.appendingPathComponent("Tests").path)
            .filter { $0.hasSuffix(".swift") }
            .map { try String(contentsOf: Self.root.appendingPathComponent("Tests").appendingPathComponent($0), encoding: .utf8) }
            .joined()
        for row in table {
            #expect(!row.homes.isEmpty && !row.tests.isEmpty, "\(row.rule)")
            for home in row.homes {
                #expect(FileManager.default.fileExists(atPath: Self.root.appendingPathComponent(home).path), "\(row.rule): \(home)")
            }
            for test in row.tests {
                #expect(tests.contains("struct \(test)"), "\(row.rule): no test suite \(test)")
            }
        }
        #expect(Set(Self.predicates.keys).isSubset(of: Set(table.map(\.rule))), "a predicate for a rule the table lacks")
    }

    @Test func eachRuleIsWrittenOnlyInItsHomes() throws {
        let table = Dictionary(uniqueKeysWithValues: try Self.table().map { ($0.rule, $0) })
        let files = try Self.sources()
        for (rule, pattern) in Self.predicates {
            let homes = Set(table[rule]?.homes ?? [])
            let regex = try Regex(pattern)
            let found = Set(files.filter { $0.text.contains(regex) }.map(\.path))
            #expect(!found.isEmpty, "\(rule): its predicate is written nowhere")
            #expect(found.isSubset(of: homes), "\(rule) is written outside its homes: \(found.subtracting(homes).sorted())")
        }
    }
}
