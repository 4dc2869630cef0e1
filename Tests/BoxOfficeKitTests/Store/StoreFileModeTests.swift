import Foundation
import GRDB
import Testing
@testable import BoxOfficeKit

/// The store and SQLite's -wal and -shm beside it are readable by their user only (or their group
/// too, when asked): when created, when SQLite makes its files later, and when an existing store
/// with looser modes is opened.
struct StoreFileModeTests {
    let directory: URL
    let path: String

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("store-modes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent("counter.sqlite").path
    }

    static func mode(_ path: String) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    private var files: [String] { [path, path + "-wal", path + "-shm"] }

    @Test func aNewStoreAndItsWALAndSHMAreReadableByTheirUserOnly() async throws {
        let box = try BoxOffice.open(path: path)
        _ = try await box.accounts.createFirstManager(name: "Manager", email: "m@example.com", password: "long-enough-pass")
        for file in files {
            #expect(FileManager.default.fileExists(atPath: file), "\(file) exists while the store is open")
            #expect(try Self.mode(file) == 0o600, "\(file)")
        }
    }

    @Test func theWALAndSHMSQLiteMakesLaterTakeTheStoresMode() throws {
        do { _ = try BoxOffice.open(path: path) }  // closed again: SQLite removes its -wal and -shm
        for file in files.dropFirst() { try? FileManager.default.removeItem(atPath: file) }
        // Another program (here GRDB without the kit) opens the store: SQLite makes the files anew.
        let other = try DatabasePool(path: path)
        try other.write { db in try db.execute(sql: "UPDATE sync_state SET feed_lag = 1") }
        for file in files {
            #expect(try Self.mode(file) == 0o600, "\(file) has the store's mode, whoever made it")
        }
    }

    @Test func anExistingStoreThatOthersCouldReadIsPutBackToItsUserOnlyWithAWarning() throws {
        do { _ = try BoxOffice.open(path: path) }
        // An earlier build left the store 0644, and a program keeps its -wal and -shm open.
        let other = try DatabasePool(path: path)
        try other.write { db in try db.execute(sql: "UPDATE sync_state SET feed_lag = 1") }
        for file in files { #expect(chmod(file, 0o644) == 0) }

        let log = LogCapture()
        var configuration = BoxOffice.Configuration()
        configuration.logger = log.logger
        _ = try BoxOffice.open(path: path, configuration: configuration)
        for file in files {
            #expect(try Self.mode(file) == 0o600, "\(file)")
        }
        #expect(log.text.contains("could be read by other users of this machine (mode 0644): they are now mode 0600"))
        #expect(log.text.contains(path + "-wal"))
    }

    @Test func aStoreSharedWithItsGroupIsMode0660() async throws {
        var configuration = BoxOffice.Configuration()
        configuration.fileAccess = .ownerAndGroup
        let box = try BoxOffice.open(path: path, configuration: configuration)
        _ = try await box.accounts.createFirstManager(name: "Manager", email: "m@example.com", password: "long-enough-pass")
        for file in files {
            #expect(try Self.mode(file) == 0o660, "\(file)")
        }
        // Back to its user only when opened without the group.
        _ = try BoxOffice.open(path: path)
        for file in files {
            #expect(try Self.mode(file) == 0o600, "\(file)")
        }
    }
}
