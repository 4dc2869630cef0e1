import Foundation
import GRDB

/// A booking: seats of one showtime, held for payment or paid, with its human code.
///
/// ```swift
/// let booking = try await box.sales.book(showtime: id, seats: ["F12", "F13"], by: customer)
/// print(booking.code, booking.status, booking.total.formatted)   // K7QX2M-0042 held Rp 100.000
/// ```
public struct Booking: Sendable, Hashable, Encodable, Identifiable {
    /// The booking's id.
    public var id: String
    /// The human code on the receipt: this counter's prefix and a local number, e.g. `K7QX2M-0042`.
    public var code: String
    /// The showtime's id.
    public var showtimeID: String
    /// The customer's user id; `nil` for a walk-in sale.
    public var userID: String?
    /// The name printed on the receipt, if known.
    public var customerName: String?
    /// The customer's email, if known.
    public var customerEmail: String?
    /// The node (counter) that made the booking.
    public var nodeID: String
    /// Where the booking was made.
    public var channel: BookingChannel
    /// Where the booking stands; a held booking whose hold ran out reads as ``BookingStatus/expired``.
    public var status: BookingStatus
    /// The sum of the tickets' prices.
    public var total: Money
    /// The payment method's code (`cash`, `qris`, …), once paid.
    public var paymentMethod: String?
    /// The external payment reference (EDC approval code, QRIS reference); never a card number.
    public var paymentReference: String?
    /// What was returned when a paid booking was cancelled.
    public var refundAmount: Money?
    /// When the hold runs out, while unpaid.
    public var holdExpiresAt: Date?
    /// When it was paid.
    public var soldAt: Date?
    /// The HLC stamp of the sale, which orders competing sales across counters.
    public var soldHLC: String?
    /// The user who made the booking (the customer, or the cashier).
    public var createdBy: String?
    /// When the booking was made.
    public var createdAt: Date
    /// When it last changed.
    public var updatedAt: Date
    /// The booking's tickets, in seat order.
    public var tickets: [Ticket]

    /// The labels of the booked seats, e.g. `["F12", "F13"]`.
    public var seats: [String] { tickets.map(\.seatLabel) }

    enum CodingKeys: String, CodingKey {
        case id, code, showtimeID = "showtime_id", userID = "user_id", customerName = "customer_name"
        case customerEmail = "customer_email", nodeID = "node_id", channel, status, total
        case paymentMethod = "payment_method", paymentReference = "payment_reference", refundAmount = "refund_amount"
        case holdExpiresAt = "hold_expires_at", soldAt = "sold_at", createdBy = "created_by"
        case createdAt = "created_at", updatedAt = "updated_at", tickets, seats
    }

    /// Encodes the public fields (`schemas/json/booking.schema.json`) and the seat labels as
    /// `seats`, with snake_case keys; the internal ``soldHLC`` stays out.
    ///
    /// ```swift
    /// let json = try JSONEncoder().encode(booking)   // {"code": "K7QX2M-0042", "seats": ["F12"], …}
    /// ```
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(code, forKey: .code)
        try container.encode(showtimeID, forKey: .showtimeID)
        try container.encode(userID, forKey: .userID)
        try container.encode(customerName, forKey: .customerName)
        try container.encode(customerEmail, forKey: .customerEmail)
        try container.encode(nodeID, forKey: .nodeID)
        try container.encode(channel, forKey: .channel)
        try container.encode(status, forKey: .status)
        try container.encode(total, forKey: .total)
        try container.encode(paymentMethod, forKey: .paymentMethod)
        try container.encode(paymentReference, forKey: .paymentReference)
        try container.encode(refundAmount, forKey: .refundAmount)
        try container.encode(holdExpiresAt, forKey: .holdExpiresAt)
        try container.encode(soldAt, forKey: .soldAt)
        try container.encode(createdBy, forKey: .createdBy)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
        try container.encode(tickets, forKey: .tickets)
        try container.encode(seats, forKey: .seats)
    }
}

extension Booking {
    /// The stored status and hold expiry of a booking, for the rules that change it.
    struct State {
        var id: String
        var code: String
        var showtimeID: String
        var userID: String?
        var status: BookingStatus
        var total: Money
        var holdExpiresAt: Date?

        /// The state the booking reads as at `now`: a hold that ran out reads as expired.
        func status(at now: Date) -> BookingStatus {
            BookingStatus.effective(status, holdExpiresAt: holdExpiresAt, at: now)
        }

