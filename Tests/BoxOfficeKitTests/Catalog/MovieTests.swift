import Foundation
import GRDB
import Testing
@testable import BoxOfficeKit

struct MovieTests {
    @Test func addKeepsEveryDetailAndCastAsJSONArray() async throws {
        let fixture = try await CatalogFixture()
        var draft = MovieDraft(title: "Ekspedisi Krakatau", durationMinutes: 131)
        draft.description = "A volcanologist races the mountain."
        draft.releaseDate = "2026-11-13"
        draft.genre = "Adventure"
        draft.rating = "13+"
        draft.posterURL = "https://posters.example/krakatau.jpg"
        draft.director = "Hendra Wijaya"
        draft.cast = ["Laras Setiawati", " ", "Yusuf Ramadhan"]
        let movie = try await fixture.catalog.addMovie(draft, by: fixture.manager)
        #expect(movie.castMembers == ["Laras Setiawati", "Yusuf Ramadhan"])
        #expect(try await fixture.catalog.movie(id: movie.id) == movie)
        let stored = try await fixture.box.writer.read { db in
            try String.fetchOne(db, sql: "SELECT cast_members FROM movies WHERE id = ?", arguments: [movie.id])
        }
        #expect(stored == #"["Laras Setiawati","Yusuf Ramadhan"]"#)
        let page = try await fixture.catalog.movies(page: PageRequest(page: 1, limit: 10))
        #expect(page.items == [movie])
        #expect(page.total == 1)
    }

    static func draft(_ change: (inout MovieDraft) -> Void) -> MovieDraft {
        var draft = MovieDraft(title: "Warung Kopi Reuni", durationMinutes: 97)
        change(&draft)
        return draft
    }

    static let badDrafts: [(String, MovieDraft)] = [
        ("title", draft { $0.title = " " }),
        ("duration_minutes", draft { $0.durationMinutes = 0 }),
        ("duration_minutes", draft { $0.durationMinutes = 601 }),
        ("poster_url", draft { $0.posterURL = "not a url" }),
        ("poster_url", draft { $0.posterURL = "ftp://example.com/p.jpg" }),
        ("release_date", draft { $0.releaseDate = "13/11/2026" }),
        ("release_date", draft { $0.releaseDate = "2026-02-30" }),
    ]

    @Test(arguments: badDrafts)
    func badInputIsRefusedAndNothingWritten(field: String, draft: MovieDraft) async throws {
        let fixture = try await CatalogFixture()
        let error = try await fixture.refused { _ = try await fixture.catalog.addMovie(draft, by: fixture.manager) }
        #expect((error as? InputError)?.field == field)
    }

    @Test func nonManagerIsRefused() async throws {
        let fixture = try await CatalogFixture()
        let error = try await fixture.refused {
            _ = try await fixture.catalog.addMovie(MovieDraft(title: "X", durationMinutes: 90), by: fixture.cashier)
        }
        #expect(error as? AccountError == .notAllowed("only head office may add a movie"))
        await #expect(throws: CatalogError.movieNotFound("nope")) { try await fixture.catalog.movie(id: "nope") }
    }
}
