import Foundation
import GRDB

extension Catalog {
    /// Gives a studio that has no seat layout yet (one imported from the old system without seats)
    /// its layout, generating its seats; its showtimes go on sale from then on.
    ///
    /// ```swift
    /// let studio = try await box.catalog.completeLayout(
    ///     studioID: studio.id, layout: "rows A-H; seats 1-14; aisles after 7", by: manager)
    /// ```
    ///
    /// - Parameters:
    ///   - studioID: The studio; it must have no seats yet.
    ///   - layout: The seat layout spec (see ``SeatLayout``).
    ///   - principal: Who completes it: head office, or the studio's cinema's own manager.
    /// - Returns: The studio with its layout and seat count.
    /// - Throws: ``CatalogError/studioHasLayout(_:)`` when it has seats already (a layout with seats is
    ///   never replaced: tickets name them), ``CatalogError/layoutSpecInvalid(_:)``,
    ///   ``CatalogError/studioNotFound(_:)``; ``AccountError/notAllowed(_:)`` when the ownership table does not allow `principal`.
    public func completeLayout(studioID: String, layout: String, by principal: Principal) async throws -> Studio {
        let seatLayout = try SeatLayout(parsing: layout)
        let now = box.now
        return try await box.write { db, stamp in
            var studio = try Self.openStudio(id: studioID, in: db)
            try principal.require(.update(.studios, of: .cinema(studio.cinemaID), doing: "complete a studio's layout"))
            try principal.require(.insert(.seats, of: .cinema(studio.cinemaID), doing: "complete a studio's layout"))
            guard studio.seatCount == 0,
                  try Seat.filter(Column("studio_id") == studio.id).fetchCount(db) == 0
            else { throw CatalogError.studioHasLayout(studio.name) }
            studio.layoutSpec = seatLayout.spec
            studio.seatCount = seatLayout.seats.count
            studio.updatedAt = now
            studio.hlc = stamp.description
            try studio.update(db)
            try Self.insertSeats(of: seatLayout, studioID: studio.id, now: now, stamp: stamp, in: db)
            return studio
        }
    }

    /// Inserts the seats a layout generates for a studio, in the caller's transaction.
    static func insertSeats(of layout: SeatLayout, studioID: String, now: Date, stamp: HLC, in db: Database) throws {
        for position in layout.seats {
            try Seat(
                id: EntityID.make(at: now), studioID: studioID, rowLabel: position.rowLabel, number: position.number,
                label: position.label, kind: position.kind, gridRow: position.gridRow, gridColumn: position.gridColumn,
                hlc: stamp.description
            ).insert(db)
        }
    }
}
