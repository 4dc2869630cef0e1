import Foundation
import Testing
@testable import BoxOfficeKit

/// `docs/head-office-authority.md` shows the ownership table as people read it; this keeps it the
/// table that head office and the kit follow (`schemas/permissions.csv`), row by row.
struct OwnershipTableDocsTests {
    static let root = RuleHomesTests.root

    /// The table as the page must show it, rendered from the table the kit embeds.
    static func expectedMarkdown() -> String {
        let columns = ["entity", "operation"] + OwnershipTable.Actor.allCases.map(\.rawValue) + ["by_push"]
        var lines = ["| " + columns.joined(separator: " | ") + " |", "|" + String(repeating: "---|", count: columns.count)]
        for row in OwnershipTable.standard.rows {
            let cells = [row.entity, row.operation.rawValue]
                + OwnershipTable.Actor.allCases.map { row.grants[$0]?.rawValue ?? "" }
                + [row.byPush.rawValue]
            lines.append("| " + cells.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n")
    }

    @Test func thePageShowsTheTableTheRulesFollow() throws {
        let page = try String(contentsOf: Self.root.appendingPathComponent("docs/head-office-authority.md"), encoding: .utf8)
        let start = try #require(page.range(of: "<!-- ownership-table"), "the page marks where the table starts")
        let end = try #require(page.range(of: "<!-- /ownership-table -->"), "the page marks where the table ends")
        let shown = page[start.upperBound..<end.lowerBound].split(separator: "\n").dropFirst()
            .joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        let expected = Self.expectedMarkdown()
        #expect(shown == expected, "docs/head-office-authority.md's ownership table differs from schemas/permissions.csv; it should read:\n\(expected)")
    }

    @Test func theTableIsTheFileHeadOfficeLoads() throws {
        let file = try String(contentsOf: Self.root.appendingPathComponent("schemas/permissions.csv"), encoding: .utf8)
        #expect(try OwnershipTable(csv: file) == OwnershipTable.standard)
    }
}
