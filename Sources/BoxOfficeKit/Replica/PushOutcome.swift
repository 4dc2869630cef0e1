import Foundation

/// What head office decided about one pushed change.
public struct PushOutcome: Sendable, Hashable, Decodable {
    /// What happened to a change.
    public enum Status: String, Sendable, Hashable, Decodable {
        /// Applied as sent (or already superseded by a newer version there).
        case accepted
        /// A sale whose seat was taken, moved to another seat of the same kind.
        case reseated
        /// A sale whose seat was taken with no seat of its kind left: the customer needs a refund.
        case refundRequired = "refund_required"
        /// A change that breaks a rule at head office, with the reason; it stays here for a person.
        case rejected
        /// Not taken: head office already holds another change under this sequence number from this
        /// node, so this store was restored from a backup or copied (``StoreFork``). The change is
        /// sent again from ``PushOutcome/nextSequence`` on.
        case forked
    }

    /// The change-log sequence of the change.
    public var seq: Int64
    public var status: Status
    /// Why, for rejections and seat conflicts.
    public var reason: String?
    /// Head office's conflict record, when there is one.
    public var conflictID: String?
    /// For a reseat: the new seat's id and label, and the label of the seat sold here. For a sale
    /// that needs a refund, `seatID` is the seat head office released its ticket on (another than
    /// the one sold here when head office had moved the ticket before).
    public var seatID: String?
    public var seatAfter: String?
    public var seatBefore: String?
    /// Head office's stamp of its decision.
    public var hlc: String?
    /// For a new customer account: head office has still to check its email against the chain's
    /// other accounts, which it does after the push (`sync_api.merge_accounts`): an account
    /// registered offline with an email another counter registered first becomes an alias of that
    /// one there, and its bookings follow.
    public var mergePending: Bool?
    /// For a booking given a new code (another sale of this counter holds the printed one): the
    /// code head office gave it.
    public var code: String?
    /// For a booking given a new code: the code printed on its receipt.
    public var printedCode: String?
    /// For a forked change: the first sequence number this node may use again.
    public var nextSequence: Int64?
    /// The stamp head office took the change with, when it is not the one sent (a clock far ahead
    /// is clamped): the row here takes it too, so head office's later changes to it win here.
    public var takenHLC: String?

    enum CodingKeys: String, CodingKey {
        case seq, status, reason, hlc
        case conflictID = "conflict_id"
        case seatID = "seat_id"
        case seatAfter = "seat_after"
        case seatBefore = "seat_before"
        case mergePending = "merge_pending"
        case code
        case printedCode = "printed_code"
        case nextSequence = "next_seq"
        case takenHLC = "taken_hlc"
    }

    /// Decodes the JSON array `sync_api.push` returns.
    public static func decodeList(_ json: String) throws -> [PushOutcome] {
        try JSONDecoder().decode([PushOutcome].self, from: Data(json.utf8))
    }
}
