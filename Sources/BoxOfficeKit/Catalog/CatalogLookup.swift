import Foundation

/// How a person names a catalog row: the one home of the rule that every front (the CLI, the coming
/// HTTP server and browser screen) follows.
///
/// A row is found by, in this order:
/// 1. its id, in any case;
/// 2. its name (or code, for a payment method), in any case;
/// 3. an unambiguous prefix, in any case, of its name, of any word of its name, of its code, or of
///    its id (at least four characters: UUIDv7 ids made in one second share their first 13).
///
/// The first step that finds anything decides: one row is the answer, several are
/// ``CatalogError/ambiguous(_:query:candidates:)`` listing them, none at all is the caller's
/// not-found error.
///
/// ```swift
/// let match = CatalogLookup.match("braga", in: cinemas, id: \.id, names: { [$0.name] })
/// ```
enum CatalogLookup {
    /// The outcome of matching a query against candidates.
    enum Match<Row> {
        case found(Row)
        case ambiguous([Row])
        case none
    }

    /// Matches `query` against `rows` by the rule above.
    static func match<Row>(
        _ query: String, in rows: [Row], id: (Row) -> String, names: (Row) -> [String]
    ) -> Match<Row> {
        let key = query.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard !key.isEmpty else { return .none }
        func isPrefix(_ row: Row) -> Bool {
            names(row).contains { name in
                let lower = name.lowercased()
                return lower.hasPrefix(key)
                    || lower.split(whereSeparator: { $0 == " " || $0 == "-" || $0 == "_" }).contains { $0.hasPrefix(key) }
            } || (key.count >= 4 && id(row).lowercased().hasPrefix(key))
        }
        for step in 0..<3 {
            let found = rows.filter { row in
                switch step {
                case 0: id(row).lowercased() == key
                case 1: names(row).contains { $0.lowercased() == key }
                default: isPrefix(row)
                }
            }
            if found.count == 1 { return .found(found[0]) }
            if found.count > 1 { return .ambiguous(found) }
        }
        return .none
    }

    /// The row `query` names, or `notFound`, or ``CatalogError/ambiguous(_:query:candidates:)``
    /// naming each candidate by `describe`.
    static func find<Row>(
        _ query: String, in rows: [Row], what: String, id: (Row) -> String, names: (Row) -> [String],
        describe: (Row) -> String, notFound: @autoclosure () -> CatalogError
    ) throws(CatalogError) -> Row {
        switch match(query, in: rows, id: id, names: names) {
        case let .found(row): return row
        case let .ambiguous(rows): throw .ambiguous(what, query: query, candidates: rows.map(describe).sorted())
        case .none: throw notFound()
        }
    }
}
