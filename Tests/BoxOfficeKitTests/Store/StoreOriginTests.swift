import Foundation
import GRDB
import Testing
@testable import BoxOfficeKit

/// A store that finds by itself that its file was restored from a backup or copied to another
/// machine takes a new booking-code prefix before it sells again (``StoreOrigin``).
struct StoreOriginTests {
    let fixture: SalesFixture

    /// The machine the tests' stores run on, whatever this machine has (or lacks) in /etc/machine-id.
    static let machine = "test-machine-00000000000000000001"

    init() throws {
        fixture = try SalesFixture { $0.machineIdentity = { Self.machine } }
    }

    /// A copy of the store's file at `path`, made with SQLite's backup API.
    func copyStore(to path: String) async throws {
        let destination = try DatabaseQueue(path: path)
        try fixture.box.writer.backup(to: destination)
        try destination.close()
    }

    func prefix(of code: String) -> String { String(code.split(separator: "-")[0]) }

    /// The store's configuration on this machine, or on another one.
    func configuration(machine: String = Self.machine) -> BoxOffice.Configuration {
        var configuration = BoxOffice.Configuration()
        configuration.clock = { [clock = fixture.clock] in clock.now }
        configuration.machineIdentity = { machine }
        return configuration
    }

    @Test func aStoreRestoredFromABackupOverItsFileTakesANewPrefixBeforeItSells() async throws {
        let first = try await fixture.box.sales.sell(showtime: fixture.upcoming, seats: ["B1"], method: "cash", by: fixture.cashier)
        let backup = fixture.store.directory.appendingPathComponent("backup.sqlite").path
        try await copyStore(to: backup)
        let second = try await fixture.box.sales.sell(showtime: fixture.upcoming, seats: ["B2"], method: "cash", by: fixture.cashier)

        // Restored over the store's own file, as SQLite's .restore does; the marker beside it stays.
        let restoring = try DatabaseQueue(path: backup)
        try restoring.backup(to: fixture.box.writer)
        try restoring.close()
        let restored = try BoxOffice.open(path: fixture.store.path, configuration: configuration())
        let state = try await restored.replica.state()
        #expect(state.bookingCodePrefix != prefix(of: first.code))
        let fork = try #require(state.fork)
        #expect(fork.count == 1 && fork.resentChanges == 0)
        #expect(fork.reason.contains("restored from a backup") && fork.reason.contains(second.code))
        let third = try await restored.sales.sell(showtime: fixture.upcoming, seats: ["B3"], method: "cash", by: fixture.cashier)
        #expect(third.code == state.bookingCodePrefix + "-0001", "no receipt repeats \(second.code)")

        // Opened again, it is the store last used here: nothing more happens.
        let again = try BoxOffice.open(path: fixture.store.path, configuration: configuration())
        #expect(try await again.replica.state().fork == fork)
        #expect(try await again.replica.state().bookingCodePrefix == state.bookingCodePrefix)
    }

    @Test func aStoreOpenedOnAnotherMachineTakesANewPrefix() async throws {
        let sold = try await fixture.box.sales.sell(showtime: fixture.upcoming, seats: ["B1"], method: "cash", by: fixture.cashier)
        let copy = fixture.store.directory.appendingPathComponent("copied.sqlite").path
        try await copyStore(to: copy)
        let moved = try BoxOffice.open(path: copy, configuration: configuration(machine: "another-machine-0000000000000000"))
        let state = try await moved.replica.state()
        #expect(state.bookingCodePrefix != prefix(of: sold.code))
        #expect(state.fork?.reason.contains("another machine") == true)
        // Back on its own machine the original keeps its prefix and has no fork.
        let original = try BoxOffice.open(path: fixture.store.path, configuration: configuration())
        #expect(try await original.replica.state().bookingCodePrefix == prefix(of: sold.code))
        #expect(try await original.replica.state().fork == nil)
    }

    @Test func aStoreReopenedWhereItWasLastUsedKeepsItsPrefix() async throws {
        let sold = try await fixture.box.sales.sell(showtime: fixture.upcoming, seats: ["B1"], method: "cash", by: fixture.cashier)
        let reopened = try BoxOffice.open(path: fixture.store.path, configuration: configuration())
        #expect(try await reopened.replica.state().bookingCodePrefix == prefix(of: sold.code))
        #expect(try await reopened.replica.state().fork == nil)
        let marker = try #require(FileManager.default.contents(atPath: fixture.store.path + ".origin"))
        #expect(String(decoding: marker, as: UTF8.self).contains(#""booking_number":1"#))
        let mode = try FileManager.default.attributesOfItem(atPath: fixture.store.path + ".origin")[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }
}
