/// Progress of a long push or pull, for a terminal.
public struct SyncProgress: Sendable, Hashable {
    public enum Phase: String, Sendable { case push, pull }
    public var phase: Phase
    public var done: Int
    public var total: Int
}
