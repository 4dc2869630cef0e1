/// A run of consecutive change-log entries, ready to send to head office in one round trip.
public struct ChangeBatch: Sendable, Hashable {
    /// The first and last change-log sequence in the batch.
    public var firstSequence: Int64
    public var lastSequence: Int64
    /// How many changes it holds.
    public var count: Int
    /// The changes as a JSON array of `{seq, hlc, entity, entity_id, operation, payload}`, the shape
    /// head office's `sync_api.push` takes.
    public var json: String
}
