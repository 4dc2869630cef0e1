import Foundation
import GRDB

/// A printable plain-text receipt of a booking: cinema, studio, movie, local start time, seats,
/// prices, total, payment method and reference, and the booking code.
///
/// ```swift
/// let receipt = try await box.sales.receipt(code: booking.code, by: cashier)
/// print(receipt.text)
/// ```
public struct Receipt: Sendable, Hashable, Encodable, CustomStringConvertible, Identifiable {
    /// The booking's id.
    public var id: String
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
    /// The payment method's code (`qris`, `cash`), once paid, as ``Booking/paymentMethod`` gives it.
    public var paymentMethod: String?
    /// The payment method's name as printed (`QRIS`, `Cash`), once paid.
    public var paymentMethodName: String?
    /// The external payment reference, once paid.
    public var paymentReference: String?
    /// When it was paid (UTC instant).
    public var soldAt: Date?
    /// When it was paid, in the cinema's time zone.
    public var localSoldAt: LocalDateTime? { soldAt.map { LocalDateTime($0, timeZone: showtime.zone) } }
    /// What was returned, if refunded.
    public var refundAmount: Money?
    /// The customer's name, if known.
    public var customerName: String?

    enum CodingKeys: String, CodingKey {
        case id, code, status, showtime, tickets, total, paymentMethod = "payment_method"
        case paymentMethodName = "payment_method_name", paymentReference = "payment_reference"
        case soldAt = "sold_at", localSoldAt = "local_sold_at", refundAmount = "refund_amount"
        case customerName = "customer_name", text
    }

    /// Encodes every field and the printable ``text``, with snake_case keys; `sold_at` is the UTC
    /// instant and `local_sold_at` the same in ISO 8601 with the cinema's offset.
    ///
    /// ```swift
    /// let json = try JSONEncoder().encode(receipt)   // {"id": …, "code": …, "text": "====…"}
    /// ```
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(code, forKey: .code)
        try container.encode(status, forKey: .status)
        try container.encode(showtime, forKey: .showtime)
        try container.encode(tickets, forKey: .tickets)
        try container.encode(total, forKey: .total)
        try container.encode(paymentMethod, forKey: .paymentMethod)
        try container.encode(paymentMethodName, forKey: .paymentMethodName)
        try container.encode(paymentReference, forKey: .paymentReference)
        try container.encode(soldAt, forKey: .soldAt)
        try container.encode(localSoldAt?.iso8601, forKey: .localSoldAt)
        try container.encode(refundAmount, forKey: .refundAmount)
        try container.encode(customerName, forKey: .customerName)
        try container.encode(text, forKey: .text)
    }

    /// The width of the printed receipt, in characters (an 80 mm receipt printer's 42 columns).
    public static let width = 42

    /// The receipt as plain text, ``width`` characters wide, for a receipt printer or a terminal.
    /// A value too long for its line wraps onto the next, indented, never cut.
    public var text: String {
        let width = Self.width
        let rule = String(repeating: "=", count: width), thin = String(repeating: "-", count: width)
        func centered(_ text: String) -> [String] {
            Self.wrap(text, width: width).map { String(repeating: " ", count: max(0, (width - $0.count) / 2)) + $0 }
        }
        func field(_ name: String, _ value: String) -> [String] {
            let indent = 11
            return Self.wrap(value, width: width - indent).enumerated().map { index, part in
                (index == 0 ? name.padding(toLength: indent, withPad: " ", startingAt: 0) : String(repeating: " ", count: indent)) + part
            }
        }
        func amount(_ left: String, _ money: Money) -> String {
            let right = money.formatted
            return left + String(repeating: " ", count: max(1, width - left.count - right.count)) + right
        }
        var lines = [rule] + centered(showtime.cinemaName) + [rule]
        lines += field("Booking", code)
        if let customerName { lines += field("Customer", customerName) }
        lines += field("Movie", showtime.movieTitle)
        lines += field("Studio", showtime.studioName)
        lines += field("Starts", "\(showtime.localStart) (\(showtime.timeZone))")
        lines.append(thin)
        // A seat a live booking no longer holds (head office gave it to another sale) is never shown
        // as valid; the booking's conflict record says what happens instead.
        let live = [.held, .pendingPayment, .paid].contains(status)
        for ticket in tickets {
            let seat = "Seat \(ticket.seatLabel.padding(toLength: 5, withPad: " ", startingAt: 0)) \(ticket.seatKind.rawValue)"
            if live && ticket.status == .released {
                lines.append(seat + String(repeating: " ", count: max(1, width - seat.count - 9)) + "NOT VALID")
            } else {
                lines.append(amount(seat, ticket.price))
            }
        }
        lines.append(thin)
        lines.append(amount("TOTAL", total))
        if live && tickets.contains(where: { $0.status == .released }) {
            lines += centered("A SEAT WAS GIVEN UP: another seat or a refund is due — see the counter")
        }
        switch status {
        case .paid, .refundDue, .refunded:
            if let paymentMethodName { lines += field("Paid by", paymentMethodName) }
            if let paymentReference { lines += field("Reference", paymentReference) }
            if let localSoldAt { lines += field("Paid at", "\(localSoldAt) (\(showtime.timeZone))") }
            if status == .refunded, let refundAmount { lines.append(amount("REFUNDED", refundAmount)) }
            if status == .refundDue, let refundAmount {
                lines.append(amount("REFUND DUE", refundAmount))
                lines += centered("CANCELLED — not valid for entry; the refund is paid out at the counter")
            }
        case .pendingPayment:
            if let paymentMethodName { lines += field("Paid by", paymentMethodName) }
            if let paymentReference { lines += field("Reference", paymentReference) }
            lines += centered("PAYMENT SUBMITTED, NOT YET CONFIRMED — not valid for entry until the cinema confirms it")
        case .held:
            lines += centered("NOT PAID — seats held for payment")
        case .cancelled, .expired:
            lines += centered("\(status.rawValue.uppercased()) — not valid for entry")
        }
        lines.append(rule)
        return lines.joined(separator: "\n")
    }

    /// `text` in lines of at most `width` characters, broken at spaces where it can be and inside a
    /// word only when one word is longer than a line.
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = [], line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true).map(String.init) {
            var word = word
            if !line.isEmpty && line.count + 1 + word.count > width {
                lines.append(line)
                line = ""
            }
            while word.count > width - (line.isEmpty ? 0 : line.count + 1) {
                let room = width - (line.isEmpty ? 0 : line.count + 1)
                lines.append((line.isEmpty ? "" : line + " ") + word.prefix(room))
                line = ""
                word = String(word.dropFirst(room))
            }
            line = line.isEmpty ? word : line + " " + word
        }
        if !line.isEmpty || lines.isEmpty { lines.append(line) }
        return lines
    }

    /// The printable text.
    public var description: String { text }
}
