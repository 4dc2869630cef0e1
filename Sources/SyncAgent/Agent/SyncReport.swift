import BoxOfficeKit

/// What one sync round moved.
public struct SyncReport: Sendable, Hashable, Codable {
    /// The outcomes of the pushed changes.
    public var pushed: PushSummary
    /// Feed rows received and applied (including ones older than what this store had).
    public var pulled: Int
    /// Feed rows waiting in this store for a row they need (their parent has not arrived yet);
    /// they are tried again with every page.
    public var skipped: Int
    /// Feed rows this store could not apply at all, quarantined as conflicts (`boxoffice conflicts`).
    public var quarantined: Int = 0
    /// Feed rows still waiting at head office after the last page.
    public var feedLag: Int
    /// The store's fork, when this round found it or the store found it by itself since the last
    /// sync (it was restored from a backup or copied; see `StoreFork`); `nil` otherwise.
    public var fork: StoreFork?
    /// How far this counter's clock is ahead of head office's, in seconds (negative: behind),
    /// measured at the start of the round; `nil` when it could not be measured.
    public var clockOffset: Double? = nil

    /// The offset past which the cashier is warned: head office stamps a sale by its own clock
    /// once the counter is more than its allowed skew (5 minutes) off, and holds run out early or
    /// late by as much as the clock is wrong.
    public static let clockWarningSeconds: Double = 60

    /// The warning for the cashier when this counter's clock is off by more than
    /// ``clockWarningSeconds``, e.g. "this counter's clock is 2 h 0 min ahead of head office's: set
    /// it right (holds run out by it, and receipts print its time)".
    public var clockWarning: String? {
        guard let clockOffset, abs(clockOffset) > Self.clockWarningSeconds else { return nil }
        let minutes = Int((abs(clockOffset) / 60).rounded())
        let amount = minutes >= 60 ? "\(minutes / 60) h \(minutes % 60) min" : "\(minutes) min"
        return "this counter's clock is \(amount) \(clockOffset > 0 ? "ahead of" : "behind") head office's: "
            + "set it right (holds run out by it, and receipts print its time)"
    }

    enum CodingKeys: String, CodingKey {
        case pushed, pulled, skipped, quarantined, fork
        case feedLag = "feed_lag"
        case clockOffset = "clock_offset_seconds"
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
        try container.encode(clockOffset, forKey: .clockOffset)
    }
}
