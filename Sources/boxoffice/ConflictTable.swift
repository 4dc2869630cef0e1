import BoxOfficeKit
import Foundation

/// How `boxoffice conflicts` and `boxoffice central conflicts` print sync conflicts.
enum ConflictTable {
    /// Prints `conflicts` as the `--json` list envelope, or as a text table with times in `zone`.
    static func print(_ conflicts: [SyncConflict], json: Bool, zone: TimeZone) throws {
        if json { return try Output.json(list: conflicts) }
        guard !conflicts.isEmpty else { return Swift.print("No conflicts.") }
        Output.table(["ID", "WHEN (\(zone.identifier))", "KIND", "NODE", "SEATS", "STATUS", "REASON"], conflicts.map {
            [$0.id, LocalDateTime($0.createdAt, timeZone: zone).description, $0.kind.rawValue, $0.nodeName ?? "",
             seats($0.seatBefore, $0.seatAfter), $0.status.rawValue, $0.reason]
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
