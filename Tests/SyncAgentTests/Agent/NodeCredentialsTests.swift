import Foundation
import GRDB
import Testing
import TestSupport
@testable import BoxOfficeKit
@testable import SyncAgent

/// A counter keeps its node's password in `<store>.pgpass` (mode 0600), never in the store: not after
/// a sync, not after an earlier build put it there, not after a new password.
@Suite(.enabled(if: TestPostgres.isAvailable, "needs the PostgreSQL server started by scripts/test.sh"))
struct NodeCredentialsTests {
    let world: SyncWorld

    init() async throws {
        world = try await SyncWorld()
    }

    /// Every file of the store — the database, its -wal and -shm — searched byte by byte, as `grep`
    /// would: the names of those that hold `secret`.
    static func storeFiles(_ path: String, containing secret: String) -> [String] {
        [path, path + "-wal", path + "-shm"].filter { file in
            guard let bytes = FileManager.default.contents(atPath: file) else { return false }
            return bytes.range(of: Data(secret.utf8)) != nil
        }
    }

    static func password(of url: String) throws -> String {
        try #require(try ConnectionString(url).password)
    }

    @Test func aSyncedCounterHoldsItsPasswordOnlyInItsPassfile() async throws {
        let counter = try await world.counter("creds")
        let password = try Self.password(of: counter.url)
        let credentials = NodeCredentials(box: counter.box)
        try await credentials.remember(counter.url)

        let passfile = try #require(credentials.passfile)
        #expect(passfile.path == counter.path + ".pgpass")
        #expect(try FileManager.default.attributesOfItem(atPath: passfile.path)[.posixPermissions] as? Int == 0o600)
        let lines = Passfile(parsing: String(decoding: try #require(try passfile.read()), as: UTF8.self))
        let role = try #require(try ConnectionString(counter.url).options["user"])
        #expect(lines.entries.map(\.user) == [role])
        #expect(lines.entries.map(\.password) == [password])
        let remembered = try #require(try await credentials.rememberedURL())
        #expect(try !ConnectionString(remembered).hasPassword)

        // The counter sells and syncs with the URL that holds no password: libpq reads the passfile.
        try await SyncFaultTests.sell(3, at: counter, in: world)
        var configuration = SyncAgent.Configuration()
        configuration.remembersCentralURL = true
        let report = try await SyncAgent(box: counter.box, centralURL: remembered, configuration: configuration).syncOnce()
        #expect(report.pushed.accepted == 6, "three bookings and their tickets")
        #expect(Self.storeFiles(counter.path, containing: password) == [], "grep finds no password in the store")
        #expect(try await counter.box.replica.state().centralURL == remembered)

        if TestPostgres.requiresPasswords {
            // Without the passfile head office lets the node in no more: the password came from it.
            passfile.remove()
            let error = await #expect(throws: PostgresError.self) {
                try await SyncAgent(box: counter.box, centralURL: remembered).syncOnce()
            }
            #expect(error?.message.contains("password") == true, "\(error?.message ?? "")")
        }
    }

    @Test func aStoreAnEarlierBuildWroteHasThePasswordMovedOutAtItsNextSync() async throws {
        let counter = try await world.counter("earlier")
        let password = try Self.password(of: counter.url)
        // What an earlier build did: the whole URL in the store, written through to the database file.
        try await counter.box.writer.write { [url = counter.url] db in
            try db.execute(sql: "UPDATE sync_state SET central_url = ?", arguments: [url])
        }
        try await counter.box.writer.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
        #expect(Self.storeFiles(counter.path, containing: password) == [counter.path], "the password is in the store")

        let plain = try ConnectionString(counter.url).withoutPassword
        try await SyncAgent(box: counter.box, centralURL: plain).syncOnce()
        #expect(try await counter.box.replica.state().centralURL == plain)
        let passfile = try #require(try NodeCredentials(box: counter.box).passfile?.read())
        #expect(Passfile(parsing: String(decoding: passfile, as: UTF8.self)).entries.map(\.password) == [password])
        #expect(Self.storeFiles(counter.path, containing: password) == [], "grep finds no password in the store")
    }

    @Test(.enabled(if: TestPostgres.requiresPasswords, "needs a PostgreSQL that asks for passwords (scripts/test.sh)"))
    func aNewPasswordTakesTheOldOnesPlaceInThePassfile() async throws {
        let counter = try await world.counter("rotated")
        let credentials = NodeCredentials(box: counter.box)
        try await credentials.remember(counter.url)
        let plain = try #require(try await credentials.rememberedURL())

        // Head office gives the node a new password (what `central rotate-node` does).
        let role = try #require(try ConnectionString(counter.url).options["user"])
        let newPassword = "rotated-" + UUID().uuidString.lowercased()
        try PostgresConnection(url: world.centralURL).execute("ALTER ROLE \(role) PASSWORD '\(newPassword)'")
        await #expect(throws: PostgresError.self) { try await SyncAgent(box: counter.box, centralURL: plain).syncOnce() }

        var components = try #require(URLComponents(string: counter.url))
        components.password = newPassword
        try await credentials.remember(try #require(components.string))
        let lines = Passfile(parsing: String(decoding: try #require(try credentials.passfile?.read()), as: UTF8.self))
        #expect(lines.entries.map(\.password) == [newPassword], "the old password is gone")
        try await SyncAgent(box: counter.box, centralURL: plain).syncOnce()
        #expect(Self.storeFiles(counter.path, containing: newPassword) == [])
    }
}
