import Foundation

/// Every seat of a showtime's studio with its state for that showtime and its price.
///
/// ```swift
/// let map = try await box.sales.seatMap(showtime: id)
/// let free = map.seats.filter { $0.state == .free }.map(\.label)
/// ```
public struct SeatMap: Sendable, Hashable, Encodable {
    /// The showtime the states belong to.
    public var showtime: Showtime
    /// The studio's seats, by grid row then grid column.
    public var seats: [Seat]

    /// One seat of the studio, as it stands for this showtime.
    ///
    /// ```swift
    /// let vip = map.seats.filter { $0.kind == .vip && $0.state == .free }
    /// ```
    public struct Seat: Sendable, Hashable, Encodable, Identifiable {
        /// The seat's id.
        public var id: String
        /// The seat's label, e.g. `F12`.
        public var label: String
        /// The seat's row label, e.g. `F`.
        public var rowLabel: String
        /// The seat's number within its row.
        public var number: Int
        /// The seat's kind, which decides its price.
        public var kind: SeatKind
        /// The seat's row in the drawn layout (0 nearest the screen).
        public var gridRow: Int
        /// The seat's column in the drawn layout; gaps between columns are aisles.
        public var gridColumn: Int
        /// Whether it can be sold now.
        public var state: SeatState
        /// The showtime's base price plus the seat kind's surcharge.
        public var price: Money
        /// For a couple seat, the label of the other seat of its pair, which is sold with it
        /// (``SeatKind/couple``); `nil` for other seats and a couple seat without a partner.
        public var pairedWith: String?

        enum CodingKeys: String, CodingKey {
            case id, label, rowLabel = "row_label", number, kind, gridRow = "grid_row", gridColumn = "grid_column"
            case state, price, pairedWith = "paired_with"
        }

        /// Encodes every field, `paired_with` as `null` when the seat has no partner.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(label, forKey: .label)
            try container.encode(rowLabel, forKey: .rowLabel)
            try container.encode(number, forKey: .number)
            try container.encode(kind, forKey: .kind)
            try container.encode(gridRow, forKey: .gridRow)
            try container.encode(gridColumn, forKey: .gridColumn)
            try container.encode(state, forKey: .state)
            try container.encode(price, forKey: .price)
            try container.encode(pairedWith, forKey: .pairedWith)
        }
    }
}

/// The state of one seat for one showtime.
///
/// A hold whose time ran out reads as ``free`` at once, before any sweep marks it expired.
///
/// ```swift
/// if seat.state == .free { print("\(seat.label) is for sale") }
/// ```
public enum SeatState: String, Sendable, Hashable, Codable, CaseIterable {
    /// For sale.
    case free
    /// Held by an unpaid booking whose hold has not run out.
    case held
    /// Paid for.
    case sold
    /// Taken out of sale for this showtime by head office.
    case blocked
    /// Allotted to another counter, which alone sells it while offline.
    case allotted
}
