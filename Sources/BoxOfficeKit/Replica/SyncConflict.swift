import GRDB

/// A conflict head office recorded while merging a node's changes: a sale moved to another seat, a
/// sale that needs a refund, or a change it rejected — with the reason and both sides, for a person
/// to resolve; or a row of head office's feed this counter quarantined.
///
/// Counters read them from their store (``Replica/conflicts(includeResolved:)``, kept up to date by
/// pull); head office reads the same records from PostgreSQL (`HeadOffice.conflicts`).
public struct SyncConflict: Sendable, Hashable, Codable, Identifiable, FetchableRecord {
    /// Head office's id of the conflict; use it to resolve.
    public var id: String
    /// What head office did with the change.
    public var kind: Kind
    /// The node whose change lost, as head office names it.
    public var nodeName: String?
    public var entity: String
    public var entityID: String
    public var bookingID: String?
    public var showtimeID: String?
    /// The seat sold here, and the seat head office gave instead.
    public var seatBefore: String?
    public var seatAfter: String?
    /// Why, in words.
    public var reason: String
    /// Both sides as head office saw them (JSON), when it sent them.
    public var details: String?
    /// Whether a person still has to act on it.
    public var status: Status
    public var resolution: String?
    public var createdAt: String
    public var resolvedAt: String?

    /// What head office did with a change it could not take as sent.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// A sale whose seat was taken, moved to another seat of the same kind.
        case reseated
        /// A sale whose seat was taken with no seat of its kind left: the customer needs a refund.
        case refundRequired = "refund_required"
        /// A change that breaks a rule at head office, with the reason.
        case rejected
        /// A row of head office's feed this counter could not apply (its payload unreadable, or
        /// not a row of its table): kept aside with the reason, and the pull went on without it.
        case quarantined
    }

    /// Whether a conflict still waits for a person.
    public enum Status: String, Sendable, Hashable, Codable, CaseIterable {
        /// Waiting to be resolved.
        case open
        /// Resolved, with its ``SyncConflict/resolution``.
        case resolved
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, entity, reason, details, status, resolution
        case nodeName = "node_name"
        case entityID = "entity_id"
        case bookingID = "booking_id"
        case showtimeID = "showtime_id"
        case seatBefore = "seat_before"
        case seatAfter = "seat_after"
        case createdAt = "created_at"
        case resolvedAt = "resolved_at"
    }
}
