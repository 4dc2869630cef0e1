import Foundation
import GRDB
import TestSupport
@testable import BoxOfficeKit
@testable import SyncAgent

/// An old database (``LegacyDatabase``) and a new, empty store file to import it into.
struct LegacyImportFixture {
    let old: LegacyDatabase
    let directory: URL
    let path: String
    let box: BoxOffice

    init() throws {
        old = try LegacyDatabase()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("legacy-import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent("store.sqlite").path
        box = try BoxOffice.open(path: path)
    }

    /// The old database's rows, as the importer reads them.
    func snapshot() throws -> LegacySnapshot {
        try LegacySource.read(url: old.url) { _, _, _ in }
    }

    /// Runs the whole import into the store.
    @discardableResult
    func importIntoStore(dryRun: Bool = false) async throws -> LegacyImportReport {
        var configuration = LegacyImporter.Configuration(sourceURL: old.url)
        configuration.dryRun = dryRun
        return try await LegacyImporter(configuration: configuration).run(into: .store(box, name: path))
    }

    /// The new id of an old row; fails the test when it was not imported.
    func id(_ entity: LegacyEntity, _ legacyID: Int64) async throws -> String {
        guard let id = try await box.legacyImport.newID(of: entity, legacyID: legacyID) else {
            throw PostgresError(message: "old \(entity.rawValue) \(legacyID) was not imported")
        }
        return id
    }

    /// One row of the store, by its id.
    func row(_ table: String, _ id: String) async throws -> StoredRow? {
        try await box.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM \(table) WHERE id = ?", arguments: [id]).map(StoredRow.init)
        }
    }

    /// The number of rows of each table the import writes, the change log and the store's clock.
    func footprint() async throws -> [String: String] {
        try await box.read { db in
            var counts: [String: String] = [:]
            for table in ["cinemas", "studios", "seats", "movies", "showtimes", "payment_methods", "users", "bookings",
                          "tickets", "legacy_ids", "sync_conflicts", "change_log"] {
                counts[table] = String(try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? -1)
            }
            counts["last_hlc"] = try String.fetchOne(db, sql: "SELECT last_hlc FROM sync_state")
            return counts
        }
    }

    /// The store file and its WAL, as bytes.
    func storeBytes() -> Data {
        ["", "-wal"].reduce(into: Data()) { bytes, suffix in
            bytes += FileManager.default.contents(atPath: path + suffix) ?? Data()
        }
    }

    /// An old wall-clock time (Asia/Jakarta) as an instant.
    static func jakarta(_ text: String) -> Date {
        LegacyImportPlan.instant(text, in: TimeZone(identifier: "Asia/Jakarta")!)!
    }
}

/// A row read from the store, its values by column (GRDB's `Row` does not leave its database).
struct StoredRow: Sendable {
    let values: [String: DatabaseValue]

    init(_ row: Row) {
        values = Dictionary(row.columnNames.map { ($0, row[$0] as DatabaseValue) }, uniquingKeysWith: { first, _ in first })
    }

    subscript<Value: DatabaseValueConvertible>(_ column: String) -> Value? {
        values[column].flatMap { Value.fromDatabaseValue($0) }
    }
}
