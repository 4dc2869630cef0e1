import CLibpq
import Foundation

/// One connection to PostgreSQL through libpq: parameterised statements, transactions, pipelined
/// batches and `COPY … FROM STDIN`.
///
/// The connection string is anything libpq accepts — a `postgresql://` URI or `key=value` pairs —
/// so TLS (`sslmode`, `sslrootcert`) and every authentication method work unchanged. Values travel
/// as text parameters (`$1`, `$2`, …), never spliced into SQL.
///
/// A connection is used by one task at a time: it is not `Sendable`. Calls block while the server
/// works, so long-running owners run them off the cooperative thread pool.
///
/// ```swift
/// let connection = try PostgresConnection(url: "postgresql://node@127.0.0.1:5432/central")
/// let result = try connection.query("SELECT count(*) FROM nodes WHERE cinema_id = $1", [cinemaID])
/// print(result.scalar ?? "0")
/// ```
///
/// ## Topics
///
/// ### Statements
/// - ``query(_:_:)``
/// - ``execute(_:)``
/// - ``transaction(_:)``
///
/// ### Bulk work
/// - ``pipeline(_:)``
/// - ``copyIn(_:rows:)``
public final class PostgresConnection {
    private let connection: OpaquePointer

    /// Opens a connection.
    ///
    /// - Parameters:
    ///   - url: A libpq connection string or URI.
    ///   - connectTimeout: How long to wait for the server before giving up (whole seconds, at
    ///     least 2, as libpq counts them); applies unless the URL sets `connect_timeout` itself.
    ///   - applicationName: Shown in `pg_stat_activity`.
    ///   - passfile: A libpq password file to take the password from when the URL sets none (see
    ///     ``Passfile``); `nil` leaves libpq to its own (`PGPASSFILE`, `~/.pgpass`).
    /// - Throws: ``PostgresError`` with ``PostgresError/isConnectionFailure`` set, or, when the
    ///   server refused the password, with SQLSTATE ``PostgresError/invalidPassword``.
    public init(
        url: String, connectTimeout: Duration = .seconds(5), applicationName: String = "boxoffice", passfile: String? = nil
    ) throws(PostgresError) {
        let seconds = max(2, Int(connectTimeout.components.seconds))
        var keywords = ["connect_timeout", "application_name"]
        var values = [String(seconds), applicationName]
        if let passfile {
            keywords.append("passfile")
            values.append(passfile)
        }
        keywords.append("dbname")
        values.append(url)
        // expand_dbname = 1: the URL in `dbname` is parsed and its settings override the ones before it.
        let pointer = withArrayOfCStrings(keywords) { keywordPointers in
            withArrayOfCStrings(values) { valuePointers in
                PQconnectdbParams(keywordPointers, valuePointers, 1)
            }
        }
        guard let pointer else {
            throw PostgresError(message: "out of memory while connecting", isConnectionFailure: true)
        }
        guard PQstatus(pointer) == CONNECTION_OK else {
            var message = Self.trimmed(PQerrorMessage(pointer))
            // A URL libpq cannot read may be quoted in its message, password and all.
            if (try? ConnectionString(url)) == nil { message = ConnectionString.scrubbed(message) }
            // The server asked for a password and refused the one given (or none was): no retry
            // mends that. libpq hands no SQLSTATE over for a failed login; 28P01 is the server's.
            let refused = PQconnectionNeedsPassword(pointer) == 1 || PQconnectionUsedPassword(pointer) == 1
            PQfinish(pointer)
            throw refused ? PostgresError(sqlState: PostgresError.invalidPassword, message: message)
                          : PostgresError(message: message, isConnectionFailure: true)
        }
        // Server notices ("relation … already exists, skipping") are not for a cashier's terminal;
        // libpq would print them to standard error.
        PQsetNoticeProcessor(pointer, { _, _ in }, nil)
        connection = pointer
    }

    deinit {
        PQfinish(connection)
    }

    /// Whether the connection is still usable.
    public var isHealthy: Bool { PQstatus(connection) == CONNECTION_OK }

