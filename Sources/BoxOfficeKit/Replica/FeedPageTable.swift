import GRDB
import GRDBSQLite

/// The temporary table a pulled page is applied from: one row per feed row, one typed column per
/// payload key that any synced table takes.
///
/// The envelope columns are `position` (0-based, feed order) and `feed_entity`, `feed_entity_id`,
/// `feed_operation`, `feed_hlc`; every other column has the name of the payload key it holds
/// (NULL when the row's payload lacks it), so the apply statements read `f.showtime_id` rather than
/// parsing JSON.
enum FeedPageTable {
    /// The payload keys the apply statements read: every synced table's columns and a conflict
    /// record's keys.
    static let payloadColumns: [String] = {
        var seen = Set<String>()
        let columns = (FeedEntity.all.flatMap(\.columns) + FeedEntity.conflictKeys).filter { seen.insert($0).inserted }
        precondition(columns.allSatisfy { $0 != "position" && !$0.hasPrefix("feed_") },
                     "a payload column would shadow an envelope column of temp.feed_page")
        return columns
    }()

    /// Each payload key's parameter index in ``insertSQL``.
    private static let parameterIndex: [String: Int32] = Dictionary(
        uniqueKeysWithValues: payloadColumns.enumerated().map { ($1, Int32($0 + 6)) })

    private static let createSQL = """
        CREATE TEMP TABLE IF NOT EXISTS feed_page (
            position INTEGER PRIMARY KEY, feed_entity TEXT, feed_entity_id TEXT, feed_operation TEXT, feed_hlc TEXT,
            \(payloadColumns.joined(separator: ", ")))
        """

    private static let insertSQL = """
        INSERT INTO temp.feed_page (position, feed_entity, feed_entity_id, feed_operation, feed_hlc, \
        \(payloadColumns.joined(separator: ", ")))
        VALUES (\((1...payloadColumns.count + 5).map { "?\($0)" }.joined(separator: ", ")))
        """

    /// A payload value and the parameter of ``insertSQL`` it goes to.
    struct BoundValue: Sendable {
        var parameter: Int32
        var value: FeedPayload.Value
    }

    /// The payload's values that the table has a column for (the others no statement reads).
    static func boundValues(of payload: FeedPayload) -> [BoundValue] {
        payload.members.compactMap { member in
            parameterIndex[member.key].map { BoundValue(parameter: $0, value: member.value) }
        }
    }

    /// Creates the table on this connection, if it has not yet. It is empty between pages: a page
    /// that is applied empties it in its transaction, and one that fails is rolled back with it.
    static func prepare(_ db: Database) throws {
        try db.execute(sql: createSQL)
        // Each entity's statements read only that entity's rows of the page.
        try db.execute(sql: "CREATE INDEX IF NOT EXISTS temp.feed_page_by_entity ON feed_page (feed_entity, position)")
        // The ticket statements ask, for each ticket row, which is the page's last row of that
        // ticket; without this index each asking scanned the page's tickets, and a pull was
        // quadratic in the page size (`make bench`'s pull fell to a third; BENCHMARKS.md).
        try db.execute(sql: """
            CREATE INDEX IF NOT EXISTS temp.feed_page_by_entity_id ON feed_page (feed_entity, feed_entity_id, position)
            """)
    }

    /// Empties the table, so that no page's rows (customers' names among them) outlive its apply.
    static func clear(_ db: Database) throws {
        try db.execute(sql: "DELETE FROM temp.feed_page")
    }

    /// Inserts `rows` at positions 0, 1, … in order.
    static func fill(_ db: Database, with rows: [FeedRow]) throws {
        let statement = try db.cachedStatement(sql: insertSQL)
        let handle = statement.sqliteStatement
        defer {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
        }
        for (position, row) in rows.enumerated() {
            let values = try row.boundValues.get()
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
            sqlite3_bind_int64(handle, 1, Int64(position))
            bind(row.entity, at: 2, of: handle)
            bind(row.entityID, at: 3, of: handle)
            bind(row.operation, at: 4, of: handle)
            bind(row.hlc, at: 5, of: handle)
            for bound in values {
                switch bound.value {
                case .null: break
                case .integer(let value): sqlite3_bind_int64(handle, bound.parameter, value)
                case .real(let value): sqlite3_bind_double(handle, bound.parameter, value)
                case .text(let value): bind(value, at: bound.parameter, of: handle)
                }
            }
            let code = sqlite3_step(handle)
            guard code == SQLITE_DONE else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code),
                                    message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: insertSQL)
            }
        }
    }

    private static func bind(_ text: String, at index: Int32, of handle: SQLiteStatement) {
        var text = text
        text.withUTF8 { bytes in
            _ = sqlite3_bind_text(handle, index, bytes.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) },
                                  Int32(bytes.count), transient)
        }
    }

    /// SQLite's `SQLITE_TRANSIENT`: copy the bytes, the caller's buffer does not outlive the call.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}
