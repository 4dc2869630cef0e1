import Foundation
import GRDB
import Testing
@testable import BoxOfficeKit

struct ShowtimeTests {
    let fixture: CatalogFixture
    let cinema: Cinema
    let studio: Studio
    let movie: Movie

    init() async throws {
        fixture = try await CatalogFixture()
        cinema = try await fixture.addCinema("Cinema Senayan")
        studio = try await fixture.addStudio(cinema, "Studio 1", layout: "rows A-J; seats 1-20; vip E-F")
        movie = try await fixture.addMovie("Ekspedisi Krakatau", minutes: 120)
    }

    func draft(_ date: String = "2026-11-25", _ time: String = "19:30", studio: Studio? = nil, price: Money = 50_000) -> ShowtimeDraft {
        ShowtimeDraft(
            cinemaID: cinema.id, studioID: (studio ?? self.studio).id, movieID: movie.id, date: date, time: time,
            basePrice: price, priceModifiers: [.vip: 25_000])
    }

    @discardableResult
    func add(_ draft: ShowtimeDraft) async throws -> Showtime {
        try await fixture.catalog.addShowtime(draft, by: fixture.manager)
    }

    @Test func startIsLocalEndAddsDurationAndCleaning() async throws {
        let showtime = try await add(draft())
        #expect(showtime.startsAt == ISO8601DateFormatter().date(from: "2026-11-25T12:30:00Z"))
        #expect(showtime.endsAt == showtime.startsAt.addingTimeInterval((120 + 15) * 60))
        #expect(showtime.localStart.iso8601 == "2026-11-25T19:30:00+07:00")
        #expect(showtime.localEnd.iso8601 == "2026-11-25T21:45:00+07:00")
        #expect(showtime.price(for: .vip) == 75_000)
        #expect(showtime.price(for: .regular) == 50_000)
        #expect(showtime.movieTitle == "Ekspedisi Krakatau")
        #expect(showtime.studioName == "Studio 1")
        #expect(try await fixture.catalog.showtime(id: showtime.id) == showtime)

        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        let object = try JSONSerialization.jsonObject(with: encoder.encode(showtime)) as? [String: Any]
        #expect(object?["id"] as? String == showtime.id)
        #expect(object?["starts_at"] as? String == "2026-11-25T12:30:00Z")
        #expect(object?["local_starts_at"] as? String == "2026-11-25T19:30:00+07:00")
        #expect(object?["local_ends_at"] as? String == "2026-11-25T21:45:00+07:00")
        #expect(object?["base_price"] as? Int == 50_000)
        #expect(object?["price_modifiers"] as? [String: Int] == ["vip": 25_000])
        #expect(object?["hlc"] == nil)
    }

    @Test func cinemaInMakassarUsesItsOwnZone() async throws {
        let kuta = try await fixture.addCinema("Cinema Kuta", zone: "Asia/Makassar")
        let bali = try await fixture.addStudio(kuta)
        let showtime = try await fixture.catalog.addShowtime(
            ShowtimeDraft(cinemaID: kuta.id, studioID: bali.id, movieID: movie.id, date: "2026-11-25", time: "19:30", basePrice: 50_000),
            by: fixture.manager)
        #expect(showtime.startsAt == ISO8601DateFormatter().date(from: "2026-11-25T11:30:00Z"))
        #expect(showtime.localStart.iso8601 == "2026-11-25T19:30:00+08:00")
    }

    @Test func overlapIsAConflictNamingTheExistingShowtime() async throws {
        let first = try await add(draft("2026-11-25", "19:30"))
        let error = try await fixture.refused { try await add(draft("2026-11-25", "21:30")) }
        #expect(error as? CatalogError == .showtimeOverlaps(existing: first))
        #expect((error as? any BoxOfficeError)?.kind == .conflict)
        let message = (error as? CatalogError)?.description ?? ""
        #expect(message.contains("Ekspedisi Krakatau"), "\(message)")
        #expect(message.contains("19:30"), "\(message)")
        #expect(message.contains(first.id), "\(message)")
        // Starting earlier but running into it clashes too.
        let before = try await fixture.refused { try await add(draft("2026-11-25", "17:30")) }
        #expect(before as? CatalogError == .showtimeOverlaps(existing: first))
        // Right after the cleaning, and in another studio at the same time, is fine.
        try await add(draft("2026-11-25", "21:45"))
        let other = try await fixture.addStudio(cinema, "Studio 2")
        try await add(draft("2026-11-25", "19:30", studio: other))
    }

