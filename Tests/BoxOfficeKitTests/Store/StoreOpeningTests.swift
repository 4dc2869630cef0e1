import Foundation
import GRDB
import Testing
@testable import BoxOfficeKit

/// Issue 15, items 14 and 15: no store is created by accident, and a store that opens but is
/// damaged is refused as damaged (one line, ``ErrorKind/storeUnusable``), never given a new identity.
struct StoreOpeningTests {
    let store: TestStore
    init() throws { store = try TestStore() }

    @Test func aMissingStoreIsNotCreatedWhenRefused() throws {
        let path = store.directory.appendingPathComponent("typo.sqlite").path
        #expect(throws: StoreError.notFound(path: path)) { _ = try BoxOffice.open(path: path, ifMissing: .refuse) }
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(StoreError.notFound(path: path).kind == .notFound)
        // The store that exists opens either way, as the node it is.
        #expect(try BoxOffice.open(path: store.path, ifMissing: .refuse).nodeID == store.box.nodeID)
    }

    @Test func aStoreWithoutItsNodeIdentityIsDamagedNotANewNode() throws {
        try store.box.writer.write { db in try db.execute(sql: "DELETE FROM sync_state") }
        #expect(throws: StoreError.damaged("its node identity (sync_state) is gone: restore the store from a backup")) {
            _ = try BoxOffice.open(path: store.path)
        }
        #expect(try store.box.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM sync_state") } == 0)
    }

    @Test func aStoreWithATableDroppedIsDamaged() throws {
        try store.box.writer.write { db in
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            try db.execute(sql: "DROP TABLE mail_outbox")
        }
        #expect(throws: StoreError.damaged("its table mail_outbox is gone: restore the store from a backup")) {
            _ = try BoxOffice.open(path: store.path)
        }
    }

    @Test func aStoreWithADamagedHeaderIsUnusableInOneLine() throws {
        let path = store.path
        try store.box.writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        // The header's page-size and schema-format bytes: the file still starts "SQLite format 3".
        for offset: UInt64 in [16, 44] {
            try handle.seek(toOffset: offset)
            try handle.write(contentsOf: Data([0x7F]))
        }
        try handle.close()
        do {
            _ = try BoxOffice.open(path: path)
            Issue.record("a damaged store opened")
        } catch let error as StoreError {
            #expect(error.kind == .storeUnusable)
            #expect(!error.description.contains("\n"))
        }
    }
}