    /// The server's version number, e.g. `150018` for 15.18.
    public var serverVersion: Int { Int(PQserverVersion(connection)) }

    /// Runs one statement with text parameters and returns its rows.
    ///
    /// ```swift
    /// try connection.query("INSERT INTO inbox (node_id, seq) VALUES ($1, $2)", [nodeID, "42"])
    /// ```
    ///
    /// - Parameters:
    ///   - sql: One SQL statement with `$1`, `$2`, … placeholders.
    ///   - parameters: The values, as text; `nil` is SQL NULL.
    /// - Throws: ``PostgresError`` carrying the server's SQLSTATE.
    @discardableResult
    public func query(_ sql: String, _ parameters: [String?] = []) throws(PostgresError) -> PostgresResult {
        let result = withParameters(parameters) { values, count in
            PQexecParams(connection, sql, count, nil, values, nil, nil, 0)
        }
        return try consume(result)
    }

    /// Runs one or more statements without parameters (DDL, `BEGIN`, `SET`).
    public func execute(_ sql: String) throws(PostgresError) {
        try consume(PQexec(connection, sql))
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    ///
    /// - Throws: What `body` throws, or ``PostgresError`` from `BEGIN`/`COMMIT`.
    @discardableResult
    public func transaction<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        try execute("BEGIN")
        do {
            let value = try body(self)
            try execute("COMMIT")
            return value
        } catch {
            if isHealthy { try? execute("ROLLBACK") }
            throw error
        }
    }

    /// Sends several statements in one round trip (libpq pipeline mode) and returns each result.
    ///
    /// The statements run in order in one implicit transaction: if one fails, the ones after it
    /// are skipped, the whole batch is rolled back, and the first error is thrown.
    ///
    /// ```swift
    /// let results = try connection.pipeline([
    ///     ("INSERT INTO staging VALUES ($1)", ["a"]),
    ///     ("SELECT count(*) FROM staging", []),
    /// ])
    /// ```
    public func pipeline(_ statements: [(sql: String, parameters: [String?])]) throws(PostgresError) -> [PostgresResult] {
        guard PQenterPipelineMode(connection) == 1 else { throw connectionError() }
        defer { PQexitPipelineMode(connection) }
        for statement in statements {
            let sent = withParameters(statement.parameters) { values, count in
                PQsendQueryParams(connection, statement.sql, count, nil, values, nil, nil, 0)
            }
            guard sent == 1 else { throw connectionError() }
        }
        guard PQpipelineSync(connection) == 1 else { throw connectionError() }

        var results: [PostgresResult] = []
        var firstError: PostgresError?
        for _ in statements {
            // Each statement yields its result(s) followed by a NULL.
            while let result = PQgetResult(connection) {
                let status = PQresultStatus(result)
                if status == PGRES_PIPELINE_ABORTED {
                    PQclear(result)
                    continue
                }
                do { results.append(try consume(result)) } catch {
                    if firstError == nil { firstError = error }
                }
            }
        }
        // The sync point's own result closes the batch.
        while let result = PQgetResult(connection) {
            let status = PQresultStatus(result)
            PQclear(result)
            if status == PGRES_PIPELINE_SYNC { break }
        }
        if let firstError { throw firstError }
        return results
    }

