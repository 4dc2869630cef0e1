import Foundation
import GRDB

/// A studio (auditorium) of a cinema, with the seats its layout spec generated.
///
/// ```swift
/// let studio = try await box.catalog.studio(id: id)
/// print("\(studio.name): \(studio.seatCount) seats, layout \(studio.layoutSpec)")
/// ```
public struct Studio: Sendable, Hashable, Identifiable, Codable, FetchableRecord, PersistableRecord {
    /// The table of the store that holds these rows: "studios".
    public static let databaseTableName = "studios"

    /// The studio's UUIDv7 id.
    public var id: String
    /// The cinema the studio belongs to.
    public var cinemaID: String
    /// The name, unique within its cinema, e.g. `Studio 1`.
    public var name: String
    /// The spec its seats were generated from (see ``SeatLayout``).
    public var layoutSpec: String
    /// How many seats the studio has.
    public var seatCount: Int
    /// When the studio was added.
    public var createdAt: Date
    /// When the studio was last changed.
    public var updatedAt: Date
    /// When the studio was removed; `nil` while in use.
    public var deletedAt: Date?
    /// The HLC stamp of the last local change.
    var hlc: String = ""

    enum CodingKeys: String, CodingKey {
        case id, name
        case cinemaID = "cinema_id"
        case layoutSpec = "layout_spec"
        case seatCount = "seat_count"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case deletedAt = "deleted_at"
    }

    /// Writes every column, `hlc` included (the `Encodable` form leaves it out).
    public func encode(to container: inout PersistenceContainer) throws {
        container["id"] = id
        container["cinema_id"] = cinemaID
        container["name"] = name
        container["layout_spec"] = layoutSpec
        container["seat_count"] = seatCount
        container["created_at"] = createdAt
        container["updated_at"] = updatedAt
        container["deleted_at"] = deletedAt
        container["hlc"] = hlc
    }
}

extension Studio {
    /// Reads a row of `studios`, `hlc` included (the `Decodable` form leaves it out).
    public init(row: Row) throws {
        id = row["id"]
        cinemaID = row["cinema_id"]
        name = row["name"]
        layoutSpec = row["layout_spec"]
        seatCount = row["seat_count"]
        createdAt = row["created_at"]
        updatedAt = row["updated_at"]
        deletedAt = row["deleted_at"]
        hlc = row["hlc"]
    }
}
