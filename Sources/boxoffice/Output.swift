import BoxOfficeKit
import Foundation

/// Printing for humans and for scripts.
///
/// `--json` is a stable interface: snake_case names, ISO 8601 times, every object with its `id`,
/// and lists as `{"items": [...], "page": P, "limit": L, "total": T}`.
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
