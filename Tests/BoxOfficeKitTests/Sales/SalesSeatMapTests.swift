import Foundation
import GRDB
import Testing
@testable import BoxOfficeKit

struct SalesSeatMapTests {
    let fixture: SalesFixture
    init() throws { fixture = try SalesFixture() }

    @Test func everySeatOfTheStudioIsFreeWithItsKindPrice() async throws {
        let map = try await fixture.box.sales.seatMap(showtime: fixture.upcoming)
        #expect(map.showtime.movieTitle == "The Long Offline")
        #expect(map.showtime.cinemaName == "Demo Plaza")
        #expect(map.showtime.studioName == "Studio 1")
        #expect(map.showtime.localStart.description == "2026-01-01 19:00")
        #expect(map.seats.count == 50)
        #expect(map.seats.allSatisfy { $0.state == .free })
        let price = Dictionary(map.seats.map { ($0.label, $0.price.rupiah) }, uniquingKeysWith: { a, _ in a })
        #expect(price["A1"] == SalesFixture.basePrice)  // wheelchair: no surcharge
        #expect(price["C5"] == SalesFixture.basePrice)
        #expect(price["D3"] == SalesFixture.vipPrice)
        #expect(price["E10"] == SalesFixture.couplePrice)
        #expect(map.seats.first { $0.label == "B6" }?.gridColumn == 6)  // the aisle after seat 5
    }

    @Test func statesAreHeldSoldBlockedAllottedForThatShowtimeOnly() async throws {
        let sales = fixture.box.sales
        _ = try await sales.book(showtime: fixture.upcoming, seats: ["B1"], by: fixture.customer)
        _ = try await sales.sell(showtime: fixture.upcoming, seats: ["B2"], method: "cash", by: fixture.cashier)
        try fixture.execute("INSERT INTO seat_blocks (showtime_id, seat_id, reason, hlc) VALUES (?, ?, 'broken', '')",
                            [fixture.upcoming, try fixture.seatID("B3")])
        try fixture.execute("INSERT INTO seat_allotments (showtime_id, seat_id, node_id, hlc) VALUES (?, ?, 'another-node', '')",
                            [fixture.upcoming, try fixture.seatID("B4")])
        try fixture.execute("INSERT INTO seat_allotments (showtime_id, seat_id, node_id, hlc) VALUES (?, ?, ?, '')",
                            [fixture.upcoming, try fixture.seatID("B5"), fixture.box.nodeID])
        let map = try await sales.seatMap(showtime: fixture.upcoming)
        let state = Dictionary(map.seats.map { ($0.label, $0.state) }, uniquingKeysWith: { a, _ in a })
        #expect(state["B1"] == .held)
        #expect(state["B2"] == .sold)
        #expect(state["B3"] == .blocked)
        #expect(state["B4"] == .allotted)
        #expect(state["B5"] == .free)  // allotted to this node: ours to sell
        #expect(map.seats.filter { $0.state != .free }.count == 4)
        // Another showtime of the same studio is untouched: states are per showtime, not global.
        let tomorrow = try await sales.seatMap(showtime: fixture.cancelled)
        #expect(tomorrow.seats.allSatisfy { $0.state == .free })
    }

    @Test func anExpiredHoldReadsAsFreeWithoutAnySweep() async throws {
        let booking = try await fixture.box.sales.book(showtime: fixture.upcoming, seats: ["C1", "C2"], by: fixture.customer)
        fixture.clock.advance(by: 10 * 60 - 1)
        #expect(try await fixture.box.sales.seatMap(showtime: fixture.upcoming).seats.first { $0.label == "C1" }?.state == .held)
        fixture.clock.advance(by: 1)
        let map = try await fixture.box.sales.seatMap(showtime: fixture.upcoming)
        #expect(map.seats.allSatisfy { $0.state == .free })
        let stored: String? = try fixture.value("SELECT status FROM bookings WHERE id = ?", [booking.id])
        #expect(stored == "held")
    }

    @Test func foundByCinemaAndLocalDateAndTime() async throws {
        let sales = fixture.box.sales
        let map = try await sales.seatMap(cinema: fixture.cinemaID, date: "2026-01-01", time: "19:00")
        #expect(map.showtime.id == fixture.upcoming)
        let other = try await sales.seatMap(cinema: fixture.cinemaID, date: "2026-01-01", time: "20:00")
        #expect(other.showtime.id == fixture.otherStudio)
        #expect(other.seats.count == 4)
        let cinemaName = try await fixture.box.catalog.cinema(id: fixture.cinemaID).name
        try await fixture.expectRejection(CatalogError.noShowtimeAt(cinema: cinemaName, date: "2026-01-01", time: "19:05")) {
            _ = try await sales.seatMap(cinema: fixture.cinemaID, date: "2026-01-01", time: "19:05")
        }
        try await fixture.expectRejection(InputError(field: "time", reason: "must be a 24-hour time like 19:30, not '25:00'")) {
            _ = try await sales.seatMap(cinema: fixture.cinemaID, date: "2026-01-01", time: "25:00")
        }
        try await fixture.expectRejection(InputError(field: "date", reason: "must be a date like 2026-11-25, not '01/01/2026'")) {
            _ = try await sales.seatMap(cinema: fixture.cinemaID, date: "01/01/2026", time: "19:00")
        }
        try await fixture.expectRejection(CatalogError.cinemaNotFound("nope")) {
            _ = try await sales.seatMap(cinema: "nope", date: "2026-01-01", time: "19:00")
        }
    }

    @Test func twoStudiosStartingAtOnceMustBeToldApart() async throws {
        let second = EntityID.make()
        let start = fixture.clock.now.addingTimeInterval(12 * 3600)
        try fixture.execute("""
            INSERT INTO showtimes (id, cinema_id, studio_id, movie_id, starts_at, ends_at, base_price, created_at, updated_at, hlc)
            VALUES (?, ?, ?, ?, ?, ?, 40000, ?, ?, '')
            """, [second, fixture.cinemaID, fixture.otherStudioID, fixture.movieID, start, start.addingTimeInterval(1800),
                  start, start])
        let candidates = try await [fixture.upcoming, second].asyncMap { try await fixture.box.catalog.showtime(id: $0) }
            .map { "\($0.handle) (\($0.studioName), \($0.movieTitle))" }.sorted()
        try await fixture.expectRejection(CatalogError.showtimeAmbiguous(date: "2026-01-01", time: "19:00", candidates: candidates)) {
            _ = try await fixture.box.sales.seatMap(cinema: fixture.cinemaID, date: "2026-01-01", time: "19:00")
        }
    }

    @Test func unknownShowtimeIsNotFound() async throws {
        try await fixture.expectRejection(SaleError.showtimeNotFound("missing")) {
            _ = try await fixture.box.sales.seatMap(showtime: "missing")
        }
        #expect(SaleError.showtimeNotFound("x").kind == .notFound)
    }
}

extension Array {
    /// The elements transformed one after another by an async function.
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