    /// Streams rows into the server with `COPY … FROM STDIN` in text format.
    ///
    /// Each element of `rows` is one line of COPY text: tab-separated values, `\N` for NULL, with
    /// tabs, newlines and backslashes escaped (see ``copyEscape(_:)``). Rows are sent as they are
    /// produced, so memory stays flat however many there are.
    ///
    /// - Returns: The number of rows the server stored.
    @discardableResult
    public func copyIn(_ sql: String, rows: some Sequence<String>) throws(PostgresError) -> Int {
        let start = PQexec(connection, sql)
        guard PQresultStatus(start) == PGRES_COPY_IN else {
            try consume(start)
            throw PostgresError(message: "the statement did not start COPY FROM STDIN")
        }
        PQclear(start)
        var buffer = [UInt8]()
        buffer.reserveCapacity(1 << 16)
        for row in rows {
            buffer.append(contentsOf: row.utf8)
            buffer.append(UInt8(ascii: "\n"))
            if buffer.count >= 1 << 16 {
                try putCopyData(buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        if !buffer.isEmpty { try putCopyData(buffer) }
        guard PQputCopyEnd(connection, nil) == 1 else { throw connectionError() }
        var stored = 0
        while let result = PQgetResult(connection) {
            stored = try consume(result).affectedRows ?? stored
        }
        return stored
    }

    /// Escapes one value for the text format of ``copyIn(_:rows:)``; `nil` becomes `\N`.
    public static func copyEscape(_ value: String?) -> String {
        guard let value else { return "\\N" }
        var escaped = ""
        escaped.reserveCapacity(value.utf8.count)
        for character in value.unicodeScalars {
            switch character {
            case "\\": escaped += "\\\\"
            case "\t": escaped += "\\t"
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }

    // MARK: - Private

    private func putCopyData(_ bytes: [UInt8]) throws(PostgresError) {
        let sent = bytes.withUnsafeBufferPointer { pointer in
            pointer.withMemoryRebound(to: CChar.self) { chars in
                PQputCopyData(connection, chars.baseAddress, Int32(chars.count))
            }
        }
        guard sent == 1 else { throw connectionError() }
    }

    /// Turns a libpq result into rows or an error, and frees it.
    @discardableResult
    private func consume(_ result: OpaquePointer?) throws(PostgresError) -> PostgresResult {
        guard let result else { throw connectionError() }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY, PGRES_COPY_IN, PGRES_PIPELINE_SYNC:
            let columnCount = Int(PQnfields(result))
            let rowCount = Int(PQntuples(result))
            let columns = (0..<columnCount).map { String(cString: PQfname(result, Int32($0))) }
            var values: [[String?]] = []
            values.reserveCapacity(rowCount)
            for row in 0..<rowCount {
                values.append((0..<columnCount).map { column -> String? in
                    PQgetisnull(result, Int32(row), Int32(column)) == 1
                        ? nil : String(cString: PQgetvalue(result, Int32(row), Int32(column)))
                })
            }
            let affected = Int(String(cString: PQcmdTuples(result)))
            return PostgresResult(columns: columns, values: values, affectedRows: affected)
        default:
            let sqlState = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
            let primary = PQresultErrorField(result, Int32(UInt8(ascii: "M"))).map { String(cString: $0) }
            let detail = PQresultErrorField(result, Int32(UInt8(ascii: "D"))).map { String(cString: $0) }
            let constraint = PQresultErrorField(result, Int32(UInt8(ascii: "n"))).map { String(cString: $0) }
            let message = primary ?? Self.trimmed(PQresultErrorMessage(result))
            let lostConnection = PQstatus(connection) != CONNECTION_OK
            throw PostgresError(sqlState: sqlState, message: message, detail: detail, constraint: constraint,
                                isConnectionFailure: lostConnection)
        }
    }

    private func connectionError() -> PostgresError {
        PostgresError(message: Self.trimmed(PQerrorMessage(connection)), isConnectionFailure: PQstatus(connection) != CONNECTION_OK)
    }

    private static func trimmed(_ message: UnsafePointer<CChar>?) -> String {
        guard let message else { return "unknown error" }
        return String(cString: message).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func withParameters<R>(_ parameters: [String?], _ body: (UnsafePointer<UnsafePointer<CChar>?>?, Int32) -> R) -> R {
        var storage: [UnsafeMutablePointer<CChar>?] = parameters.map { $0.map { strdup($0) } ?? nil }
        defer { storage.forEach { free($0) } }
        return storage.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: max(1, buffer.count)) { pointer in
                body(buffer.isEmpty ? nil : pointer, Int32(buffer.count))
            }
        }
    }
}

/// Calls `body` with a NULL-terminated C array of C strings made from `strings`.
private func withArrayOfCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) } + [nil]
    defer { pointers.forEach { free($0) } }
    return pointers.withUnsafeMutableBufferPointer { buffer in
        buffer.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: buffer.count) { body($0) }
    }
}
