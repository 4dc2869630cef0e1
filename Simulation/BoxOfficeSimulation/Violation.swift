/// A broken promise the checker found in a run's history.
public struct Violation: Sendable, Hashable, CustomStringConvertible {
    /// Which promise.
    public enum Rule: String, Sendable, Hashable, CaseIterable {
        /// A printed receipt has no booking at head office.
        case saleVanished = "sale vanished"
        /// A receipt's seats, amount or code changed at head office with no conflict naming it.
        case changedSilently = "changed silently"
        /// A booking code does not lead to exactly the booking its receipt was printed for.
        case codeAmbiguous = "code ambiguous"
        /// A booking ended in a state earlier (in the merge order) than one it had been in.
        case stateBackwards = "state moved backwards"
        /// A counter's copy of its cinema differs from head office's.
        case copyDiverged = "copy diverged"
        /// Head office's inbox does not hold each of a node's changes exactly once, or the feed
        /// published one change twice.
        case appliedTwice = "change applied twice or lost"
        /// A sale of seats allotted to its counter, which nobody else sold, ended in a conflict.
        case allotmentConflicted = "allotment conflicted"
        /// A showtime head office cancelled still has active tickets, or a paid sale of it that
        /// nothing keeps for a refund.
        case cancelledShowtimeSold = "cancelled showtime sold"
        /// Some counter still had changes pending after the allowed sync rounds.
        case queueWedged = "queue wedged"
    }

    /// The promise broken.
    public var rule: Rule
    /// What broke it, naming the receipt, booking or counter.
    public var detail: String

    /// A violation of `rule`.
    public init(rule: Rule, detail: String) {
        self.rule = rule
        self.detail = detail
    }

    public var description: String { "\(rule.rawValue): \(detail)" }
}
