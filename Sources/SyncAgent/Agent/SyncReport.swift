import BoxOfficeKit

/// What one sync round moved.
public struct SyncReport: Sendable, Hashable, Codable {
    /// The outcomes of the pushed changes.
    public var pushed: PushSummary
    /// Feed rows received and applied (including ones older than what this store had).
    public var pulled: Int
    /// Feed rows this store could not take (their parent is not here).
    public var skipped: Int
    /// Feed rows this store could not apply at all, quarantined as conflicts (`boxoffice conflicts`).
    public var quarantined: Int = 0
    /// Feed rows still waiting at head office (rows of transactions that were still open).
    public var feedLag: Int
    /// The store's fork, when this round found it or the store found it by itself since the last
    /// sync (it was restored from a backup or copied; see `StoreFork`); `nil` otherwise.
    public var fork: StoreFork?

    enum CodingKeys: String, CodingKey {
        case pushed, pulled, skipped, quarantined, fork
        case feedLag = "feed_lag"
    }

    // `fork` is written as null when there is none, as the JSON schema wants every key.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(pushed, forKey: .pushed)
        try container.encode(pulled, forKey: .pulled)
        try container.encode(skipped, forKey: .skipped)
        try container.encode(quarantined, forKey: .quarantined)
        try container.encode(feedLag, forKey: .feedLag)
        try container.encode(fork, forKey: .fork)
    }
}
