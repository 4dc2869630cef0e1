import Foundation

/// A studio's seats as generated from a compact spec that a manager can type.
///
/// ## The spec
///
/// Clauses separated by `;` or new lines, keywords in any case, spaces free:
///
/// | clause | meaning |
/// |---|---|
/// | `rows A-J` | rows A to J, front to back (required; single letters A–Z) |
/// | `seats 1-20` | seats numbered 1 to 20 in every row, left to right (required; 1–99) |
/// | `aisles after 4,16` | an aisle (an empty map column) after seat 4 and after seat 16 |
/// | `vip E-F` | the seats of rows E and F are VIP |
/// | `couple J` | row J has couple seats |
/// | `wheelchair A1-A2, A19-A20` | those seats are wheelchair spaces |
///
/// A kind clause (`vip`, `couple`, `wheelchair`) takes a comma-separated list of targets: a row
/// (`J`), a range of rows (`E-F`), a seat (`A1`) or a range of seats in one row (`A1-A4`). Seats no
/// kind clause names are regular. Naming one seat in two kind clauses, a row or seat outside the
/// layout, or an unknown clause is an error that says which part is wrong.
///
/// ```swift
/// let layout = try SeatLayout(parsing: "rows A-J; seats 1-20; aisles after 4,16; vip E-F; couple J; wheelchair A1-A2")
/// print(layout.seats.count)       // 200
/// print(layout.seats[0].label)    // "A1"
/// print(layout.render())          // the seat map as text
/// ```
///
/// The map: ``Position/gridRow`` counts rows from 0 (row A, nearest the screen) and
/// ``Position/gridColumn`` counts columns from 0 with one empty column per aisle, so seat 5 of a
/// layout with `aisles after 4` is in column 5.
public struct SeatLayout: Sendable, Hashable {
    /// One generated seat: where it is and what kind it is.
    public struct Position: Sendable, Hashable {
        /// The row letter.
        public var rowLabel: String
        /// The number within the row, from 1.
        public var number: Int
        /// The label on the ticket, e.g. `F12`.
        public var label: String { "\(rowLabel)\(number)" }
        /// The kind of seat.
        public var kind: SeatKind
        /// The map row, from 0.
        public var gridRow: Int
        /// The map column, from 0, aisles counted.
        public var gridColumn: Int
    }

    /// The spec the layout was parsed from, as given (trimmed).
    public let spec: String
    /// The row letters, front to back.
    public let rows: [String]
    /// The seat numbers of every row.
    public let seatNumbers: ClosedRange<Int>
    /// The seat numbers after which an aisle runs.
    public let aislesAfter: [Int]
    /// Every seat, row by row, left to right.
    public let seats: [Position]

    /// Parses a layout spec and generates its seats: ``init(parsing:)`` without the kit's error type,
    /// so that this file and `SeatLayoutParser.swift` compile on their own (the fuzz build).
    ///
    /// - Throws: ``SeatLayoutParser/Invalid`` naming what is wrong.
    init(validating spec: String) throws(SeatLayoutParser.Invalid) {
        var parser = SeatLayoutParser()
        try parser.parse(spec)
        guard let rows = parser.rows else { throw SeatLayoutParser.Invalid("it needs a rows clause, e.g. 'rows A-J'") }
        guard let numbers = parser.seatNumbers else {
            throw SeatLayoutParser.Invalid("it needs a seats clause, e.g. 'seats 1-20'")
        }
        for aisle in parser.aislesAfter where !(numbers.lowerBound..<numbers.upperBound).contains(aisle) {
            throw SeatLayoutParser.Invalid(
                "an aisle after seat \(aisle) is not between two seats of \(numbers.lowerBound)-\(numbers.upperBound)")
        }
        var kinds: [String: SeatKind] = [:]
        for (kind, target) in parser.kindTargets {
            for label in try target.labels(rows: rows, numbers: numbers) {
                if let earlier = kinds[label], earlier != kind {
                    throw SeatLayoutParser.Invalid("seat \(label) is both \(earlier.rawValue) and \(kind.rawValue)")
                }
                kinds[label] = kind
            }
        }
        let aisles = parser.aislesAfter.sorted()
        var positions: [Position] = []
        for (rowIndex, row) in rows.enumerated() {
            for number in numbers {
                let aislesBefore = aisles.count { $0 < number }
                positions.append(Position(
                    rowLabel: row, number: number, kind: kinds["\(row)\(number)"] ?? .regular,
                    gridRow: rowIndex, gridColumn: number - numbers.lowerBound + aislesBefore))
            }
        }
        self.spec = spec.trimmingCharacters(in: .whitespacesAndNewlines)
        self.rows = rows
        self.seatNumbers = numbers
        self.aislesAfter = aisles
        self.seats = positions
    }

    /// The seat map as text, screen at the top: `.` regular, `V` VIP, `W` wheelchair, `C` couple.
    ///
    /// ```swift
    /// print(try SeatLayout(parsing: "rows A-B; seats 1-4; aisles after 2; vip B").render())
    /// //      SCREEN
    /// //  A  .. ..
    /// //  B  VV VV
    /// ```
    public func render() -> String {
        let width = (seats.map(\.gridColumn).max() ?? 0) + 1
        var lines = [String(repeating: " ", count: 4 + max(0, (width - 6) / 2)) + "SCREEN"]
        for (rowIndex, row) in rows.enumerated() {
            var cells = Array(repeating: Character(" "), count: width)
            for seat in seats where seat.gridRow == rowIndex {
                cells[seat.gridColumn] = switch seat.kind {
                case .regular: "."
                case .vip: "V"
                case .wheelchair: "W"
                case .couple: "C"
                }
            }
            lines.append(row.padding(toLength: 3, withPad: " ", startingAt: 0) + " " + String(cells))
        }
        return lines.joined(separator: "\n")
    }
}
