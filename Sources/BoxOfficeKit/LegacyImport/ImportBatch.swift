import Foundation

/// The rows one import brings into a store or head office, made by a ``LegacyImportPlan``: new
/// rows with their ids, in the order they are written (parents first; showtimes by start; bookings
/// by the time they were made), and their old ids.
///
/// A store writes a batch in one transaction (``LegacyImport/apply(_:dryRun:progress:)``); head
/// office takes it as ``headOfficeChanges()``. Either way every row keeps its hashes and times as
/// the plan gives them, and takes the transaction's one stamp.
///
/// ```swift
/// let plan = try await box.legacyImport.plan(snapshot, options: LegacyImportOptions())
/// print(plan.batch.rowCount, plan.batch.isEmpty)
/// ```
public struct ImportBatch: Sendable, Hashable {
    /// The node id imported bookings carry: the old system made them, not a counter.
    public static let nodeID = "legacy-import"

    struct CinemaRow: Sendable, Hashable {
        var id: String
        var name: String
        var city: String
        var address: String
        var timeZone: String
        var createdAt: Date
        var updatedAt: Date
        var deletedAt: Date?
    }

    struct StudioRow: Sendable, Hashable {
        var id: String
        var cinemaID: String
        var name: String
        /// `''` for a studio without a layout.
        var layoutSpec: String
        var seatCount: Int
        var createdAt: Date
        var updatedAt: Date
        var deletedAt: Date?
    }

    /// Imported seats are all regular: the old system had no kinds.
    struct SeatRow: Sendable, Hashable {
        var id: String
        var studioID: String
        var rowLabel: String
        var number: Int
        var gridRow: Int
        var gridColumn: Int
        var label: String { "\(rowLabel)\(number)" }
    }

    struct MovieRow: Sendable, Hashable {
        var id: String
        var title: String
        var description: String
        var durationMinutes: Int
        var releaseDate: String?
        var genre: String
        var posterURL: String?
        var director: String
        var castMembers: [String]
        var createdAt: Date
        var updatedAt: Date
        var deletedAt: Date?
    }

    struct PaymentMethodRow: Sendable, Hashable {
        var id: String
        var code: String
        var name: String
        var kind: PaymentMethod.Kind
        var enabled: Bool
        var sortOrder: Int
        var createdAt: Date
        var updatedAt: Date
    }

    struct ShowtimeRow: Sendable, Hashable {
        var id: String
        var cinemaID: String
        var studioID: String
        var movieID: String
        var startsAt: Date
        var endsAt: Date
        var basePrice: Int
        var priceNeeded: Bool
        var status: Showtime.Status
        var createdAt: Date
        var updatedAt: Date
    }

    struct UserRow: Sendable, Hashable {
        var id: String
        var name: String
        var email: String
        var phone: String?
        var passwordHash: String
        var verifiedAt: Date?
        var createdAt: Date
        var updatedAt: Date
    }

    struct TicketRow: Sendable, Hashable {
        var id: String
        var seatID: String
        var price: Int
        var status: Ticket.Status
    }

    struct BookingRow: Sendable, Hashable {
        var id: String
        var code: String
        var showtimeID: String
        var userID: String?
        var customerName: String?
        var customerEmail: String?
        var status: BookingStatus
        var total: Int
        var paymentMethodID: String?
        var holdExpiresAt: Date?
        var soldAt: Date?
        var createdAt: Date
        var updatedAt: Date
        var tickets: [TicketRow]
    }

    var cinemas: [CinemaRow] = []
    var movies: [MovieRow] = []
    var paymentMethods: [PaymentMethodRow] = []
    var studios: [StudioRow] = []
    var seats: [SeatRow] = []
    var showtimes: [ShowtimeRow] = []
    var users: [UserRow] = []
    var bookings: [BookingRow] = []
    /// The old ids of every row above, and of old rows that name one of them (merged accounts,
    /// duplicate seats, payment methods matched to built-in ones).
    public internal(set) var legacyIDs: [LegacyID] = []

    /// Whether the batch writes nothing: everything was imported before (or skipped).
    public var isEmpty: Bool { rowCount == 0 && legacyIDs.isEmpty }

    /// How many rows the batch writes, tickets and old ids included.
    public var rowCount: Int {
        cinemas.count + movies.count + paymentMethods.count + studios.count + seats.count + showtimes.count
            + users.count + bookings.count + bookings.reduce(0) { $0 + $1.tickets.count } + legacyIDs.count
    }
}
