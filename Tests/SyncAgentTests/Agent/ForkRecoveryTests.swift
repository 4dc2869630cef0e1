import Foundation
import GRDB
import TestSupport
import Testing
@testable import BoxOfficeKit
@testable import SyncAgent

/// A counter store restored from a backup or copied, selling beside (or instead of) the store it
/// was copied from: head office must lose none of either's sales (issue 13).
@Suite(.enabled(if: TestPostgres.isAvailable, "needs the PostgreSQL server started by scripts/test.sh"))
struct ForkRecoveryTests {
    /// A copy of `counter`'s store at `path`, made with SQLite's backup API while the counter is
    /// idle, with its `.session` file, as a careful person backs a counter up.
    static func copy(of counter: SyncWorld.Counter, to path: String) throws -> BoxOffice {
        let destination = try DatabaseQueue(path: path)
        try counter.box.writer.backup(to: destination)
        try destination.close()
        let session = counter.path + ".session"
        if FileManager.default.fileExists(atPath: session) {
            try FileManager.default.copyItem(atPath: session, toPath: path + ".session")
        }
        return try BoxOffice.open(path: path)
    }

    /// Head office's bookings: id → code.
    static func centralBookings(_ world: SyncWorld) throws -> [String: String] {
        let result = try PostgresConnection(url: world.centralURL).query("SELECT id, code FROM central.bookings")
        return Dictionary(uniqueKeysWithValues: result.values.map { ($0[0]!, $0[1]!) })
    }

    @Test func aSaleOfACopiedStoreThatReusesSequenceNumbersReachesHeadOffice() async throws {
        let world = try await SyncWorld()
        let original = try await world.counter("braga2")
        let copy = try Self.copy(of: original, to: world.directory.appendingPathComponent("braga2-copy.sqlite").path)

        let first = try await original.box.sales.sell(showtime: world.showtimeID, seats: ["A1"], method: "cash", by: original.principal)
        try await original.agent.syncOnce()
        let second = try await copy.sales.sell(showtime: world.showtimeID, seats: ["A2"], method: "cash", by: original.principal)
        try await SyncAgent(box: copy, centralURL: original.url).syncOnce()

        let central = try Self.centralBookings(world)
        let seats = try world.centralSeats()
        #expect(central[first.id] == first.code)
        withKnownIssue("issue 13: head office takes the copy's batch for a resend of the original's") {
            #expect(central[second.id] != nil, "the copy's sale reached head office")
            #expect(seats["A2"] != nil)
        }
    }
}
