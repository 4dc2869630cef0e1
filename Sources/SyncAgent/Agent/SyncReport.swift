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

    enum CodingKeys: String, CodingKey {
        case pushed, pulled, skipped, quarantined
        case feedLag = "feed_lag"
    }
}