        /// Throws, in a cashier's words, why the booking cannot move to `next` at `now`
        /// (``BookingStatus/canMove(to:)``); returns when it may.
        func checkMove(to next: BookingStatus, at now: Date) throws(SaleError) {
            let current = status(at: now)
            guard !current.canMove(to: next) else { return }
            switch (current, next) {
            case (.paid, .paid): throw SaleError.alreadyPaid(code)
            case (.expired, .paid): throw SaleError.holdExpired(code)
            default: throw SaleError.bookingClosed(code, status: current)
            }
        }

        /// The booking with this code, or with this code on its receipt when head office gave it
        /// another (a ``SyncConflict/Kind/recoded`` record); ``SaleError/bookingNotFound(_:)``, or
        /// ``SaleError/codePrintedTwice(_:sales:)`` when the code was printed for more than one sale.
        static func fetch(_ db: Database, code: String) throws -> State {
            let code = code.trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
            let rows = try Row.fetchAll(db, sql: """
                SELECT id, code, showtime_id, user_id, status, total, hold_expires_at,
                       (SELECT group_concat(label, ' ') FROM (SELECT se.label FROM tickets t JOIN seats se ON se.id = t.seat_id
                                                             WHERE t.booking_id = b.id ORDER BY se.grid_row, se.grid_column)) AS seats
                FROM bookings b
                WHERE code = :code
                   OR id IN (SELECT booking_id FROM sync_conflicts WHERE kind = 'recoded' AND printed_code = :code)
                ORDER BY code = :code DESC, code
                """, arguments: ["code": code])
            guard let row = rows.first else { throw SaleError.bookingNotFound(code) }
            guard rows.count == 1 else {
                throw SaleError.codePrintedTwice(code, sales: rows.map { "\($0["code"] as String) (\($0["seats"] as String? ?? "no seat"))" })
            }
            return State(
                id: row["id"], code: row["code"], showtimeID: row["showtime_id"], userID: row["user_id"],
                status: BookingStatus(rawValue: row["status"]) ?? .cancelled, total: Money(rupiah: row["total"]),
                holdExpiresAt: row["hold_expires_at"])
        }

        /// Throws ``SaleError/notYourBooking(_:)`` unless `principal` owns the booking or is staff.
        func checkAccess(by principal: Principal) throws(SaleError) {
            guard principal.role.includes(.cashier) || userID == principal.userID else {
                throw SaleError.notYourBooking(code)
            }
        }

        /// Throws ``SaleError/notYourBooking(_:)`` unless the ownership table lets `principal`
        /// change the booking and its tickets: staff any booking, a customer only their own.
        func checkChange(by principal: Principal) throws(SaleError) {
            guard principal.may(.update(.bookings, of: .customer(userID))),
                  principal.may(.update(.tickets, of: .customer(userID)))
            else { throw SaleError.notYourBooking(code) }
        }
    }

    /// The booking with this id as the public type, its status as seen at `now`.
    static func fetch(_ db: Database, id: String, now: Date) throws -> Booking {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT b.*, pm.code AS method_code FROM bookings b
            LEFT JOIN payment_methods pm ON pm.id = b.payment_method_id
            WHERE b.id = ?
            """), arguments: [id])
        else { throw SaleError.bookingNotFound(id) }
        let holdExpiresAt: Date? = row["hold_expires_at"]
        let status = BookingStatus.effective(
            BookingStatus(rawValue: row["status"]) ?? .cancelled, holdExpiresAt: holdExpiresAt, at: now)
        return Booking(
            id: row["id"], code: row["code"], showtimeID: row["showtime_id"], userID: row["user_id"],
            customerName: row["customer_name"], customerEmail: row["customer_email"], nodeID: row["node_id"],
            channel: BookingChannel(rawValue: row["channel"]) ?? .counter, status: status, total: Money(rupiah: row["total"]),
            paymentMethod: row["method_code"], paymentReference: row["payment_reference"],
            refundAmount: (row["refund_amount"] as Int?).map(Money.init(rupiah:)),
            holdExpiresAt: holdExpiresAt, soldAt: row["sold_at"], soldHLC: row["sold_hlc"],
            createdBy: row["created_by"], createdAt: row["created_at"], updatedAt: row["updated_at"],
            tickets: try Ticket.fetchAll(db, bookingID: id))
    }
}
