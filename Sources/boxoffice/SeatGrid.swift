import BoxOfficeKit

/// Draws a seat map as text: a screen marker, one line per row with its label at both ends, seat
/// numbers in their grid columns (gaps are aisles), and a legend of states, kinds and prices.
///
/// Each seat is four characters: a separator (`=` joins a couple pair), its kind's mark (`V` vip,
/// `W` wheelchair, `C` couple, none for regular) and its number when free, or its state's mark
/// (`HH` held, `XX` sold, `##` blocked, `AA` allotted). States never differ by colour alone, so a
/// colour-blind cashier reads the same map; on a terminal the state's colour is added.
struct SeatGrid {
    let map: SeatMap
    let colour: Bool

    /// How each state looks: its ANSI colour, and the two characters shown without colour.
    private static let look: [SeatState: (ansi: String, plain: String, name: String)] = [
        .free: ("32", "", "free"),
        .held: ("33", "HH", "held"),
        .sold: ("31", "XX", "sold"),
        .blocked: ("90", "##", "blocked"),
        .allotted: ("34", "AA", "allotted to another counter"),
    ]

    var text: String {
        let seats = map.seats
        guard let maxColumn = seats.map(\.gridColumn).max(), let maxRow = seats.map(\.gridRow).max() else {
            return "This studio has no seats."
        }
        let labelWidth = seats.map(\.rowLabel.count).max() ?? 1
        let gridWidth = (maxColumn + 1) * 4
        let indent = String(repeating: " ", count: labelWidth + 1)
        let showing = map.showtime
        var lines = [
            "\(showing.movieTitle) — \(showing.cinemaName), \(showing.studioName)",
            "\(showing.localStart) (\(showing.timeZone))  ·  \(showing.handle)\(showing.status == .cancelled ? "  ·  CANCELLED" : "")"
                + (showing.priceNeeded ? "  ·  NOT ON SALE: its price is not set" : ""),
            "",
            indent + String(repeating: " ", count: max(0, (gridWidth - 6) / 2)) + "SCREEN",
            indent + String(repeating: "-", count: gridWidth),
        ]
        let byPosition = Dictionary(seats.map { (GridPosition(row: $0.gridRow, column: $0.gridColumn), $0) },
                                    uniquingKeysWith: { first, _ in first })
        for row in 0...maxRow {
            let rowSeats = seats.filter { $0.gridRow == row }
            guard let label = rowSeats.first?.rowLabel else { lines.append(""); continue }
            var line = label.padding(toLength: labelWidth, withPad: " ", startingAt: 0) + " "
            for column in 0...maxColumn {
                line += byPosition[GridPosition(row: row, column: column)].map(cell) ?? "    "
            }
            lines.append(line + " " + label)
        }
        lines.append("")
        lines.append("States: " + SeatState.allCases.map { state in
            let look = Self.look[state]!
            let mark = look.plain.isEmpty ? "12" : look.plain
            return "\(colour ? "\u{1B}[\(look.ansi)m\(mark)\u{1B}[0m" : mark) \(look.name)"
        }.joined(separator: "  "))
        let kinds = Set(seats.map(\.kind))
        var kindLegend = ["no mark regular"]
        if kinds.contains(.vip) { kindLegend.append("V vip") }
        if kinds.contains(.wheelchair) { kindLegend.append("W wheelchair") }
        if kinds.contains(.couple) { kindLegend.append("C couple (C 1=C 2 is a pair, sold together)") }
        lines.append("Kinds:  " + kindLegend.joined(separator: "  "))
        let free = seats.filter { $0.state == .free }.count
        lines.append("Prices: " + priceLines().joined(separator: " · "))
        lines.append("\(free) of \(seats.count) seats free.")
        return lines.joined(separator: "\n")
    }

    private struct GridPosition: Hashable {
        var row: Int
        var column: Int
    }

    private func cell(_ seat: SeatMap.Seat) -> String {
        let look = Self.look[seat.state]!
        let number = String(seat.number)
        let content = look.plain.isEmpty ? String(repeating: " ", count: max(0, 2 - number.count)) + number : look.plain
        let mark = switch seat.kind {
        case .regular: " "
        case .vip: "V"
        case .wheelchair: "W"
        case .couple: "C"
        }
        // The right seat of a couple pair is joined to its partner on the left.
        let joined = seat.pairedWith.map { partner in
            map.seats.first { $0.label == partner }.map { $0.gridColumn < seat.gridColumn } ?? false
        } ?? false
        return (joined ? "=" : " ") + mark + (colour ? "\u{1B}[\(look.ansi)m\(content)\u{1B}[0m" : content)
    }

    /// One entry per seat kind: its price and where those seats are.
    private func priceLines() -> [String] {
        var kinds: [SeatKind] = []
        for seat in map.seats where !kinds.contains(seat.kind) { kinds.append(seat.kind) }
        return kinds.sorted { ($0 == .regular ? 0 : 1, $0.rawValue) < ($1 == .regular ? 0 : 1, $1.rawValue) }.map { kind in
            let ofKind = map.seats.filter { $0.kind == kind }
            let prices = Set(ofKind.map(\.price))
            let price = prices.count == 1 ? prices.first!.formatted : "from \(prices.min()!.formatted)"
            guard kind != .regular else { return "\(kind.rawValue) \(price)" }
            var rows: [String] = []
            for seat in ofKind where !rows.contains(seat.rowLabel) { rows.append(seat.rowLabel) }
            let whole = rows.allSatisfy { row in map.seats.filter { $0.rowLabel == row }.allSatisfy { $0.kind == kind } }
            let place = whole ? "row \(rows.joined(separator: ", "))"
                : ofKind.count <= 6 ? ofKind.map(\.label).joined(separator: " ") : "rows \(rows.joined(separator: ", "))"
            return "\(kind.rawValue) \(price) (\(place))"
        }
    }
}
