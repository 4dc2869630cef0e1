/// The rows a statement returned, as text (libpq's text format), with the column names.
///
/// ```swift
/// let result = try connection.query("SELECT id, name FROM cinemas WHERE id = $1", [cinemaID])
/// for row in result.rows { print(row["name"] ?? "") }
/// ```
public struct PostgresResult: Sendable, Hashable {
    /// The column names, in order.
    public var columns: [String]
    /// Each row's values in column order; `nil` is SQL NULL.
    public var values: [[String?]]
    /// The number of rows the statement touched (`INSERT`/`UPDATE`/`DELETE`/`COPY`), when reported.
    public var affectedRows: Int?

    /// The rows, each addressable by column name.
    public var rows: [PostgresRow] {
        values.map { PostgresRow(columns: columns, values: $0) }
    }

    /// The first column of the first row, if there is one and it is not NULL.
    public var scalar: String? {
        values.first?.first ?? nil
    }
}

/// One row of a ``PostgresResult``.
public struct PostgresRow: Sendable, Hashable {
    /// The column names, in order.
    public var columns: [String]
    /// The values in column order; `nil` is SQL NULL.
    public var values: [String?]

    /// The value of the column named `column`; `nil` when NULL or when there is no such column.
    public subscript(column: String) -> String? {
        guard let index = columns.firstIndex(of: column) else { return nil }
        return values[index]
    }
}
