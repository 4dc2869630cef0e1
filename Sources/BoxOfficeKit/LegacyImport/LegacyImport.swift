import Foundation
import GRDB

extension BoxOffice {
    /// Importing the old system's database into this store, and its old ids.
    ///
    /// ```swift
    /// let seat = try await box.legacyImport.newID(of: .seats, legacyID: 3)
    /// ```
    public var legacyImport: LegacyImport { LegacyImport(box: self) }
}

/// The store's side of `boxoffice import-legacy`: planning an import against what the store has,
/// writing the planned rows in one transaction, and the mapping of old integer ids that fronts
/// speaking the old API (`seatIds`, `payment_method`, `booking_id`) look new rows up by.
///
/// Reading the old PostgreSQL database is the sync agent's work (`LegacyImporter`, which drives the
/// whole import); the kit takes its rows as a ``LegacySnapshot``.
///
/// ```swift
/// let plan = try await box.legacyImport.plan(snapshot, options: LegacyImportOptions())
/// let outcome = try await box.legacyImport.apply(plan.batch)
/// print(plan.report(target: "store", dryRun: false, outcome: outcome).text)
/// ```
///
/// ## Topics
///
/// ### Importing
/// - ``plan(_:options:)``
/// - ``apply(_:dryRun:progress:)``
/// - ``LegacyImportPlan``
/// - ``ImportBatch``
/// - ``ImportOutcome``
///
/// ### Old ids
/// - ``mapping()``
/// - ``newID(of:legacyID:)``
/// - ``LegacyEntity``
public struct LegacyImport: Sendable {
    let box: BoxOffice

    /// Every old id this store knows, imported here or sent by head office with its rows.
    ///
    /// ```swift
    /// let mapping = try await box.legacyImport.mapping()
    /// print(mapping.count(of: .bookings))
    /// ```
    public func mapping() async throws -> LegacyIDMap {
        try await box.read { db in
            var mapping = LegacyIDMap()
            let rows = try Row.fetchCursor(db, sql: "SELECT entity, legacy_id, new_id FROM legacy_ids")
            while let row = try rows.next() {
                guard let entity = LegacyEntity(rawValue: row[0]) else { continue }
                mapping[entity, row[1]] = row[2]
            }
            return mapping
        }
    }

    /// The id of the row that old row `legacyID` of `entity` became, or `nil` when it was not imported.
    ///
    /// ```swift
    /// let methodID = try await box.legacyImport.newID(of: .paymentMethods, legacyID: 2)   // the old "Gopay"
    /// ```
    public func newID(of entity: LegacyEntity, legacyID: Int64) async throws -> String? {
        try await box.read { db in
            try String.fetchOne(db, sql: "SELECT new_id FROM legacy_ids WHERE entity = ? AND legacy_id = ?",
                                arguments: [entity.rawValue, legacyID])
        }
    }

    /// Plans the import of `snapshot` into this store: against the old ids it has imported, with the
    /// store's clock, hold duration and cleaning buffer.
    ///
    /// - Parameters:
    ///   - snapshot: The old database's rows.
    ///   - options: The time zones; its `now`, hold and cleaning times are taken from the store.
    /// - Throws: ``LegacyImportError/unknownTimeZone(_:)``.
    public func plan(_ snapshot: LegacySnapshot, options: LegacyImportOptions) async throws -> LegacyImportPlan {
        var options = options
        options.now = box.now
        options.holdDuration = box.configuration.holdDuration
        options.cleaningBuffer = box.configuration.cleaningBuffer
        return try LegacyImportPlan(snapshot, mapping: try await mapping(), options: options)
    }
}
