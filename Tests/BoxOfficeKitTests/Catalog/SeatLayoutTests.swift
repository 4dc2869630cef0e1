import Foundation
import Testing
@testable import BoxOfficeKit

struct SeatLayoutTests {
    @Test func generatesSeatsKindsAndGridWithAisles() throws {
        let layout = try SeatLayout(parsing: "rows A-J; seats 1-20; aisles after 4,16; couple J; wheelchair A1-A2; vip E-F")
        #expect(layout.seats.count == 200)
        #expect(layout.rows.count == 10)
        func seat(_ label: String) -> SeatLayout.Position? { layout.seats.first { $0.label == label } }
        #expect(seat("A1")?.kind == .wheelchair)
        #expect(seat("A2")?.kind == .wheelchair)
        #expect(seat("A3")?.kind == .regular)
        #expect(seat("E7")?.kind == .vip)
        #expect(seat("F20")?.kind == .vip)
        #expect(seat("G1")?.kind == .regular)
        #expect(layout.seats.filter { $0.rowLabel == "J" }.allSatisfy { $0.kind == .couple })
        // Aisles leave an empty column: seats 1-4 in columns 0-3, 5-16 in 5-16, 17-20 in 18-21.
        #expect(seat("A4")?.gridColumn == 3)
        #expect(seat("A5")?.gridColumn == 5)
        #expect(seat("A16")?.gridColumn == 16)
        #expect(seat("A17")?.gridColumn == 18)
        #expect(seat("J20")?.gridColumn == 21)
        #expect(seat("J20")?.gridRow == 9)
        #expect(Set(layout.seats.map { "\($0.gridRow),\($0.gridColumn)" }).count == 200)
    }

    @Test func acceptsCaseNewlinesAndSingleSeats() throws {
        let layout = try SeatLayout(parsing: "ROWS a-c\nSeats 1 - 6\nwheelchair A1, C6; vip b")
        #expect(layout.seats.count == 18)
        #expect(layout.seats.filter { $0.kind == .wheelchair }.map(\.label) == ["A1", "C6"])
        #expect(layout.seats.filter { $0.kind == .vip }.count == 6)
        #expect(layout.render().contains("W"))
    }

    @Test(arguments: [
        ("", "it is empty"),
        ("seats 1-20", "it needs a rows clause"),
        ("rows A-J", "it needs a seats clause"),
        ("rows A-J; seats 1-20; balcony K", "unknown clause 'balcony'"),
        ("rows 1-10; seats 1-20", "write rows as letters"),
        ("rows J-A; seats 1-20", "rows run backwards"),
        ("rows A-J; seats 20-1", "must run upwards"),
        ("rows A-J; seats 1-200", "at most 99"),
        ("rows A-J; seats one-20", "write seats as a range"),
        ("rows A-J; seats 1-20; aisles 4", "aisles after 4,16"),
        ("rows A-J; seats 1-20; aisles after 20", "aisle after seat 20"),
        ("rows A-J; seats 1-20; aisles after x", "'x' is not a seat number"),
        ("rows A-J; seats 1-20; vip K", "not in rows A-J"),
        ("rows A-J; seats 1-20; wheelchair A21", "outside seats 1-20"),
        ("rows A-J; seats 1-20; wheelchair A1-B2", "spans two rows"),
        ("rows A-J; seats 1-20; vip", "name rows or seats"),
        ("rows A-J; seats 1-20; vip E-F; couple F", "seat F1 is both vip and couple"),
        ("rows A-J; rows A-B; seats 1-20", "rows are given twice"),
    ])
    func badSpecsNameWhatIsWrong(spec: String, expected: String) {
        #expect {
            _ = try SeatLayout(parsing: spec)
        } throws: { error in
            guard case let .layoutSpecInvalid(reason) = error as? CatalogError else { return false }
            return reason.contains(expected)
        }
    }
}
