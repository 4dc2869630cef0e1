/// How many pushed changes head office accepted, reseated, flagged for refund or rejected, and how
/// many it found forked (``StoreFork``), which this store sends again under new numbers.
public struct PushSummary: Sendable, Hashable, Codable {
    public var accepted = 0
    public var reseated = 0
    public var refundRequired = 0
    public var rejected = 0
    /// Changes head office did not take because this store was restored or copied; they are numbered
    /// again and sent again (not counted in ``total``: their outcomes come with the resend).
    public var forked = 0

    public init() {}

    /// All outcomes counted.
    public var total: Int { accepted + reseated + refundRequired + rejected }

    mutating func count(_ status: PushOutcome.Status) {
        switch status {
        case .accepted: accepted += 1
        case .reseated: reseated += 1
        case .refundRequired: refundRequired += 1
        case .rejected: rejected += 1
        case .forked: forked += 1
        }
    }

    /// Adds another summary's counts to this one.
    public mutating func add(_ other: PushSummary) {
        accepted += other.accepted
        reseated += other.reseated
        refundRequired += other.refundRequired
        rejected += other.rejected
        forked += other.forked
    }

    enum CodingKeys: String, CodingKey {
        case accepted, reseated, rejected, forked
        case refundRequired = "refund_required"
    }
}
