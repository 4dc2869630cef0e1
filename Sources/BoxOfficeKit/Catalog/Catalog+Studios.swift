import Foundation
import GRDB

extension Catalog {
    /// Adds a studio to a cinema and generates its seats from a layout spec.
    ///
    /// ```swift
    /// let studio = try await box.catalog.addStudio(
    ///     cinemaID: cinema.id, name: "Studio 1",
    ///     layout: "rows A-J; seats 1-20; aisles after 4,16; vip E-F; couple J; wheelchair A1-A2",
    ///     by: manager)
    /// ```
    ///
    /// - Parameters:
    ///   - cinemaID: The cinema.
    ///   - name: The studio's name, unique within the cinema.
    ///   - layout: The seat layout spec (see ``SeatLayout``).
    ///   - principal: Who adds it: head office, or the cinema's own manager.
    /// - Returns: The new studio.
    /// - Throws: ``CatalogError/layoutSpecInvalid(_:)``, ``CatalogError/cinemaNotFound(_:)``,
    ///   ``CatalogError/studioNameTaken(_:)``; ``InputError`` for an empty name;
    ///   ``AccountError/notAllowed(_:)`` when the ownership table does not allow `principal`.
    public func addStudio(cinemaID: String, name: String, layout: String, by principal: Principal) async throws -> Studio {
        try principal.require(.insert(.studios, of: .cinema(cinemaID), doing: "add a studio"))
        try principal.require(.insert(.seats, of: .cinema(cinemaID), doing: "add a studio's seats"))
        let name = try CatalogInput.text(name, field: "name", maximum: 100)
        let seatLayout = try SeatLayout(parsing: layout)
        let now = box.now
        return try await box.write { db, stamp in
            try Self.insertStudio(cinemaID: cinemaID, name: name, layout: seatLayout, now: now, stamp: stamp, in: db)
        }
    }

    /// The studios of a cinema, by name.
    ///
    /// ```swift
    /// for studio in try await box.catalog.studios(cinemaID: cinema.id) { print(studio.name) }
    /// ```
    ///
    /// - Throws: ``CatalogError/cinemaNotFound(_:)``.
    public func studios(cinemaID: String) async throws -> [Studio] {
        try await box.read { db in
            _ = try Self.openCinema(id: cinemaID, in: db)
            return try Studio.filter(Column("cinema_id") == cinemaID && Column("deleted_at") == nil)
                .order(Column("name"), Column("id")).fetchAll(db)
        }
    }

    /// The studio with this id.
    ///
    /// ```swift
    /// let studio = try await box.catalog.studio(id: id)
    /// ```
    ///
    /// - Throws: ``CatalogError/studioNotFound(_:)`` when there is none or it was removed.
    public func studio(id: String) async throws -> Studio {
        try await box.read { db in try Self.openStudio(id: id, in: db) }
    }

    /// The seats of a studio, row by row, left to right.
    ///
    /// ```swift
    /// let seats = try await box.catalog.seats(studioID: studio.id)
    /// ```
    ///
    /// - Throws: ``CatalogError/studioNotFound(_:)``.
    public func seats(studioID: String) async throws -> [Seat] {
        try await box.read { db in
            _ = try Self.openStudio(id: studioID, in: db)
            return try Seat.filter(Column("studio_id") == studioID)
                .order(Column("grid_row"), Column("grid_column")).fetchAll(db)
        }
    }

    static func openStudio(id: String, in db: Database) throws -> Studio {
        guard let studio = try Studio.fetchOne(db, key: id), studio.deletedAt == nil else {
            throw CatalogError.studioNotFound(id)
        }
        return studio
    }

    /// Inserts a studio and its seats in the caller's transaction.
    static func insertStudio(
        cinemaID: String, name: String, layout: SeatLayout, now: Date, stamp: HLC, in db: Database
    ) throws -> Studio {
        _ = try openCinema(id: cinemaID, in: db)
        let studio = Studio(
            id: EntityID.make(at: now), cinemaID: cinemaID, name: name, layoutSpec: layout.spec,
            seatCount: layout.seats.count, createdAt: now, updatedAt: now, deletedAt: nil, hlc: stamp.description)
        do {
            try studio.insert(db)
        } catch let error as DatabaseError where db.brokenConstraint(error) == .oneStudioNamePerCinema {
            throw CatalogError.studioNameTaken(name)
        }
        try insertSeats(of: layout, studioID: studio.id, now: now, stamp: stamp, in: db)
        return studio
    }
}
