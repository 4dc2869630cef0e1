import Foundation

/// A conflict head office recorded while merging a node's changes: a sale moved to another seat,
/// a sale that needs a refund, or a change it rejected — with both sides, for a person to resolve.
public struct SyncConflict: Sendable, Hashable, Codable, Identifiable {
    public var id: String
    /// The cinema it concerns.
    public var cinemaID: String
    /// The node whose change lost.
    public var nodeName: String
    /// `reseated`, `refund_required` or `rejected`.
    public var kind: String
    public var entity: String
    public var entityID: String
    public var bookingID: String?
    public var showtimeID: String?
    /// The seat the node sold, and the seat head office gave instead (if any).
    public var seatBefore: String?
    public var seatAfter: String?
    /// Why, in words.
    public var reason: String
    /// `open` or `resolved`.
    public var status: String
    /// How it was resolved, by whom.
    public var resolution: String?

    enum CodingKeys: String, CodingKey {
        case id, kind, entity, reason, status, resolution
        case cinemaID = "cinema_id"
        case nodeName = "node_name"
        case entityID = "entity_id"
        case bookingID = "booking_id"
        case showtimeID = "showtime_id"
        case seatBefore = "seat_before"
        case seatAfter = "seat_after"
    }

    static func decode(json: String) throws -> SyncConflict {
        try JSONDecoder().decode(SyncConflict.self, from: Data(json.utf8))
    }
}
