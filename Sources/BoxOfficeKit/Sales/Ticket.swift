import Foundation
import GRDB

/// One seat of a booking: the right to sit in it at the showtime while the ticket is active.
///
/// ```swift
/// for ticket in booking.tickets { print(ticket.seatLabel, ticket.price.formatted) }
/// ```
public struct Ticket: Sendable, Hashable, Encodable, Identifiable {
    /// The ticket's id.
    public var id: String
    /// The seat's id.
    public var seatID: String
    /// The seat's label, e.g. `F12`.
    public var seatLabel: String
    /// The seat's kind.
    public var seatKind: SeatKind
    /// What the seat cost.
    public var price: Money
    /// Whether the ticket still holds its seat.
    public var status: Status

    /// Whether a ticket holds its seat.
    ///
    /// ```swift
    /// let seated = booking.tickets.filter { $0.status == .active }
    /// ```
    public enum Status: String, Sendable, Hashable, Codable {
        /// The ticket holds its seat (held or sold, as its booking says).
        case active
        /// The seat was given back: the booking was cancelled, refunded or expired.
        case released
    }

    enum CodingKeys: String, CodingKey {
        case id, seatID = "seat_id", seatLabel = "seat_label", seatKind = "seat_kind", price, status
    }

    /// The tickets of a booking, in seat order.
    static func fetchAll(_ db: Database, bookingID: String) throws -> [Ticket] {
        try Row.fetchAll(db.cachedStatement(sql: """
            SELECT t.id, t.seat_id, se.label, se.kind, t.price, t.status
            FROM tickets t JOIN seats se ON se.id = t.seat_id
            WHERE t.booking_id = ?
            ORDER BY se.grid_row, se.grid_column
            """), arguments: [bookingID]
        ).map { row in
            Ticket(id: row["id"], seatID: row["seat_id"], seatLabel: row["label"], seatKind: SeatKind(rawValue: row["kind"]) ?? .regular,
                   price: Money(rupiah: row["price"]), status: Status(rawValue: row["status"]) ?? .released)
        }
    }
}
