import GRDB

/// Keeps the change-log triggers silent, and lets the store's rules take head office's state,
/// while applying what head office already knows.
///
/// The marker row lives in a savepoint of the caller's transaction: `body` runs with it, and the
/// marker is deleted before the savepoint is released. If anything fails — `body`, or the delete
/// itself — the savepoint rolls back, marker and all, and the error propagates: the marker can
/// never outlive `body`, so the change log can never silently stop recording.
enum ChangeLogSuppression {
    static func `while`<T>(_ db: Database, _ body: () throws -> T) throws -> T {
        var result: T?
        try db.inSavepoint {
            try db.execute(sql: "INSERT INTO change_log_suppression (singleton) VALUES (1)")
            result = try body()
            try db.execute(sql: "DELETE FROM change_log_suppression")
            return .commit
        }
        guard let result else { throw StoreError.damaged("applying head office's changes returned nothing") }
        return result
    }
}
