import Foundation
import GRDB
import Testing
@testable import BoxOfficeKit

struct SchemaTests {
    /// The folder `schemas/sqlite/migrations/` of this repository.
    static let schemaFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("schemas/sqlite/migrations")

    /// The build plugin embeds the files as they are now: none missing, none stale.
    @Test func embeddedSchemaEqualsSchemasFolder() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.schemaFolder.path)
            .filter { $0.hasSuffix(".sql") }.sorted()
        #expect(files.map { String($0.dropLast(4)) } == EmbeddedSchema.migrations.map(\.name))
        for (file, migration) in zip(files, EmbeddedSchema.migrations) {
            let text = try String(contentsOf: Self.schemaFolder.appendingPathComponent(file), encoding: .utf8)
            #expect(text == migration.sql, "\(file) is embedded as it is")
        }
    }

    @Test func migratedStoreHasExactlyTheSchemaOfTheFiles() throws {
        let store = try TestStore()
        let raw = try DatabaseQueue()
        let folder = Self.schemaFolder.deletingLastPathComponent()
        for part in ["migrations", "rules"] {
            let files = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent(part).path)
                .filter { $0.hasSuffix(".sql") }.sorted()
            for file in files {
                try raw.write { db in
                    try db.execute(sql: String(contentsOf: folder.appendingPathComponent(part).appendingPathComponent(file), encoding: .utf8))
                }
            }
        }
        let query = """
            SELECT type, name, tbl_name, sql FROM sqlite_master
            WHERE name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%' ORDER BY name
            """
        let applied = try store.box.writer.read { db in try Row.fetchAll(db, sql: query) }
        let expected = try raw.read { db in try Row.fetchAll(db, sql: query) }
        #expect(applied.count > 40)
        #expect(applied == expected)
    }
}
