import Foundation
import GRDBSQLite

/// The floor the kit is measured against: the SQLite C API with nothing on top, prepared
/// statements kept and reused, values bound by index.
///
/// It opens files with the kit's own settings (WAL, `synchronous=FULL`, foreign keys,
/// `secure_delete`, a busy timeout), so the only difference left is the code in between.
final class RawSQLite {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private var handle: OpaquePointer?

    init(path: String) throws {
        guard sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nil)
            == SQLITE_OK
        else { throw Failure(description: "cannot open \(path)") }
        sqlite3_busy_timeout(handle, 10_000)
        try execute("PRAGMA journal_mode = WAL")
        try execute("PRAGMA synchronous = FULL")
        try execute("PRAGMA foreign_keys = ON")
        try execute("PRAGMA secure_delete = ON")
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    func execute(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        guard sqlite3_exec(handle, sql, nil, nil, &message) == SQLITE_OK else {
            let text = message.map { String(cString: $0) } ?? "error"
            sqlite3_free(message)
            throw Failure(description: "\(text) in \(sql)")
        }
    }

    func prepare(_ sql: String) throws -> Statement {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil) == SQLITE_OK,
              let statement
        else { throw Failure(description: "\(lastError) in \(sql)") }
        return Statement(statement, owner: self)
    }

    var lastError: String { String(cString: sqlite3_errmsg(handle)) }

    /// A prepared statement, reset and rebound for every use.
    final class Statement {
        private let statement: OpaquePointer
        private unowned let owner: RawSQLite

        fileprivate init(_ statement: OpaquePointer, owner: RawSQLite) {
            self.statement = statement
            self.owner = owner
        }

        deinit { sqlite3_finalize(statement) }

        /// Resets the statement and binds `values` to `?1`, `?2`, …
        @discardableResult
        func bind(_ values: [Value]) -> Statement {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
            for (index, value) in values.enumerated() {
                let position = Int32(index + 1)
                switch value {
                case .null: sqlite3_bind_null(statement, position)
                case let .int(number): sqlite3_bind_int64(statement, position, Int64(number))
                case let .text(text): sqlite3_bind_text(statement, position, text, -1, sqliteTransient)
                }
            }
            return self
        }

        /// Steps once; `true` while a row is ready.
        func step() throws -> Bool {
            switch sqlite3_step(statement) {
            case SQLITE_ROW: return true
            case SQLITE_DONE: return false
            default: throw Failure(description: owner.lastError)
            }
        }

        /// Runs a statement that returns no rows.
        func run() throws {
            while try step() {}
        }

        func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(statement, column)) }

        func text(_ column: Int32) -> String? {
            guard let pointer = sqlite3_column_text(statement, column) else { return nil }
            return String(cString: pointer)
        }
    }

    enum Value: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
        case null
        case int(Int)
        case text(String)

        init(stringLiteral value: String) { self = .text(value) }
        init(integerLiteral value: Int) { self = .int(value) }
        init(_ text: String?) { self = text.map(Value.text) ?? .null }
    }
}

/// SQLite copies bound text before the call returns.
private let sqliteTransient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
