import GRDB

/// Keeps the change-log triggers silent while applying what head office already knows.
///
/// The marker row lives only inside the caller's transaction: no other connection ever sees it.
enum ChangeLogSuppression {
    static func `while`<T>(_ db: Database, _ body: () throws -> T) throws -> T {
        try db.execute(sql: "INSERT INTO change_log_suppression (singleton) VALUES (1)")
        defer { try? db.execute(sql: "DELETE FROM change_log_suppression") }
        return try body()
    }
}
