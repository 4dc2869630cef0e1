import BoxOfficeKit

/// How `boxoffice conflicts` and `boxoffice central conflicts` print sync conflicts.
enum ConflictTable {
    /// Prints `conflicts` as the `--json` list envelope, or as a text table.
    static func print(_ conflicts: [SyncConflict], json: Bool) throws {
        if json { return try Output.json(page: Page.whole(conflicts)) }
        guard !conflicts.isEmpty else { return Swift.print("No conflicts.") }
        Output.table(["ID", "KIND", "NODE", "SEATS", "STATUS", "REASON"], conflicts.map {
            [$0.id, $0.kind.rawValue, $0.nodeName ?? "", seats($0.seatBefore, $0.seatAfter), $0.status.rawValue, $0.reason]
        })
    }

    private static func seats(_ before: String?, _ after: String?) -> String {
        switch (before, after) {
        case let (before?, after?): "\(before) → \(after)"
        case let (before?, nil): before
        default: ""
        }
    }
}
