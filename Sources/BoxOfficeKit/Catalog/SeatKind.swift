/// The kinds of seat a studio has; a showtime may charge more for some of them.
///
/// ```swift
/// let modifiers: [SeatKind: Money] = [.vip: 25_000, .couple: 40_000]
/// ```
///
/// Its store conformance (`DatabaseValueConvertible`) is in `Seat.swift`: this file, like the layout
/// parser that names kinds, compiles without GRDB for the fuzz build (`scripts/fuzz.sh`).
public enum SeatKind: String, Sendable, Hashable, Codable, CaseIterable, CodingKeyRepresentable {
    /// An ordinary seat.
    case regular
    /// A wider, better-placed seat.
    case vip
    /// A space for a wheelchair user.
    case wheelchair
    /// One half of a double seat for two: couple seats side by side pair up from the left (1 with
    /// 2, 3 with 4, …, an aisle ending a block), and naming either seat of a pair sells both
    /// (each at the couple price).
    case couple
}
