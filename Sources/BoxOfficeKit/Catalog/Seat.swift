import Foundation
import GRDB

/// One seat of a studio: its label as printed on the ticket, its kind and its place on the map.
///
/// ```swift
/// let seats = try await box.catalog.seats(studioID: studio.id)
/// let vip = seats.filter { $0.kind == .vip }.map(\.label)   // ["E1", "E2", …]
/// ```
public struct Seat: Sendable, Hashable, Identifiable, Codable, FetchableRecord, PersistableRecord {
    /// The table of the store that holds these rows: "seats".
    public static let databaseTableName = "seats"

    /// The seat's UUIDv7 id.
    public var id: String
    /// The studio of the seat.
    public var studioID: String
    /// The row letter, e.g. `F`.
    public var rowLabel: String
    /// The seat number within its row, from 1.
    public var number: Int
    /// The label on the ticket, e.g. `F12`.
    public var label: String
    /// What kind of seat it is, which may change its price.
    public var kind: SeatKind
    /// The row on the seat map, from 0 at the front (row A).
    public var gridRow: Int
    /// The column on the seat map, from 0; aisles are columns without seats.
    public var gridColumn: Int
    /// The HLC stamp of the last local change.
    var hlc: String = ""

    enum CodingKeys: String, CodingKey {
        case id, number, label, kind
        case studioID = "studio_id"
        case rowLabel = "row_label"
        case gridRow = "grid_row"
        case gridColumn = "grid_column"
    }

    /// Writes every column, `hlc` included (the `Encodable` form leaves it out).
    public func encode(to container: inout PersistenceContainer) throws {
        container["id"] = id
        container["studio_id"] = studioID
        container["row_label"] = rowLabel
        container["number"] = number
        container["label"] = label
        container["kind"] = kind.rawValue
        container["grid_row"] = gridRow
        container["grid_column"] = gridColumn
        container["hlc"] = hlc
    }
}

// Stored as its raw value; declared here rather than on the enum so that SeatKind.swift needs no GRDB.
extension SeatKind: DatabaseValueConvertible {}

extension Seat {
    /// Reads a row of `seats`, `hlc` included (the `Decodable` form leaves it out).
    public init(row: Row) throws {
        id = row["id"]
        studioID = row["studio_id"]
        rowLabel = row["row_label"]
        number = row["number"]
        label = row["label"]
        kind = row["kind"]
        gridRow = row["grid_row"]
        gridColumn = row["grid_column"]
        hlc = row["hlc"]
    }
}
