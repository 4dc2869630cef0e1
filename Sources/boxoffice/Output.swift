import BoxOfficeKit
import Foundation

/// Printing for humans and for scripts.
///
/// `--json` is a stable interface, each object's shape defined once in `schemas/json/`: snake_case
/// names, UTC ISO 8601 times (and `local_*` ones with the cinema's offset), every object with its
/// `id`, and lists as `{"items": [...], "page": P, "limit": L, "total": T}` (`limit` is `null` for a
/// list that is never paged).
enum Output {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// Prints `value` as JSON on standard output.
    static func json<T: Encodable>(_ value: T) throws {
        let data = try encoder.encode(value)
        print(String(decoding: data, as: UTF8.self))
    }

    /// Prints a page of items in the list envelope.
    static func json<Item: Encodable & Sendable>(page: Page<Item>) throws {
        try json(page)
    }

    /// Prints a whole, unpaged list in the list envelope: one page, `limit` `null`.
    static func json<Item: Encodable>(list items: [Item]) throws {
        try json(WholeList(items: items, page: 1, limit: nil, total: items.count))
    }

    /// The list envelope of a list that is never paged.
    private struct WholeList<Item: Encodable>: Encodable {
        var items: [Item]
        var page: Int
        var limit: Int?
        var total: Int

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(items, forKey: .items)
            try container.encode(page, forKey: .page)
            try container.encode(limit, forKey: .limit)
            try container.encode(total, forKey: .total)
        }

        enum CodingKeys: String, CodingKey { case items, page, limit, total }
    }

    /// Prints rows as an aligned text table with a header.
    static func table(_ header: [String], _ rows: [[String]]) {
        let widths = header.indices.map { column in
            ([header[column]] + rows.map { $0[column] }).map(\.count).max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                index == cells.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        print(line(header))
        rows.forEach { print(line($0)) }
    }
}
