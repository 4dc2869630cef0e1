import Foundation
import GRDB

extension BoxOffice {
    /// Runs `body` in one write transaction with the transaction's HLC stamp.
    ///
    /// Every row the transaction writes takes `stamp` as its `hlc`, so the change-log triggers
    /// journal the whole transaction under one stamp. Any error rolls everything back. Once it
    /// committed, the store's origin marker learns the last booking number issued (``StoreOrigin``).
    func write<T: Sendable>(_ body: @escaping @Sendable (Database, HLC) throws -> T) async throws -> T {
        let now = self.now
        let tracked = origin != nil
        let (result, marker) = try await writer.write { db in
            let stamp = try db.nextHLC(now: now)
            let result = try body(db, stamp)
            return (result, tracked ? try StoreOrigin.Marker.fetch(db) : nil)
        }
        if let marker { origin?.note(marker) }
        return result
    }

    /// Runs `body` on a read-only snapshot of the store.
    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await writer.read(body)
    }
}
