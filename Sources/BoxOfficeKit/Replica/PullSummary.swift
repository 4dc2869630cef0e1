/// What one applied feed page held.
public struct PullSummary: Sendable, Hashable, Codable {
    /// Rows in the page.
    public var received = 0
    /// Rows waiting in this store after the page because a row they refer to has not arrived yet;
    /// each page tries them again (see ``Replica/applyFeed(_:)``).
    public var skipped = 0
    /// Rows this store could not apply at all, kept aside as ``SyncConflict/Kind/quarantined``
    /// conflicts; the pull went on past them.
    public var quarantined = 0
    /// The feed position after the page: a map from scope to the last number applied, as JSON text.
    public var cursor = "0"
    /// Rows still waiting at head office.
    public var lag: Int?

    public init(received: Int = 0) {
        self.received = received
    }
}
