import GRDB

/// A conflict head office recorded while merging a node's changes: a sale moved to another seat, a
/// sale that needs a refund, or a change it rejected — with the reason and both sides, for a person
/// to resolve.
///
/// Counters read them from their store (``Replica/conflicts(includeResolved:)``, kept up to date by
/// pull); head office reads the same records from PostgreSQL (`HeadOffice.conflicts`).
public struct SyncConflict: Sendable, Hashable, Codable, Identifiable, FetchableRecord {
    /// Head office's id of the conflict; use it to resolve.
    public var id: String
    /// `reseated`, `refund_required` or `rejected`.
    public var kind: String
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
    /// `open` or `resolved`.
    public var status: String
    public var resolution: String?
    public var createdAt: String
    public var resolvedAt: String?

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
