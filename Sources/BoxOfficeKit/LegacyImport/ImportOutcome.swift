/// What writing an ``ImportBatch`` settled against what the store or head office already had.
///
/// The plan knows only the old database; these decisions need the target's current rows:
/// - an account whose email (ignoring case) exists already is not added: its old id names the
///   existing account, which takes its bookings (one account per email);
/// - a payment method whose code exists already is not added: its old id names that method;
/// - a showtime that would overlap a scheduled one in its studio is imported cancelled;
/// - a ticket whose seat is taken (an earlier old booking of the same seat, or a sale made since)
///   gives the seat up: a paid booking stays paid and gets a refund-required conflict record, a
///   held one is expired.
///
/// Head office returns the same shape as JSON (`central.import_legacy`).
///
/// ```swift
/// let outcome = try await box.legacyImport.apply(plan.batch)
/// for lost in outcome.lostSeats { print(lost.bookingID, lost.outcome) }
/// ```
public struct ImportOutcome: Sendable, Hashable, Codable {
    /// A planned row that became another, existing one.
    public struct Merge: Sendable, Hashable, Codable {
        /// The planned row's id.
        public var id: String
        /// The existing row it became.
        public var into: String

        /// Creates a merge.
        public init(id: String, into: String) {
            self.id = id
            self.into = into
        }
    }

    /// A showtime imported cancelled because it overlaps a scheduled one in its studio.
    public struct Overlap: Sendable, Hashable, Codable {
        /// The imported showtime.
        public var id: String
        /// The scheduled showtime it overlaps, when the target names it (head office does not).
        public var overlaps: String?

        /// Creates an overlap.
        public init(id: String, overlaps: String?) {
            self.id = id
            self.overlaps = overlaps
        }
    }

    /// A ticket that found its seat taken.
    public struct LostSeat: Sendable, Hashable, Codable {
        /// What became of its booking.
        public enum Outcome: String, Sendable, Hashable, Codable {
            /// Paid: kept paid, its ticket released, a conflict record asks for a refund.
            case refundRequired = "refund_required"
            /// Unpaid: expired, its seats given back.
            case expired
        }

        /// The imported booking.
        public var bookingID: String
        /// Its ticket that lost the seat.
        public var ticketID: String
        /// The booking that holds the seat.
        public var holderBookingID: String
        /// What became of the imported booking.
        public var outcome: Outcome
        /// The refund-required conflict record, for a paid booking.
        public var conflictID: String?

        /// Creates a lost seat.
        public init(bookingID: String, ticketID: String, holderBookingID: String, outcome: Outcome, conflictID: String?) {
            self.bookingID = bookingID
            self.ticketID = ticketID
            self.holderBookingID = holderBookingID
            self.outcome = outcome
            self.conflictID = conflictID
        }

        enum CodingKeys: String, CodingKey {
            case bookingID = "booking_id", ticketID = "ticket_id", holderBookingID = "holder_booking_id"
            case outcome, conflictID = "conflict_id"
        }
    }

    /// Accounts whose email the target had already.
    public var mergedUsers: [Merge] = []
    /// Payment methods whose code the target had already.
    public var reusedPaymentMethods: [Merge] = []
    /// Showtimes imported cancelled.
    public var cancelledShowtimes: [Overlap] = []
    /// Tickets that found their seat taken.
    public var lostSeats: [LostSeat] = []

    /// Nothing settled.
    public init() {}

    enum CodingKeys: String, CodingKey {
        case mergedUsers = "merged_users", reusedPaymentMethods = "reused_payment_methods"
        case cancelledShowtimes = "cancelled_showtimes", lostSeats = "lost_seats"
    }
}
