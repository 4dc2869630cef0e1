import Foundation
import GRDB
import Testing
@testable import BoxOfficeKit

struct StudioTests {
    @Test func addStudioGeneratesItsSeats() async throws {
        let fixture = try await CatalogFixture()
        let cinema = try await fixture.addCinema()
        let studio = try await fixture.catalog.addStudio(
            cinemaID: cinema.id, name: " Studio 1 ", layout: "rows A-J; seats 1-20; aisles after 4,16; couple J; wheelchair A1-A2",
            by: fixture.manager)
        #expect(studio.name == "Studio 1")
        #expect(studio.seatCount == 200)
        let seats = try await fixture.catalog.seats(studioID: studio.id)
        #expect(seats.count == 200)
        #expect(seats.first?.label == "A1")
        #expect(seats.first?.kind == .wheelchair)
        #expect(seats.last?.label == "J20")
        #expect(seats.last?.kind == .couple)
        #expect(seats.allSatisfy { $0.hlc == studio.hlc })
        #expect(try await fixture.catalog.studios(cinemaID: cinema.id) == [studio])
        #expect(try await fixture.catalog.studio(id: studio.id) == studio)
    }

    @Test func badLayoutWritesNothing() async throws {
        let fixture = try await CatalogFixture()
        let cinema = try await fixture.addCinema()
        let error = try await fixture.refused {
            _ = try await fixture.addStudio(cinema, layout: "rows A-J; seats 1-20; aisles after 25")
        }
        #expect(error as? CatalogError == .layoutSpecInvalid("an aisle after seat 25 is not between two seats of 1-20"))
        #expect((error as? any BoxOfficeError)?.kind == .invalidInput)
    }

    @Test func emptyNameIsRefused() async throws {
        let fixture = try await CatalogFixture()
        let cinema = try await fixture.addCinema()
        let error = try await fixture.refused { _ = try await fixture.addStudio(cinema, "") }
        #expect(error as? InputError == InputError(field: "name", reason: "must not be empty"))
    }

    @Test func nameIsUniquePerCinema() async throws {
        let fixture = try await CatalogFixture()
        let jakarta = try await fixture.addCinema("Cinema Senayan")
        let bandung = try await fixture.addCinema("Cinema Braga")
        try await fixture.addStudio(jakarta, "Studio 1")
        try await fixture.addStudio(bandung, "Studio 1")
        let error = try await fixture.refused { _ = try await fixture.addStudio(jakarta, "Studio 1") }
        #expect(error as? CatalogError == .studioNameTaken("Studio 1"))
        #expect((error as? any BoxOfficeError)?.kind == .conflict)
    }

    @Test func unknownOrRemovedCinemaIsNotFound() async throws {
        let fixture = try await CatalogFixture()
        let cinema = try await fixture.addCinema()
        try await fixture.catalog.removeCinema(id: cinema.id, by: fixture.manager)
        let error = try await fixture.refused { _ = try await fixture.addStudio(cinema) }
        #expect(error as? CatalogError == .cinemaNotFound(cinema.id))
        await #expect(throws: CatalogError.studioNotFound("nope")) { try await fixture.catalog.seats(studioID: "nope") }
    }

    @Test func nonManagerIsRefused() async throws {
        let fixture = try await CatalogFixture()
        let cinema = try await fixture.addCinema()
        let error = try await fixture.refused {
            _ = try await fixture.catalog.addStudio(cinemaID: cinema.id, name: "S", layout: "rows A-B; seats 1-2", by: fixture.cashier)
        }
        #expect(error as? AccountError == .notAllowed("only head office or the cinema's own manager may add a studio"))
    }
}
