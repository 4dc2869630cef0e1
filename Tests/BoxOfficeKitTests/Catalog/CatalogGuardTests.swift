import Foundation
import GRDB
import Testing
@testable import BoxOfficeKit

/// Issue 15, items 4-6: the catalog refuses, with its reason and writing nothing, what would
/// silently strand customers: removing a cinema with showtimes to come, moving their local times
/// by a time-zone change, scheduling in the past.
struct CatalogGuardTests {
    let fixture: CatalogFixture
    let cinema: Cinema
    let studio: Studio
    let movie: Movie

    init() async throws {
        fixture = try await CatalogFixture()
        cinema = try await fixture.addCinema("Cinema Senayan")
        studio = try await fixture.addStudio(cinema, "Studio 1")
        movie = try await fixture.addMovie("Ekspedisi Krakatau", minutes: 120)
    }

    func schedule(_ date: String, _ time: String) async throws -> Showtime {
        try await fixture.catalog.addShowtime(
            ShowtimeDraft(cinemaID: cinema.id, studioID: studio.id, movieID: movie.id, date: date, time: time, basePrice: 50_000),
            by: fixture.manager)
    }

    @Test func aCinemaWithShowtimesToComeAndSoldTicketsIsNotRemoved() async throws {
        let showtime = try await schedule("2026-11-25", "19:30")
        _ = try await fixture.box.sales.sell(showtime: showtime.id, seats: ["A1", "A2"], method: "cash", by: fixture.manager)
        let error = try await fixture.refused { try await fixture.catalog.removeCinema(id: cinema.id, by: fixture.manager) }
        #expect(error as? CatalogError == .cinemaHasShowtimes(cinema: "Cinema Senayan", showtimes: 1, sold: 2))
        #expect("\(error)" == "Cinema Senayan has 1 showtime still to come with 2 tickets held or sold: refund or move them first, or remove the cinema once it has played — nothing was changed")
        #expect(try await fixture.box.sales.seatMap(showtime: showtime.id).seats.count == 30, "still on sale")
        // Not even with its showtimes cancelled: their customers paid.
        _ = try await fixture.refused {
            try await fixture.catalog.removeCinema(id: cinema.id, cancellingShowtimes: true, by: fixture.manager)
        }
        // Once it has played, the cinema may go.
        fixture.store.clock.advance(by: 400 * 86_400)
        _ = try await fixture.catalog.removeCinema(id: cinema.id, by: fixture.manager)
    }

    @Test func aTimeZoneChangeThatWouldMoveShowtimesIsRefused() async throws {
        _ = try await schedule("2026-11-25", "19:30")
        let error = try await fixture.refused {
            _ = try await fixture.catalog.editCinema(id: cinema.id, CinemaChanges(timeZone: "Asia/Makassar"), by: fixture.manager)
        }
        #expect(error as? CatalogError == .timeZoneMovesShowtimes(
            cinema: "Cinema Senayan", showtimes: 1, example: "2026-11-25 19:30 would become 2026-11-25 20:30"))
        // Other fields still change, and so does the zone of a cinema with nothing to come.
        #expect(try await fixture.catalog.editCinema(id: cinema.id, CinemaChanges(name: "Cinema Senayan XXI"), by: fixture.manager).name
                == "Cinema Senayan XXI")
        let empty = try await fixture.addCinema("Cinema Kuta")
        #expect(try await fixture.catalog.editCinema(id: empty.id, CinemaChanges(timeZone: "Asia/Makassar"), by: fixture.manager).timeZone
                == "Asia/Makassar")
    }

    @Test func aShowtimeInThePastIsRefused() async throws {
        let error = try await fixture.refused { _ = try await schedule("2025-12-31", "19:30") }
        #expect(error as? CatalogError == .showtimeInPast(date: "2025-12-31", time: "19:30"))
        #expect(error is CatalogError && (error as? CatalogError)?.kind == .invalidInput)
        _ = try await schedule("2026-11-25", "19:30")
    }
}
