import Foundation
import GRDB

extension Catalog {
    /// Adds a movie.
    ///
    /// ```swift
    /// var draft = MovieDraft(title: "Agak Laen 2", durationMinutes: 119)
    /// draft.releaseDate = "2026-11-20"
    /// draft.posterURL = "https://posters.example/agak-laen-2.jpg"
    /// let movie = try await box.catalog.addMovie(draft, by: manager)
    /// ```
    ///
    /// - Parameters:
    ///   - draft: The movie's details.
    ///   - principal: Who adds it: head office (a manager of no cinema).
    /// - Returns: The new movie.
    /// - Throws: ``InputError`` naming `title`, `duration_minutes`, `release_date`, `poster_url`, …;
    ///   ``AccountError/notAllowed(_:)`` when the ownership table does not allow `principal`.
    public func addMovie(_ draft: MovieDraft, by principal: Principal) async throws -> Movie {
        try principal.require(.insert(.movies, doing: "add a movie"))
        let title = try CatalogInput.text(draft.title, field: "title")
        guard (1...600).contains(draft.durationMinutes) else {
            throw InputError(field: "duration_minutes", reason: "must be between 1 and 600 minutes")
        }
        let releaseDate = try draft.releaseDate.map { date throws(InputError) in
            let text = date.trimmingCharacters(in: .whitespaces)
            do throws(InputError) {
                _ = try LocalDateTime(date: text, time: "12:00", timeZone: "UTC")
            } catch {
                throw InputError(field: "release_date", reason: error.reason)
            }
            return text
        }
        let posterURL = try draft.posterURL.map { raw throws(InputError) in try Self.posterURL(raw) }
        let description = try CatalogInput.optionalText(draft.description, field: "description", maximum: 5000)
        let genre = try CatalogInput.optionalText(draft.genre, field: "genre", maximum: 100)
        let rating = try CatalogInput.optionalText(draft.rating, field: "rating", maximum: 20)
        let director = try CatalogInput.optionalText(draft.director, field: "director", maximum: 200)
        let cast = try draft.cast.map { name throws(InputError) in
            try CatalogInput.optionalText(name, field: "cast", maximum: 200)
        }.filter { !$0.isEmpty }
        let now = box.now
        return try await box.write { db, stamp in
            let movie = Movie(
                id: EntityID.make(at: now), title: title, description: description,
                durationMinutes: draft.durationMinutes, releaseDate: releaseDate, genre: genre, rating: rating,
                posterURL: posterURL, director: director, castMembers: cast, createdAt: now, updatedAt: now,
                deletedAt: nil, hlc: stamp.description)
            try movie.insert(db)
            return movie
        }
    }

    /// The movie with this id.
    ///
    /// ```swift
    /// let movie = try await box.catalog.movie(id: id)
    /// ```
    ///
    /// - Throws: ``CatalogError/movieNotFound(_:)`` when there is none or it was removed.
    public func movie(id: String) async throws -> Movie {
        try await box.read { db in try Self.openMovie(id: id, in: db) }
    }

    /// One page of the movies, by title.
    ///
    /// ```swift
    /// let page = try await box.catalog.movies(page: PageRequest(page: 1, limit: 50))
    /// ```
    ///
    /// - Throws: ``InputError`` naming `page` or `limit`.
    public func movies(page request: PageRequest = PageRequest()) async throws -> Page<Movie> {
        let request = try request.validated()
        return try await box.read { db in
            let showing = Movie.filter(Column("deleted_at") == nil)
            let total = try showing.fetchCount(db)
            let items = try showing.order(Column("title"), Column("id"))
                .limit(request.limit, offset: request.offset).fetchAll(db)
            return Page(items: items, page: request.page, limit: request.limit, total: total)
        }
    }

    static func openMovie(id: String, in db: Database) throws -> Movie {
        guard let movie = try Movie.fetchOne(db, key: id), movie.deletedAt == nil else {
            throw CatalogError.movieNotFound(id)
        }
        return movie
    }

    /// An absolute `http` or `https` URL with a host, trimmed.
    static func posterURL(_ raw: String) throws(InputError) -> String {
        let text = raw.trimmingCharacters(in: .whitespaces)
        guard text.count <= 2000, let url = URL(string: text), let scheme = url.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = url.host, !host.isEmpty
        else { throw InputError(field: "poster_url", reason: "must be a web address like https://example.com/poster.jpg") }
        return text
    }
}
