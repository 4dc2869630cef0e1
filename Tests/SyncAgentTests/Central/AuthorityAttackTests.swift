import Foundation
import TestSupport
import Testing
@testable import SyncAgent

/// Issue 12's attacks, played as a hostile counter would: holding one node's sync URL and calling
/// head office's functions directly with forged input. Each is refused with its reason, nothing of
/// another cinema changes, and no other node is stopped.
@Suite(.enabled(if: TestPostgres.isAvailable, "needs the PostgreSQL server started by scripts/test.sh"))
struct AuthorityAttackTests {
    let fixture: CentralFixture

    init() throws {
        fixture = try CentralFixture()
    }

    private func call(_ connection: PostgresConnection, _ sql: String, _ parameters: [String?] = []) throws -> String? {
        try connection.query(sql, parameters).scalar
    }

    /// Attack 11: another node takes the locks a push used to take (advisory locks anyone connected
    /// can compute and hold): the victim's push is not held up by them.
    @Test func anotherNodesLocksCannotBeTakenOrHeld() throws {
        let victim = try fixture.counter("victim")
        let attacker = try fixture.counter("attacker")
        _ = try CentralFixture.push([], as: "store-victim", over: victim.connection)   // binds the store
        try attacker.connection.execute("BEGIN")
        for key in ["node:" + victim.registration.name, "showtime:" + fixture.showtimeID] {
            _ = try call(attacker.connection, "SELECT pg_advisory_lock(hashtextextended($1, 0))", [key])
        }
        // Were the victim to wait for those locks, its statement timeout would end the push.
        try victim.connection.execute("SET statement_timeout = '5s'")
        let outcomes = try CentralFixture.push(fixture.sale(booking: "honest", seats: ["A1"], stamp: "001601000000000-00000-v", firstSeq: 1),
                                               as: "store-victim", over: victim.connection)
        #expect(outcomes.map { $0["status"] as? String } == ["accepted", "accepted"])
        try attacker.connection.execute("ROLLBACK")
    }

    /// A push that could hold head office's locks for long — no statement timeout, or a long one —
    /// is refused before it takes any.
    @Test func aPushWithoutABoundedStatementTimeoutIsRefused() throws {
        let node = try fixture.counter("slow")
        for timeout in ["0", "1h"] {
            try node.connection.execute("SET statement_timeout = '\(timeout)'")
            let error = #expect(throws: PostgresError.self, "\(timeout)") {
                try CentralFixture.push([], as: "store-slow", over: node.connection)
            }
            #expect(error?.message.contains("statement timeout") == true, "\(timeout)")
        }
    }

    /// Attack 13: one call with 20,000 junk movies is refused at once, whole.
    @Test func anOversizedBatchIsRefusedWhole() throws {
        let node = try fixture.counter("flood")
        let junk = (1...20_000).map { CentralFixture.change($0, "001601000000000-00000-f", "movies", "junk-\($0)", ["id": "junk-\($0)", "title": "x"]) }
        let error = #expect(throws: PostgresError.self) { try CentralFixture.push(junk, as: "store-flood", over: node.connection) }
        #expect(error?.message.contains("at most 5000 changes") == true)
        #expect(try call(PostgresConnection(url: fixture.databaseURL), "SELECT count(*) FROM central.movies WHERE id LIKE 'junk-%'") == "0")
    }

    /// Attack 14: registering a node of the same name in another head office on the same server (a
    /// staging copy) neither resets nor takes over this head office's node.
    @Test func aNodeOfTheSameNameElsewhereOnTheServerLeavesThisOneAlone() throws {
        let production = try fixture.counter("braga")
        let staging = try HeadOffice(url: try TestPostgres.makeDatabase())
        try staging.initialise()
        let elsewhere = try staging.addNode(named: production.registration.name, cinemaID: nil)
        #expect(elsewhere.role != production.registration.role)
        // Production's node still logs in with its own password and syncs.
        #expect(try CentralFixture.push([], as: "store-braga", over: PostgresConnection(url: production.registration.url)).isEmpty)
        // Staging's role is no node of production.
        let intruder = try PostgresConnection(url: elsewhere.url.replacingOccurrences(
            of: URLComponents(string: elsewhere.url)!.path, with: URLComponents(string: fixture.databaseURL)!.path))
        let error = #expect(throws: PostgresError.self) { try CentralFixture.push([], as: "store-braga", over: intruder) }
        #expect(error?.message.contains("not a registered node of this head office") == true)
    }

    /// A counter on another sync protocol is told which side to upgrade, and head office never
    /// misreads its batch.
    @Test func aCounterOnAnotherProtocolIsToldToUpgrade() throws {
        let node = try fixture.counter("old")
        let error = #expect(throws: PostgresError.self) {
            try node.connection.query("SELECT sync_api.push($1, $2::jsonb, '[]'::jsonb)",
                                      [String(SyncAgent.protocolVersion - 1), CentralFixture.store("store-old")])
        }
        #expect(error?.sqlState == PostgresError.protocolMismatch)
        #expect(error?.kind == .unavailable, "the counter keeps selling and retries later")
        #expect(error?.message.contains("upgrade the counter") == true)
        // The agent and head office of one build speak the same protocol.
        #expect(try call(PostgresConnection(url: fixture.databaseURL), "SELECT central.protocol_version()")
                == String(SyncAgent.protocolVersion))
    }
}
