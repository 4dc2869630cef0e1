import Foundation
import GRDB
import Testing
@testable import BoxOfficeKit

struct CinemaTests {
    @Test func addShowAndListWithTotals() async throws {
        let fixture = try await CatalogFixture()
        for name in ["Cinema C", "Cinema A", "Cinema B"] { try await fixture.addCinema(name) }
        let added = try await fixture.catalog.addCinema(
            CinemaDraft(name: "  Cinema Kuta ", city: "Badung", address: "Jl. Pantai Kuta", timeZone: "Asia/Makassar"),
            by: fixture.manager)
        #expect(added.name == "Cinema Kuta")
        #expect(added.timeZone == "Asia/Makassar")
        #expect(EntityID.isValid(added.id))
        #expect(try await fixture.catalog.cinema(id: added.id) == added)

        let first = try await fixture.catalog.cinemas(page: PageRequest(page: 1, limit: 3))
        #expect(first.items.map(\.name) == ["Cinema A", "Cinema B", "Cinema C"])
        #expect(first.total == 4)
        #expect(first.hasMore)
        let second = try await fixture.catalog.cinemas(page: PageRequest(page: 2, limit: 3))
        #expect(second.items.map(\.name) == ["Cinema Kuta"])
        #expect(second.total == 4)
    }

    @Test func defaultTimeZoneIsJakarta() async throws {
        let fixture = try await CatalogFixture()
        let cinema = try await fixture.catalog.addCinema(CinemaDraft(name: "Cinema Braga", city: "Bandung"), by: fixture.manager)
        #expect(cinema.timeZone == "Asia/Jakarta")
    }

    @Test func pageZeroIsRefused() async throws {
        let fixture = try await CatalogFixture()
        await #expect(throws: InputError(field: "page", reason: "must be 1 or more")) {
            try await fixture.catalog.cinemas(page: PageRequest(page: 0, limit: 20))
        }
        await #expect(throws: InputError(field: "limit", reason: "must be between 1 and 200")) {
            try await fixture.catalog.cinemas(page: PageRequest(page: 1, limit: 0))
        }
    }

    @Test func emptyNameIsRefusedAndNothingWritten() async throws {
        let fixture = try await CatalogFixture()
        let error = try await fixture.refused {
            _ = try await fixture.catalog.addCinema(CinemaDraft(name: "   ", city: "Jakarta"), by: fixture.manager)
        }
        #expect(error as? InputError == InputError(field: "name", reason: "must not be empty"))
        let noCity = try await fixture.refused {
            _ = try await fixture.catalog.addCinema(CinemaDraft(name: "Cinema", city: ""), by: fixture.manager)
        }
        #expect((noCity as? InputError)?.field == "city")
    }

    @Test(arguments: ["Asia/Jakartaa", "Mars/Olympus", "", "WIB"])
    func unknownTimeZoneIsRefused(zone: String) async throws {
        let fixture = try await CatalogFixture()
        let error = try await fixture.refused {
            _ = try await fixture.catalog.addCinema(CinemaDraft(name: "Cinema", city: "Jakarta", timeZone: zone), by: fixture.manager)
        }
        #expect((error as? InputError)?.field == "time_zone")
    }

    @Test func nonManagerIsRefused() async throws {
        let fixture = try await CatalogFixture()
        let cinema = try await fixture.addCinema()
        let add = try await fixture.refused {
            _ = try await fixture.catalog.addCinema(CinemaDraft(name: "Cinema", city: "Jakarta"), by: fixture.cashier)
        }
        #expect(add as? AccountError == .notAllowed("only head office may add a cinema"))
        #expect((add as? any BoxOfficeError)?.kind == .unauthorized)
        let edit = try await fixture.refused {
            _ = try await fixture.catalog.editCinema(id: cinema.id, CinemaChanges(name: "X"), by: fixture.cashier)
        }
        #expect(edit as? AccountError == .notAllowed("only head office or the cinema's own manager may edit a cinema"))
        let remove = try await fixture.refused {
            try await fixture.catalog.removeCinema(id: cinema.id, by: fixture.cashier)
        }
        #expect(remove as? AccountError == .notAllowed("only head office may remove a cinema"))
    }

    @Test func editChangesOnlyTheGivenFields() async throws {
        let clock = TestClock()
        let fixture = try await CatalogFixture(clock: clock)
        let cinema = try await fixture.addCinema()
        clock.advance(by: 60)
        let edited = try await fixture.catalog.editCinema(
            id: cinema.id, CinemaChanges(address: "Jl. Sudirman 1", timeZone: "Asia/Makassar"), by: fixture.manager)
        #expect(edited.name == cinema.name)
        #expect(edited.address == "Jl. Sudirman 1")
        #expect(edited.timeZone == "Asia/Makassar")
        #expect(edited.updatedAt == cinema.updatedAt.addingTimeInterval(60))
        #expect(edited.hlc > cinema.hlc)
        #expect(try await fixture.catalog.cinema(id: cinema.id) == edited)

        let bad = try await fixture.refused {
            _ = try await fixture.catalog.editCinema(id: cinema.id, CinemaChanges(name: ""), by: fixture.manager)
        }
        #expect((bad as? InputError)?.field == "name")
        let missing = try await fixture.refused {
            _ = try await fixture.catalog.editCinema(id: "no-such-id", CinemaChanges(name: "X"), by: fixture.manager)
        }
        #expect(missing as? CatalogError == .cinemaNotFound("no-such-id"))
        #expect((missing as? any BoxOfficeError)?.kind == .notFound)
    }

    @Test func removeIsASoftDelete() async throws {
        let fixture = try await CatalogFixture()
        let cinema = try await fixture.addCinema()
        let removed = try await fixture.catalog.removeCinema(id: cinema.id, by: fixture.manager)
        #expect(removed.deletedAt != nil)
        await #expect(throws: CatalogError.cinemaNotFound(cinema.id)) { try await fixture.catalog.cinema(id: cinema.id) }
        #expect(try await fixture.catalog.cinemas().total == 0)
        let stillThere = try await fixture.box.writer.read { db in try Cinema.fetchCount(db) }
        #expect(stillThere == 1)
        let again = try await fixture.refused { try await fixture.catalog.removeCinema(id: cinema.id, by: fixture.manager) }
        #expect(again as? CatalogError == .cinemaNotFound(cinema.id))
    }

    @Test func jsonIsSnakeCaseWithIdAndWithoutHLC() async throws {
        let fixture = try await CatalogFixture()
        let cinema = try await fixture.addCinema()
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        let object = try JSONSerialization.jsonObject(with: encoder.encode(cinema)) as? [String: Any]
        #expect(object?["id"] as? String == cinema.id)
        #expect(object?["time_zone"] as? String == "Asia/Jakarta")
        #expect(object?["created_at"] as? String == "2026-01-01T00:00:00Z")
        #expect(object?["hlc"] == nil)
    }
}
