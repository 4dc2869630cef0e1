import Foundation
import GRDB

extension BoxOffice {
    /// This store as a replica of head office: the change log to push, the feed to apply, the
    /// conflicts head office reported. The sync agent works only through this API.
    public var replica: Replica { Replica(box: self) }
}

/// The public sync API of a store: what the sync agent reads and writes, and nothing else.
///
/// A sync round pushes the change log up in batches and applies each batch's outcomes, then pulls
/// head office's feed and applies it. Both sides of each step happen in one SQLite transaction, so
/// a crash at any point leaves either nothing done or a resend that head office's inbox makes
/// harmless.
///
/// ```swift
/// while let batch = try await box.replica.nextBatch(limit: 500) {
///     let outcomes = try central.push(batch)              // one round trip, one PostgreSQL transaction
///     try await box.replica.recordPush(batch, outcomes: outcomes)
/// }
/// ```
///
/// - warning: Applying pulled rows bypasses the kit's business checks on purpose: head office's
///   state is authoritative. Only feed rows from head office belong in ``applyFeed(_:)``.
///
/// ## Topics
///
/// ### Pushing
/// - ``nextBatch(limit:)``
/// - ``nextBatch(after:limit:)``
/// - ``recordPush(_:outcomes:)``
///
/// ### Pulling
/// - ``applyFeed(_:)``
///
/// ### State and conflicts
/// - ``state()``
/// - ``conflicts(includeResolved:)``
/// - ``rememberCentralURL(_:)``
/// - ``recordSyncFailure(_:)``
public struct Replica: Sendable {
    let box: BoxOffice

    /// Where this store stands with head office.
    public func state() async throws -> ReplicaState {
        try await box.read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT node_id, code_prefix, central_url, last_pushed_seq, feed_cursor, feed_lag,
                       last_sync_at, last_push_at, last_pull_at, last_sync_error,
                       fork_count, forked_at, fork_reason, fork_resent,
                       (SELECT count(*) FROM change_log WHERE seq > s.last_pushed_seq) AS pending,
                       (SELECT count(*) FROM sync_conflicts WHERE status = 'open') AS open_conflicts
                FROM sync_state s WHERE singleton = 1
                """)
            else { throw StoreError.damaged("the store has no node identity") }
            return ReplicaState(
                nodeID: row["node_id"], bookingCodePrefix: row["code_prefix"], centralURL: row["central_url"],
                lastPushedSequence: row["last_pushed_seq"], pendingChanges: row["pending"],
                feedCursor: row["feed_cursor"], feedLag: row["feed_lag"],
                lastSyncAt: row["last_sync_at"], lastPushAt: row["last_push_at"], lastPullAt: row["last_pull_at"],
                lastSyncError: row["last_sync_error"], openConflicts: row["open_conflicts"], fork: StoreFork.fetch(row))
        }
    }

    /// Remembers head office's URL, so later syncs need not be told again.
    ///
    /// The URL is kept in the store, which is no place for a password: give it without one. The
    /// sync agent's `NodeCredentials` splits a node's URL, keeping its password in a libpq passfile
    /// beside the store (`<store>.pgpass`, mode 0600), and calls this with the rest.
    ///
    /// ```swift
    /// try await box.replica.rememberCentralURL("postgresql://node_braga_1@hq.example/boxoffice")
    /// ```
    ///
    /// When the URL changes, the store's write-ahead log is checkpointed and emptied as well, so the
    /// value it replaced is left in no file (the store overwrites what it deletes: `secure_delete`).
    public func rememberCentralURL(_ url: String) async throws {
        let changed = try await box.writer.write { db in
            let old = try String.fetchOne(db, sql: "SELECT central_url FROM sync_state WHERE singleton = 1")
            guard old != url else { return false }
            try db.execute(sql: "UPDATE sync_state SET central_url = ? WHERE singleton = 1", arguments: [url])
            return true
        }
        guard changed else { return }
        // Best effort: a reader in another process may keep the log busy; the next change retries.
        _ = try? await box.writer.writeWithoutTransaction { db in
            _ = try db.checkpoint(.truncate)
        }
    }

    /// Records why the last sync attempt failed (shown by `boxoffice sync status`); `nil` after a success.
    public func recordSyncFailure(_ message: String?) async throws {
        let now = box.now
        try await box.writer.write { db in
            if let message {
                try db.execute(sql: "UPDATE sync_state SET last_sync_error = ? WHERE singleton = 1", arguments: [message])
            } else {
                try db.execute(sql: "UPDATE sync_state SET last_sync_error = NULL, last_sync_at = ? WHERE singleton = 1",
                               arguments: [now])
            }
        }
    }

    /// The conflicts head office reported for this store and its cinema, newest first.
    public func conflicts(includeResolved: Bool = false) async throws -> [SyncConflict] {
        try await box.read { db in
            try SyncConflict.fetchAll(db, sql: """
                SELECT * FROM sync_conflicts WHERE ? OR status = 'open' ORDER BY created_at DESC, id
                """, arguments: [includeResolved])
        }
    }
}
