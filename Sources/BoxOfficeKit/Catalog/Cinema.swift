import Foundation
import GRDB

/// A cinema: a building with studios, in one time zone.
///
/// Every date and time people type or read for its showtimes is in ``timeZone``; the store keeps
/// UTC instants.
///
/// ```swift
/// let cinema = try await box.catalog.cinema(id: id)
/// print("\(cinema.name), \(cinema.city) (\(cinema.timeZone))")
/// ```
public struct Cinema: Sendable, Hashable, Identifiable, Codable, FetchableRecord, PersistableRecord {
    /// The table of the store that holds these rows: "cinemas".
    public static let databaseTableName = "cinemas"

    /// The cinema's UUIDv7 id.
    public var id: String
    /// The name on tickets and screens, e.g. `Cinema Senayan`.
    public var name: String
    /// The city, e.g. `Jakarta`.
    public var city: String
    /// The street address; may be empty.
    public var address: String
    /// The IANA time zone of the cinema, e.g. `Asia/Jakarta`.
    public var timeZone: String
    /// When the cinema was added.
    public var createdAt: Date
    /// When the cinema was last changed.
    public var updatedAt: Date
    /// When the cinema was removed; `nil` while it is open.
    public var deletedAt: Date?
    /// The HLC stamp of the last local change.
    var hlc: String = ""

    enum CodingKeys: String, CodingKey {
        case id, name, city, address
        case timeZone = "time_zone"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case deletedAt = "deleted_at"
    }

    /// The cinema's time zone as a `TimeZone`.
    public var zone: TimeZone { TimeZone(identifier: timeZone) ?? .gmt }

    /// Writes every column, `hlc` included (the `Encodable` form leaves it out).
    public func encode(to container: inout PersistenceContainer) throws {
        container["id"] = id
        container["name"] = name
        container["city"] = city
        container["address"] = address
        container["time_zone"] = timeZone
        container["created_at"] = createdAt
        container["updated_at"] = updatedAt
        container["deleted_at"] = deletedAt
        container["hlc"] = hlc
    }
}

/// What a manager types to add a cinema.
///
/// ```swift
/// let draft = CinemaDraft(name: "Cinema Braga", city: "Bandung", address: "Jl. Braga 10")
/// ```
public struct CinemaDraft: Sendable, Hashable {
    /// The cinema's name; must not be empty.
    public var name: String
    /// The city; must not be empty.
    public var city: String
    /// The street address; may be empty.
    public var address: String
    /// The IANA time zone, `Asia/Jakarta` unless given.
    public var timeZone: String

    /// Creates a draft; the time zone defaults to `Asia/Jakarta` (WIB).
    public init(name: String, city: String, address: String = "", timeZone: String = "Asia/Jakarta") {
        self.name = name
        self.city = city
        self.address = address
        self.timeZone = timeZone
    }
}

/// The changes of one edit to a cinema: only the fields that are not `nil` change.
///
/// ```swift
/// var changes = CinemaChanges()
/// changes.address = "Jl. Asia Afrika 8"
/// let cinema = try await box.catalog.editCinema(id: id, changes, by: manager)
/// ```
public struct CinemaChanges: Sendable, Hashable {
    /// A new name.
    public var name: String?
    /// A new city.
    public var city: String?
    /// A new address.
    public var address: String?
    /// A new IANA time zone.
    public var timeZone: String?

    /// Creates a set of changes; fields left `nil` keep their value.
    public init(name: String? = nil, city: String? = nil, address: String? = nil, timeZone: String? = nil) {
        self.name = name
        self.city = city
        self.address = address
        self.timeZone = timeZone
    }
}

extension Cinema {
    /// Reads a row of `cinemas`, `hlc` included (the `Decodable` form leaves it out).
    public init(row: Row) throws {
        id = row["id"]
        name = row["name"]
        city = row["city"]
        address = row["address"]
        timeZone = row["time_zone"]
        createdAt = row["created_at"]
        updatedAt = row["updated_at"]
        deletedAt = row["deleted_at"]
        hlc = row["hlc"]
    }
}
