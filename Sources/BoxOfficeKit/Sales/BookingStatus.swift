import Foundation

/// Where a booking stands, and where it may go.
///
/// The moves form a partial order:
///
/// ```
/// held → pending_payment → paid → refund_due → refunded
/// held → paid → refunded              (staff take the money, staff give it back)
/// held, pending_payment → cancelled   (closed before any money was taken)
/// held, pending_payment → expired     (the hold ran out; only the booking's own node expires it)
/// ```
///
/// `pending_payment` is a **submitted** payment: a customer paid by themselves with a reference
/// nobody has checked; it keeps its seats for its hold and is paid only when staff (or a payment
/// provider) confirm it. `refund_due` is a paid booking its customer cancelled: the seats are
/// free again, the money is still the cinema's until staff return it. A paid booking ends only by
/// refund. Two copies of one booking (this store's and head office's,
/// or two counters') merge to the later state of ``mergeOrder``, an order that extends the moves
/// and decides the pairs they leave open so that money wins: a sale that took the customer's money
/// is never undone by another copy's expiry or cancellation.
///
/// This is the booking-states rule in Swift; the store's `rules/booking_states.sql` and head
/// office's say the same in SQL, and a test proves the three agree on every pair.
///
/// ```swift
/// BookingStatus.held.canMove(to: .paid)          // true
/// BookingStatus.held.canMove(to: .refunded)      // false: nothing was paid
/// BookingStatus.expired.merged(with: .paid)      // .paid
/// ```
public enum BookingStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Seats held for payment until the hold runs out.
    case held
    /// Payment submitted: a customer's own payment waiting for staff or a provider to confirm it;
    /// seats still held for the hold.
    case pendingPayment = "pending_payment"
    /// Paid: the seats are sold.
    case paid
    /// Cancelled by its customer after payment: seats released, the money still to be returned by staff.
    case refundDue = "refund_due"
    /// Closed before payment; seats released.
    case cancelled
    /// Closed after payment and the money returned; seats released.
    case refunded
    /// The hold ran out before payment; seats released.
    case expired

    /// The states a booking may move to from this one.
    public var moves: Set<BookingStatus> {
        switch self {
        case .held: [.pendingPayment, .paid, .cancelled, .expired]
        case .pendingPayment: [.paid, .cancelled, .expired]
        case .paid: [.refundDue, .refunded]
        case .refundDue: [.refunded]
        case .cancelled, .refunded, .expired: []
        }
    }

    /// Whether a booking may move from this state to `next`.
    public func canMove(to next: BookingStatus) -> Bool { moves.contains(next) }

    /// Every state, earliest first, in the order two copies of a booking merge by: each move goes
    /// later, and of two states no move connects, the one where money was taken is later.
    public static let mergeOrder: [BookingStatus] = [.held, .pendingPayment, .expired, .cancelled, .paid, .refundDue, .refunded]

    /// The state that wins when a copy in this state merges with a copy in `other`.
    public func merged(with other: BookingStatus) -> BookingStatus {
        mergeRank >= other.mergeRank ? self : other
    }

    /// This state's place in ``mergeOrder``, from 1.
    var mergeRank: Int { (Self.mergeOrder.firstIndex(of: self) ?? -1) + 1 }

    /// Where the booking's money is, in words for a receipt or a history: "paid", "payment
    /// submitted, not yet confirmed", "refund due", …
    public var moneyState: String {
        switch self {
        case .held: "not paid"
        case .pendingPayment: "payment submitted, not yet confirmed"
        case .paid: "paid"
        case .refundDue: "refund due: to be returned at the counter"
        case .refunded: "refunded"
        case .cancelled: "cancelled, nothing paid"
        case .expired: "expired, nothing paid"
        }
    }

    /// Whether the booking still holds its seats without having paid.
    var isHolding: Bool { self == .held || self == .pendingPayment }

    /// The state a booking in `status` reads as at `now`: a hold that ran out reads as expired,
    /// before any sweep marks it so.
    static func effective(_ status: BookingStatus, holdExpiresAt: Date?, at now: Date) -> BookingStatus {
        status.isHolding && (holdExpiresAt.map { $0 <= now } ?? false) ? .expired : status
    }

    /// ``effective(_:holdExpiresAt:at:)`` in SQL, for the booking aliased `booking`, given `:now`.
    static func effectiveSQL(_ booking: String) -> String {
        "(CASE WHEN \(booking).status IN ('held', 'pending_payment') AND NOT \(holdLiveSQL(booking)) THEN 'expired' ELSE \(booking).status END)"
    }

    /// In SQL, whether the hold of the booking aliased `booking` has not run out at `:now` (whatever
    /// its state): the one comparison of a hold's expiry with the clock.
    static func holdLiveSQL(_ booking: String) -> String {
        "(\(booking).hold_expires_at IS NULL OR \(booking).hold_expires_at > :now)"
    }
}

/// For whom a booking is made.
///
/// ```swift
/// try await box.sales.book(showtime: id, seats: ["F12"], for: .walkIn(name: "Budi"), by: cashier)
/// ```
public enum BookingCustomer: Sendable, Hashable {
    /// The logged-in user, for themselves.
    case me
    /// A registered customer, found by email (staff only).
    case account(email: String)
    /// Someone at the counter without an account, optionally with a name for the receipt (staff only).
    case walkIn(name: String?)
}
