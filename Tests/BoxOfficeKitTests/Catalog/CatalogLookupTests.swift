import Foundation
import Testing
@testable import BoxOfficeKit

/// The one rule of how a person names a catalog row (`CatalogLookup`), showtime handles
/// (`ShowtimeHandle`) and couple pairs (`CouplePairs`).
struct CatalogLookupTests {
    let fixture: CatalogFixture

    init() async throws {
        fixture = try await CatalogFixture()
    }

    @Test func aRowIsNamedByIDNameOrAnUnambiguousPrefixInAnyCase() async throws {
        let braga = try await fixture.addCinema("Cinema Braga")
        let kuta = try await fixture.addCinema("Cinema Kuta", zone: "Asia/Makassar")
        let catalog = fixture.catalog
        for name in [braga.id, braga.id.uppercased(), "Cinema Braga", "CINEMA BRAGA", "braga", "Br", String(braga.id.prefix(34))] {
            #expect(try await catalog.findCinema(name) == braga, "\(name)")
        }
        #expect(try await catalog.findCinema("kuta") == kuta)
        await #expect(throws: CatalogError.ambiguous("cinema", query: "cinema", candidates: ["Cinema Braga (Jakarta)", "Cinema Kuta (Jakarta)"])) {
            try await catalog.findCinema("cinema")
        }
        await #expect(throws: CatalogError.cinemaNotFound("Bandung")) { try await catalog.findCinema("Bandung") }
        await #expect(throws: CatalogError.cinemaNeeded(candidates: ["Cinema Braga", "Cinema Kuta"])) { try await catalog.findCinema() }
        try await catalog.removeCinema(id: kuta.id, by: fixture.manager)
        #expect(try await catalog.findCinema() == braga, "the store's only cinema is the default")

