import Foundation
import GRDB

extension Replica {
    /// The highest change number this store ever issued: what head office may hold of it at most.
    ///
    /// The sync agent names it to head office on every pull; a head office holding a later change
    /// of the node knows the store was put back from a backup or copied (``fellBehind(nextSequence:)``).
    public func lastSequence() async throws -> Int64 {
        try await box.read { db in
            try Int64.fetchOne(db, sql: """
                SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'change_log'), 0),
                           coalesce((SELECT max(seq) FROM change_log), 0))
                """) ?? 0
        }
    }

    /// Head office holds changes of this store's node past ``lastSequence()``: the store was put
    /// back from a backup or copied together with everything beside it, so it still had the
    /// original's booking-code prefix and would have taken the original's later sales for its own.
    ///
    /// The store takes a new prefix — the original's sales then reach it like another counter's —
    /// and numbers its next changes from `nextSequence`, past head office's; ``ReplicaState/fork``
    /// says so in a cashier's words. Selling never stopped.
    public func fellBehind(nextSequence: Int64) async throws {
        let now = box.now
        try await box.writer.write { db in
            try StoreFork.fallBehind(db, nextSequence: nextSequence, now: now)
        }
    }
}
