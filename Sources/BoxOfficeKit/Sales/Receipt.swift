import Foundation
import GRDB

/// A printable plain-text receipt of a booking: cinema, studio, movie, local start time, seats,
/// prices, total, payment method and reference, and the booking code.
///
/// ```swift
/// let receipt = try await box.sales.receipt(code: booking.code, by: cashier)
/// print(receipt.text)
/// ```
public struct Receipt: Sendable, Hashable, Encodable, CustomStringConvertible {
    /// The booking code.
    public var code: String
    /// Where the booking stands.
    public var status: BookingStatus
    /// The movie, cinema, studio and start time.
    public var showtime: Showtime
    /// The seats and what each cost.
    public var tickets: [Ticket]
    /// The sum of the tickets' prices.
    public var total: Money
    /// The payment method's name (`QRIS`, `Cash`), once paid.
    public var paymentMethod: String?
    /// The external payment reference, once paid.
    public var paymentReference: String?
    /// When it was paid, in the cinema's local time (`YYYY-MM-DD HH:MM`).
    public var localSoldAt: String?
    /// What was returned, if refunded.
    public var refundAmount: Money?
    /// The customer's name, if known.
    public var customerName: String?

    enum CodingKeys: String, CodingKey {
        case code, status, showtime, tickets, total, paymentMethod = "payment_method"
        case paymentReference = "payment_reference", localSoldAt = "local_sold_at", refundAmount = "refund_amount"
        case customerName = "customer_name", text
    }

    /// Encodes every field and the printable ``text``, with snake_case keys.
    ///
    /// ```swift
    /// let json = try JSONEncoder().encode(receipt)   // {"code": …, "text": "====…"}
    /// ```
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(code, forKey: .code)
        try container.encode(status, forKey: .status)
        try container.encode(showtime, forKey: .showtime)
        try container.encode(tickets, forKey: .tickets)
        try container.encode(total, forKey: .total)
        try container.encode(paymentMethod, forKey: .paymentMethod)
        try container.encode(paymentReference, forKey: .paymentReference)
        try container.encode(localSoldAt, forKey: .localSoldAt)
        try container.encode(refundAmount, forKey: .refundAmount)
        try container.encode(customerName, forKey: .customerName)
        try container.encode(text, forKey: .text)
    }

    /// The width of the printed receipt, in characters (an 80 mm receipt printer's 42 columns).
    public static let width = 42

    /// The receipt as plain text, ``width`` characters wide, for a receipt printer or a terminal.
    public var text: String {
        let width = Self.width
        let rule = String(repeating: "=", count: width), thin = String(repeating: "-", count: width)
        func centered(_ text: String) -> String {
            String(repeating: " ", count: max(0, (width - text.count) / 2)) + text
        }
        func field(_ name: String, _ value: String) -> String {
            String((name.padding(toLength: 11, withPad: " ", startingAt: 0) + value).prefix(width))
        }
        func amount(_ left: String, _ money: Money) -> String {
            let right = money.formatted
            return left + String(repeating: " ", count: max(1, width - left.count - right.count)) + right
        }
        var lines = [rule, centered(String(showtime.cinemaName.prefix(width))), rule]
        lines.append(field("Booking", code))
        if let customerName { lines.append(field("Customer", customerName)) }
        lines.append(field("Movie", showtime.movieTitle))
        lines.append(field("Studio", showtime.studioName))
        lines.append(field("Starts", "\(showtime.localStart) (\(showtime.timeZone))"))
        lines.append(thin)
        for ticket in tickets {
            lines.append(amount("Seat \(ticket.seatLabel.padding(toLength: 5, withPad: " ", startingAt: 0)) \(ticket.seatKind.rawValue)",
                                ticket.price))
        }
        lines.append(thin)
        lines.append(amount("TOTAL", total))
        switch status {
        case .paid, .refunded:
            if let paymentMethod { lines.append(field("Paid by", paymentMethod)) }
            if let paymentReference { lines.append(field("Reference", paymentReference)) }
            if let localSoldAt { lines.append(field("Paid at", localSoldAt)) }
            if status == .refunded, let refundAmount { lines.append(amount("REFUNDED", refundAmount)) }
        case .held, .pendingPayment:
            lines.append(centered("NOT PAID — seats held for payment"))
        case .cancelled, .expired:
            lines.append(centered("\(status.rawValue.uppercased()) — not valid for entry"))
        }
        lines.append(rule)
        return lines.joined(separator: "\n")
    }

    /// The printable text.
    public var description: String { text }
}
