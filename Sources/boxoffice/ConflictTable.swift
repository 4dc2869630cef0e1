/// The text table of conflicts that `boxoffice conflicts` and `boxoffice central conflicts` print.
enum ConflictTable {
    struct Row {
        var id: String
        var kind: String
        var node: String?
        var seats: String
        var status: String
        var reason: String
    }

    static func seats(_ before: String?, _ after: String?) -> String {
        switch (before, after) {
        case let (before?, after?): "\(before) → \(after)"
        case let (before?, nil): before
        default: ""
        }
    }

    static func print(_ rows: [Row]) {
        guard !rows.isEmpty else { return Swift.print("No conflicts.") }
        Output.table(["ID", "KIND", "NODE", "SEATS", "STATUS", "REASON"],
                     rows.map { [$0.id, $0.kind, $0.node ?? "", $0.seats, $0.status, $0.reason] })
    }
}