    @Test func triggerRefusesAnOverlapThatBypassesTheKit() async throws {
        let first = try await add(draft())
        #expect {
            try fixture.box.writer.write { db in
                try db.execute(sql: """
                    INSERT INTO showtimes (id, cinema_id, studio_id, movie_id, starts_at, ends_at, base_price, created_at, updated_at, hlc)
                    SELECT ?, cinema_id, studio_id, movie_id, starts_at, ends_at, 1, created_at, updated_at, hlc FROM showtimes WHERE id = ?
                    """, arguments: [EntityID.make(), first.id])
            }
        } throws: { error in
            let error = error as? DatabaseError
            return error?.extendedResultCode == .SQLITE_CONSTRAINT_TRIGGER
                && error?.message == StoreConstraint.showtimesDoNotOverlap.rawValue
        }
    }

    @Test func studioOfAnotherCinemaIsRefused() async throws {
        let braga = try await fixture.addCinema("Cinema Braga")
        let bandungStudio = try await fixture.addStudio(braga, "Studio 7")
        let error = try await fixture.refused { try await add(draft(studio: bandungStudio)) }
        #expect(error as? CatalogError == .studioOfAnotherCinema(studio: "Studio 7", cinemaID: cinema.id))
        #expect((error as? any BoxOfficeError)?.kind == .invalidInput)
    }

    @Test func negativePricesAreRefused() async throws {
        let error = try await fixture.refused { try await add(draft(price: -1)) }
        #expect(error as? InputError == InputError(field: "base_price", reason: "must not be negative"))
        var negativeModifier = draft()
        negativeModifier.priceModifiers = [.couple: -5_000]
        let modifier = try await fixture.refused { try await add(negativeModifier) }
        #expect((modifier as? InputError)?.field == "price_modifiers")
        // Free showtimes are allowed.
        #expect(try await add(draft(price: 0)).basePrice == .zero)
    }

    @Test(arguments: [
        ("2026-13-01", "19:30", "date"), ("25-11-2026", "19:30", "date"), ("2026-02-30", "19:30", "date"),
        ("2026-11-25", "24:00", "time"), ("2026-11-25", "7pm", "time"), ("2026-11-25", "19:3", "time"),
    ])
    func badDateOrTimeIsRefused(date: String, time: String, field: String) async throws {
        let error = try await fixture.refused { try await add(draft(date, time)) }
        #expect((error as? InputError)?.field == field)
    }

    @Test func unknownMovieStudioOrCinemaIsNotFound() async throws {
        var unknownMovie = draft()
        unknownMovie.movieID = "no-movie"
        #expect(try await fixture.refused { try await add(unknownMovie) } as? CatalogError == .movieNotFound("no-movie"))
        var unknownStudio = draft()
        unknownStudio.studioID = "no-studio"
        #expect(try await fixture.refused { try await add(unknownStudio) } as? CatalogError == .studioNotFound("no-studio"))
        var unknownCinema = draft()
        unknownCinema.cinemaID = "no-cinema"
        #expect(try await fixture.refused { try await add(unknownCinema) } as? CatalogError == .cinemaNotFound("no-cinema"))
        await #expect(throws: CatalogError.showtimeNotFound("nope")) { try await fixture.catalog.showtime(id: "nope") }
    }

    @Test func nonManagerIsRefused() async throws {
        let error = try await fixture.refused { _ = try await fixture.catalog.addShowtime(draft(), by: fixture.cashier) }
        #expect(error as? AccountError == .notAllowed("only head office or the cinema's own manager may schedule a showtime"))
    }

    @Test func severalAtOnceAreAllOrNothing() async throws {
        let error = try await fixture.refused {
            _ = try await fixture.catalog.addShowtimes([draft("2026-11-25", "13:00"), draft("2026-11-25", "14:00")], by: fixture.manager)
        }
        guard case .showtimeOverlaps = error as? CatalogError else {
            Issue.record("expected an overlap, got \(error)")
            return
        }
        let both = try await fixture.catalog.addShowtimes([draft("2026-11-25", "13:00"), draft("2026-11-25", "16:00")], by: fixture.manager)
        #expect(both.count == 2)
    }

    @Test func listsByLocalDateOfTheCinema() async throws {
        let early = try await add(draft("2026-11-25", "00:30"))       // 2026-11-24 17:30 UTC
        let late = try await add(draft("2026-11-25", "21:30"))
        try await add(draft("2026-11-26", "00:30"))
        try await add(draft("2026-11-24", "20:00"))
        let day = try await fixture.catalog.showtimes(cinemaID: cinema.id, on: "2026-11-25")
        #expect(day.map(\.id) == [early.id, late.id])
        #expect(try await fixture.catalog.showtimes(cinemaID: cinema.id, on: "2026-11-27").isEmpty)
        await #expect(throws: InputError.self) { try await fixture.catalog.showtimes(cinemaID: cinema.id, on: "tomorrow") }
        await #expect(throws: CatalogError.cinemaNotFound("x")) { try await fixture.catalog.showtimes(cinemaID: "x", on: "2026-11-25") }
    }

    @Test func findsOneByCinemaDateAndTime() async throws {
        let evening = try await add(draft("2026-11-25", "19:30"))
        #expect(try await fixture.catalog.showtime(cinemaID: cinema.id, date: "2026-11-25", time: "19:30") == evening)
        await #expect(throws: CatalogError.noShowtimeAt(cinema: cinema.name, date: "2026-11-25", time: "19:00")) {
            try await fixture.catalog.showtime(cinemaID: cinema.id, date: "2026-11-25", time: "19:00")
        }
        let other = try await fixture.addStudio(cinema, "Studio 2")
        let parallel = try await add(draft("2026-11-25", "19:30", studio: other))
        await #expect(throws: CatalogError.self) {
            try await fixture.catalog.showtime(cinemaID: cinema.id, date: "2026-11-25", time: "19:30")
        }
        #expect(try await fixture.catalog.showtime(cinemaID: cinema.id, date: "2026-11-25", time: "19:30", studioID: other.id) == parallel)
    }
}