        let movie = try await fixture.addMovie("Pengabdi Setan 3")
        _ = try await fixture.addMovie("Pengantin Iblis")
        #expect(try await catalog.findMovie("setan") == movie)
        await #expect(throws: CatalogError.ambiguous("movie", query: "peng", candidates: ["Pengabdi Setan 3", "Pengantin Iblis"])) {
            try await catalog.findMovie("peng")
        }
        #expect(try await catalog.findPaymentMethod("Cash").code == "cash")
        #expect(try await catalog.findPaymentMethod("debit").code == "debit_card")
        #expect(try await catalog.findPaymentMethod("QRIS").code == "qris")
        await #expect(throws: CatalogError.self) { try await catalog.findPaymentMethod("c") }
    }

    @Test func aShowtimeIsNamedByItsStartAndStudioOnItsCinemasDay() async throws {
        let cinema = try await fixture.addCinema("Cinema Braga")
        let one = try await fixture.addStudio(cinema, "Studio 1")
        let two = try await fixture.addStudio(cinema, "Studio 2")
        let imax = try await fixture.addStudio(cinema, "IMAX")
        let movie = try await fixture.addMovie()
        func add(_ studio: Studio, _ time: String, _ date: String = "2026-01-02") async throws -> Showtime {
            try await fixture.catalog.addShowtime(ShowtimeDraft(
                cinemaID: cinema.id, studioID: studio.id, movieID: movie.id, date: date, time: time, basePrice: 50_000), by: fixture.manager)
        }
        let first = try await add(one, "19:30"), second = try await add(two, "19:30"), big = try await add(imax, "19:30")
        let later = try await add(two, "21:45"), tomorrow = try await add(one, "19:30", "2026-01-03")
        #expect([first.handle, second.handle, big.handle] == ["19:30/1", "19:30/2", "19:30/IMAX"])
        let catalog = fixture.catalog
        #expect(try await catalog.findShowtime("19:30/1", on: "2026-01-02") == first)
        #expect(try await catalog.findShowtime("19:30/studio 2", on: "2026-01-02") == second)
        #expect(try await catalog.findShowtime("19:30/imax", cinema: "braga", on: "2026-01-02") == big)
        #expect(try await catalog.findShowtime("21:45", on: "2026-01-02") == later, "alone at its time: no studio needed")
        #expect(try await catalog.findShowtime("9:30/1".replacingOccurrences(of: "9:", with: "19:"), on: "2026-01-03") == tomorrow)
        #expect(try await catalog.findShowtime(first.id) == first)
        await #expect(throws: CatalogError.showtimeAmbiguous(date: "2026-01-02", time: "19:30", candidates: [
            "19:30/1 (Studio 1, Ekspedisi Krakatau)", "19:30/2 (Studio 2, Ekspedisi Krakatau)", "19:30/IMAX (IMAX, Ekspedisi Krakatau)",
        ].sorted())) {
            _ = try await catalog.findShowtime("19:30", on: "2026-01-02")
        }
        await #expect(throws: CatalogError.noShowtimeAt(cinema: "Cinema Braga", date: "2026-01-02", time: "19:31/1")) {
            _ = try await catalog.findShowtime("19:31/1", on: "2026-01-02")
        }
        // The clock is 2026-01-01 in Jakarta: "today" is that day.
        await #expect(throws: CatalogError.noShowtimeAt(cinema: "Cinema Braga", date: "2026-01-01", time: "19:30/1")) {
            _ = try await catalog.findShowtime("19:30/1")
        }

        // A number two studios end with names neither: their handles use the whole name.
        let other = try await fixture.addStudio(cinema, "Premiere 2")
        let premiere = try await add(other, "10:00")
        #expect(premiere.handle == "10:00/Premiere 2")
        #expect(try await catalog.showtime(id: second.id).handle == "19:30/Studio 2")
    }

    @Test func couplesPairFromTheLeftWithinEachBlockBetweenAisles() throws {
        let layout = try SeatLayout(parsing: "rows A-B; seats 1-7; aisles after 3; couple B")
        let places = layout.seats.map { CouplePairs.Place(id: $0.label, row: $0.rowLabel, gridColumn: $0.gridColumn, isCouple: $0.kind == .couple) }
        let partners = CouplePairs.partners(of: places)
        #expect(partners == ["B1": "B2", "B2": "B1", "B4": "B5", "B5": "B4", "B6": "B7", "B7": "B6"], "B3 stands alone before the aisle")
    }

    @Test func aCoupleSeatIsSoldWithItsPartnerAndALoneOneAlone() async throws {
        let cinema = try await fixture.addCinema()
        let studio = try await fixture.addStudio(cinema, layout: "rows A-B; seats 1-5; couple B")
        let movie = try await fixture.addMovie()
        let showtime = try await fixture.catalog.addShowtime(ShowtimeDraft(
            cinemaID: cinema.id, studioID: studio.id, movieID: movie.id, date: "2026-01-02", time: "19:30",
            basePrice: 50_000, priceModifiers: [.couple: 30_000]), by: fixture.manager)
        let pair = try await fixture.box.sales.sell(showtime: showtime.id, seats: ["B2"], method: "cash", by: fixture.manager)
        #expect(pair.seats == ["B1", "B2"])
        #expect(pair.total == 160_000)
        let lone = try await fixture.box.sales.sell(showtime: showtime.id, seats: ["b5"], method: "cash", by: fixture.manager)
        #expect(lone.seats == ["B5"])
        let ranged = try await fixture.box.sales.sell(showtime: showtime.id, seats: ["A1-A3"], method: "cash", by: fixture.manager)
        #expect(ranged.seats == ["A1", "A2", "A3"])
        let map = try await fixture.box.sales.seatMap(showtime: showtime.id)
        #expect(map.seats.first { $0.label == "B3" }?.pairedWith == "B4")
        #expect(map.seats.first { $0.label == "B5" }?.pairedWith == nil)
    }

    @Test func moneyIsReadAsItIsPrinted() throws {
        for (text, rupiah) in [("50000", 50_000), ("50.000", 50_000), ("Rp 1.250.000", 1_250_000), ("rp50.000", 50_000), ("-5.000", -5_000), ("0", 0)] {
            #expect(try Money(parsing: text).rupiah == rupiah, "\(text)")
            #expect(try Money(parsing: Money(rupiah: rupiah).formatted) == Money(rupiah: rupiah))
        }
        for text in ["50.5", "50,000", "5.0000", "", "Rp", "fifty", "1.2.3"] {
            #expect(throws: InputError.self, "\(text)") { try Money(parsing: text, field: "base_price") }
        }
    }

    @Test func receiptsWrapAtWordsAndTimestampsReadEveryStoresForm() {
        #expect(Receipt.wrap("2026-12-01 19:30 (Asia/Makassar)", width: 31) == ["2026-12-01 19:30", "(Asia/Makassar)"])
        #expect(Receipt.wrap("ABCDEFGHIJ", width: 4) == ["ABCD", "EFGH", "IJ"])
        #expect(Receipt.wrap("", width: 10) == [""])
        let instant = Date(timeIntervalSince1970: 1_796_113_774.322)  // 2026-12-01 08:29:34.322 UTC
        for text in ["2026-12-01 08:29:34.322", "2026-12-01 08:29:34.322+00", "2026-12-01T08:29:34.322Z", "2026-12-01T15:29:34.322+07:00"] {
            #expect(abs((Timestamp.parse(text) ?? .distantPast).timeIntervalSince(instant)) < 0.001, "\(text)")
        }
        #expect(Timestamp.parse("yesterday") == nil)
    }
}
