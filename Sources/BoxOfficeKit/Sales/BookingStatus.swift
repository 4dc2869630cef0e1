/// Where a booking stands. States only move forward:
/// `held → pending_payment → paid`, any of those `→ cancelled`, `paid → refunded`,
/// `held/pending_payment → expired`.
///
/// ```swift
/// let unpaid = try await box.sales.bookings(status: .held, by: customer)
/// ```
public enum BookingStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Seats held for payment until the hold runs out.
    case held
    /// Waiting for an external payment to be confirmed; seats still held.
    case pendingPayment = "pending_payment"
    /// Paid: the seats are sold.
    case paid
    /// Cancelled before payment; seats released.
    case cancelled
    /// Cancelled after payment and the money returned; seats released.
    case refunded
    /// The hold ran out before payment; seats released.
    case expired

    /// Whether the booking still holds its seats without having paid.
    var isHolding: Bool { self == .held || self == .pendingPayment }
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
