import Foundation
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
    /// The table of the changed row (`bookings`, `tickets`, …).
    public var entity: String
    /// The id of the changed row.
    public var entityID: String
    /// The booking concerned, if any.
    public var bookingID: String?
    /// The showtime concerned, if any.
    public var showtimeID: String?
    /// The seat sold here.
    public var seatBefore: String?
    /// The seat head office gave instead.
    public var seatAfter: String?
    /// Why, in words.
    public var reason: String
    /// Both sides as head office saw them (`node_side`, `central_side`), when it sent them.
    public var details: JSONValue?
    /// Whether a person still has to act on it.
    public var status: Status
    /// How it was resolved, once it is.
    public var resolution: String?
    /// When head office (or, for an outcome not yet pulled, this store) recorded it.
    public var createdAt: Date
    /// When it was resolved.
    public var resolvedAt: Date?
    /// For a ``Kind/recoded`` booking: the code printed on its receipt, which still finds it.
    public var printedCode: String?

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
        /// A sale of a store that was restored from a backup or copied, whose receipt shows a
        /// booking code another sale of this counter holds: head office gave it a new code, and this
        /// record keeps the printed one (``SyncConflict/printedCode``), which still finds the sale.
        /// Nothing is left to do: it is recorded resolved.
        case recoded
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
        case printedCode = "printed_code"
    }

    /// Reads a conflict from a store row or from head office's JSON: times in any of the stores'
    /// text forms, `details` as JSON text or a JSON object.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        kind = try container.decode(Kind.self, forKey: .kind)
        nodeName = try container.decodeIfPresent(String.self, forKey: .nodeName)
        entity = try container.decode(String.self, forKey: .entity)
        entityID = try container.decode(String.self, forKey: .entityID)
        bookingID = try container.decodeIfPresent(String.self, forKey: .bookingID)
        showtimeID = try container.decodeIfPresent(String.self, forKey: .showtimeID)
        seatBefore = try container.decodeIfPresent(String.self, forKey: .seatBefore)
        seatAfter = try container.decodeIfPresent(String.self, forKey: .seatAfter)
        reason = try container.decode(String.self, forKey: .reason)
        if let text = try? container.decodeIfPresent(String.self, forKey: .details) {
            details = try? JSONValue(parsing: text)
        } else {
            details = try container.decodeIfPresent(JSONValue.self, forKey: .details)
        }
        status = try container.decode(Status.self, forKey: .status)
        resolution = try container.decodeIfPresent(String.self, forKey: .resolution)
        func instant(_ key: CodingKeys) throws -> Date? {
            guard let text = try container.decodeIfPresent(String.self, forKey: key) else { return nil }
            guard let date = Timestamp.parse(text) else {
                throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "not a time: \(text)")
            }
            return date
        }
        createdAt = try instant(.createdAt) ?? Date(timeIntervalSince1970: 0)
        resolvedAt = try instant(.resolvedAt)
        printedCode = try container.decodeIfPresent(String.self, forKey: .printedCode)
    }

    /// Encodes every field (`schemas/json/sync-conflict.schema.json`): `details` as a JSON object,
    /// times as dates.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(kind, forKey: .kind)
        try container.encode(nodeName, forKey: .nodeName)
        try container.encode(entity, forKey: .entity)
        try container.encode(entityID, forKey: .entityID)
        try container.encode(bookingID, forKey: .bookingID)
        try container.encode(showtimeID, forKey: .showtimeID)
        try container.encode(seatBefore, forKey: .seatBefore)
        try container.encode(seatAfter, forKey: .seatAfter)
        try container.encode(reason, forKey: .reason)
        try container.encode(details, forKey: .details)
        try container.encode(status, forKey: .status)
        try container.encode(resolution, forKey: .resolution)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(resolvedAt, forKey: .resolvedAt)
        try container.encode(printedCode, forKey: .printedCode)
    }
}
