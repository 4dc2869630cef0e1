import Foundation

/// Where a store stands with head office: what waits to be pushed, how far it has pulled.
public struct ReplicaState: Sendable, Hashable, Codable {
    /// This store's node id.
    public var nodeID: String
    /// The prefix of this store's booking codes.
    public var bookingCodePrefix: String
    /// The head-office URL remembered from the last sync, if any. It is kept without the node's
    /// password, which the sync agent keeps in `<store>.pgpass` (a store made by an earlier build may
    /// still hold one here until its next sync moves it).
    public var centralURL: String?
    /// The last change-log sequence head office has confirmed.
    public var lastPushedSequence: Int64
    /// Local changes head office has not confirmed yet.
    public var pendingChanges: Int
    /// How far this store has applied head office's feed: a map from scope (`chain`, or a cinema's
    /// id) to the last number applied, as JSON text (`"0"` before the first pull).
    public var feedCursor: String
    /// Feed rows that were still waiting at head office after the last pull.
    public var feedLag: Int?
    /// The last sync round that completed.
    public var lastSyncAt: Date?
    public var lastPushAt: Date?
    public var lastPullAt: Date?
    /// Why the last attempt failed, if it did.
    public var lastSyncError: String?
    /// Conflicts still waiting for a person.
    public var openConflicts: Int
    /// Whether this store learned it was restored from a backup or copied, and what it did.
    public var fork: StoreFork?

    enum CodingKeys: String, CodingKey {
        case nodeID = "node_id"
        case bookingCodePrefix = "booking_code_prefix"
        case lastPushedSequence = "last_pushed_sequence"
        case pendingChanges = "pending_changes"
        case feedCursor = "feed_cursor"
        case feedLag = "feed_lag"
        case lastSyncAt = "last_sync_at"
        case lastPushAt = "last_push_at"
        case lastPullAt = "last_pull_at"
        case lastSyncError = "last_sync_error"
        case openConflicts = "open_conflicts"
        case fork
    }

    // The URL may carry a password (an earlier build's store): it never goes into JSON output.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(nodeID, forKey: .nodeID)
        try container.encode(bookingCodePrefix, forKey: .bookingCodePrefix)
        try container.encode(lastPushedSequence, forKey: .lastPushedSequence)
        try container.encode(pendingChanges, forKey: .pendingChanges)
        try container.encode(feedCursor, forKey: .feedCursor)
        try container.encode(feedLag, forKey: .feedLag)
        try container.encode(lastSyncAt, forKey: .lastSyncAt)
        try container.encode(lastPushAt, forKey: .lastPushAt)
        try container.encode(lastPullAt, forKey: .lastPullAt)
        try container.encode(lastSyncError, forKey: .lastSyncError)
        try container.encode(openConflicts, forKey: .openConflicts)
        try container.encode(fork, forKey: .fork)
    }
}
