// libFuzzer target: the seat-layout spec (Sources/BoxOfficeKit/Catalog/SeatLayout.swift and
// SeatLayoutParser.swift). Studios arrive by feed with their spec, which `studios show` parses.
// Built and run by scripts/fuzz.sh.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func seatLayoutFuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let text = fuzzText(start, count)
    guard let layout = try? SeatLayout(validating: text) else { return 0 }
    SeatLayoutProperties.check(layout, spec: text)
    return 0
}

enum SeatLayoutProperties {
    static func check(_ layout: SeatLayout, spec: String) {
        let seats = layout.seats
        // Every seat once: one label each, one map cell each, rows × numbers of them.
        require(Set(seats.map(\.label)).count == seats.count, "a label twice in \(spec.debugDescription)")
        require(Set(seats.map { [$0.gridRow, $0.gridColumn] }).count == seats.count, "a map cell twice in \(spec.debugDescription)")
        require(seats.count == layout.rows.count * layout.seatNumbers.count, "\(seats.count) seats in \(spec.debugDescription)")
        require(!layout.rows.isEmpty && Set(layout.rows).count == layout.rows.count, "rows \(layout.rows)")
        // Labels are what a ticket and a seat request name: one letter A–Z and a number 1–99.
        for seat in seats {
            let scalars = Array(seat.label.unicodeScalars)
            require(scalars.count >= 2 && scalars.count <= 3 && ("A"..."Z").contains(scalars[0])
                    && scalars.dropFirst().allSatisfy { ("0"..."9").contains($0) } && (1...99).contains(seat.number),
                    "label \(seat.label.debugDescription) in \(spec.debugDescription)")
            require(layout.rows.firstIndex(of: seat.rowLabel) == seat.gridRow, "\(seat.label) on map row \(seat.gridRow)")
        }
        // Left to right: a row's seats in order of number, each a column further (two across an aisle).
        for row in layout.rows {
            let columns = seats.filter { $0.rowLabel == row }.map(\.gridColumn)
            require(columns.first == 0 && zip(columns, columns.dropFirst()).allSatisfy { $1 - $0 == 1 || $1 - $0 == 2 },
                    "row \(row) in columns \(columns)")
        }
        let aisles = layout.aislesAfter
        require(aisles == aisles.sorted() && Set(aisles).count == aisles.count
                && aisles.allSatisfy { (layout.seatNumbers.lowerBound..<layout.seatNumbers.upperBound).contains($0) },
                "aisles after \(aisles) in seats \(layout.seatNumbers)")
        // The map shows every seat and nothing else: a title line, then one line per row.
        let lines = layout.render().split(separator: "\n", omittingEmptySubsequences: false)
        require(lines.count == layout.rows.count + 1, "\(lines.count) map lines for \(layout.rows.count) rows")
        let cells = lines.dropFirst().map { $0.dropFirst(4).filter { $0 != " " }.count }.reduce(0, +)
        require(cells == seats.count, "the map shows \(cells) seats of \(seats.count)")
        // The spec it keeps (trimmed) gives the same layout again.
        require((try? SeatLayout(validating: layout.spec)) == layout, "\(layout.spec.debugDescription) parses otherwise")
    }
}
