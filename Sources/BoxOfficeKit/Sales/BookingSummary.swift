import Foundation
import GRDB

/// One line of a customer's booking history: what, where, when, which seats, and where it stands.
///
/// ```swift
/// let page = try await box.sales.bookings(by: customer)
/// for item in page.items { print(item.code, item.showtime.movieTitle, item.seats, item.status) }
/// ```
public struct BookingSummary: Sendable, Hashable, Encodable, Identifiable {
    /// The booking's id.
    public var id: String
    /// The booking code.
    public var code: String
    /// Where the booking stands; a hold that ran out reads as ``BookingStatus/expired``.
    public var status: BookingStatus
    /// The sum of the tickets' prices.
    public var total: Money
    /// The labels of the booked seats, in seat order.
    public var seats: [String]
    /// The movie, cinema, studio and start time (UTC and local).
    public var showtime: Showtime
    /// When the booking was made.
    public var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, code, status, total, seats, showtime, createdAt = "created_at"
    }
}
