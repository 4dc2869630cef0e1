import Foundation
import GRDB
import Testing
@testable import BoxOfficeKit

struct VersionGuardTests {
    @Test func aStoreFromANewerVersionIsRefusedAndLeftByteIdentical() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("boxoffice-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("store.sqlite").path
        do {
            let box = try BoxOffice.open(path: path)
            try box.writer.write { db in
                try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('9999_from_the_future')")
            }
            try (box.writer as? DatabasePool)?.writeWithoutTransaction { db in
                _ = try db.checkpoint(.truncate)
            }
        }  // the pool closes here
        let before = try Data(contentsOf: URL(fileURLWithPath: path))

        #expect(throws: StoreError.newerSchema(path: path, unknownMigrations: ["9999_from_the_future"])) {
            _ = try BoxOffice.open(path: path)
        }
        let after = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(after == before)
        #expect(StoreError.newerSchema(path: path, unknownMigrations: ["9999_from_the_future"]).kind == .storeUnusable)
    }
}
