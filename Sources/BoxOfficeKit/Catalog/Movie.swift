import Foundation
import GRDB

/// A movie that showtimes play.
///
/// ```swift
/// let movie = try await box.catalog.movie(id: id)
/// print("\(movie.title) (\(movie.durationMinutes) min, \(movie.rating))")
/// ```
public struct Movie: Sendable, Hashable, Identifiable, Codable, FetchableRecord, PersistableRecord {
    /// The table of the store that holds these rows: "movies".
    public static let databaseTableName = "movies"

    /// The movie's UUIDv7 id.
    public var id: String
    /// The title, e.g. `Pengabdi Setan 3`.
    public var title: String
    /// A short synopsis; may be empty.
    public var description: String
    /// The running time in minutes, from 1 to 600.
    public var durationMinutes: Int
    /// The release date, `YYYY-MM-DD`, if known.
    public var releaseDate: String?
    /// The genre, e.g. `Horror`; may be empty.
    public var genre: String
    /// The age rating, e.g. `SU`, `13+`, `17+`, `21+` (Indonesia's LSF classes); may be empty.
    public var rating: String
    /// The poster's `http`/`https` URL, if any.
    public var posterURL: String?
    /// The director; may be empty.
    public var director: String
    /// The cast, leading names first.
    public var castMembers: [String]
    /// When the movie was added.
    public var createdAt: Date
    /// When the movie was last changed.
    public var updatedAt: Date
    /// When the movie was removed; `nil` while showing.
    public var deletedAt: Date?
    /// The HLC stamp of the last local change.
    var hlc: String = ""

    enum CodingKeys: String, CodingKey {
        case id, title, description, genre, rating, director
        case durationMinutes = "duration_minutes"
        case releaseDate = "release_date"
        case posterURL = "poster_url"
        case castMembers = "cast_members"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case deletedAt = "deleted_at"
    }

    /// The running time as a `Duration`.
    public var duration: Duration { .seconds(durationMinutes * 60) }

    /// Writes every column, `hlc` included (the `Encodable` form leaves it out).
    public func encode(to container: inout PersistenceContainer) throws {
        container["id"] = id
        container["title"] = title
        container["description"] = description
        container["duration_minutes"] = durationMinutes
        container["release_date"] = releaseDate
        container["genre"] = genre
        container["rating"] = rating
        container["poster_url"] = posterURL
        container["director"] = director
        container["cast_members"] = try CatalogInput.jsonText(castMembers)
        container["created_at"] = createdAt
        container["updated_at"] = updatedAt
        container["deleted_at"] = deletedAt
        container["hlc"] = hlc
    }
}

/// What a manager types to add a movie.
///
/// ```swift
/// var draft = MovieDraft(title: "Agak Laen 2", durationMinutes: 119)
/// draft.genre = "Comedy"
/// draft.cast = ["Bene Dion", "Oki Rengga"]
/// let movie = try await box.catalog.addMovie(draft, by: manager)
/// ```
public struct MovieDraft: Sendable, Hashable {
    /// The title; must not be empty.
    public var title: String
    /// A short synopsis.
    public var description: String = ""
    /// The running time in minutes, from 1 to 600.
    public var durationMinutes: Int
    /// The release date, `YYYY-MM-DD`.
    public var releaseDate: String?
    /// The genre.
    public var genre: String = ""
    /// The age rating, e.g. `13+`.
    public var rating: String = ""
    /// The poster's `http`/`https` URL.
    public var posterURL: String?
    /// The director.
    public var director: String = ""
    /// The cast, leading names first; empty names are dropped.
    public var cast: [String] = []

    /// Creates a draft with the required fields; set the others as needed.
    public init(title: String, durationMinutes: Int) {
        self.title = title
        self.durationMinutes = durationMinutes
    }
}

extension Movie {
    /// Reads a row of `movies`, `hlc` included (the `Decodable` form leaves it out).
    public init(row: Row) throws {
        id = row["id"]
        title = row["title"]
        description = row["description"]
        durationMinutes = row["duration_minutes"]
        releaseDate = row["release_date"]
        genre = row["genre"]
        rating = row["rating"]
        posterURL = row["poster_url"]
        director = row["director"]
        castMembers = try JSONDecoder().decode([String].self, from: Data((row["cast_members"] as String).utf8))
        createdAt = row["created_at"]
        updatedAt = row["updated_at"]
        deletedAt = row["deleted_at"]
        hlc = row["hlc"]
    }
}
