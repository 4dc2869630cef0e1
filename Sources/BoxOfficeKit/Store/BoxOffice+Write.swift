import Foundation
import GRDB

extension BoxOffice {
    /// Runs `body` in one write transaction with the transaction's HLC stamp.
    ///
    /// Every row the transaction writes takes `stamp` as its `hlc`, so the change-log triggers
    /// journal the whole transaction under one stamp. Any error rolls everything back.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database, HLC) throws -> T) async throws -> T {
        let now = self.now
        return try await writer.write { db in
            let stamp = try db.nextHLC(now: now)
            return try body(db, stamp)
        }
    }

    /// Runs `body` on a read-only snapshot of the store.
    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await writer.read(body)
    }
}
