import Foundation
import TestSupport
import Testing
@testable import SyncAgent

@Suite(.enabled(if: TestPostgres.isAvailable, "needs the PostgreSQL server started by scripts/test.sh"))
struct HeadOfficeTests {
    @Test func initialiseIsIdempotentAndVersioned() throws {
        let headOffice = try HeadOffice(url: try TestPostgres.makeDatabase())
        let first = try headOffice.initialise()
        #expect(first.migrations == EmbeddedSchema.migrations.map(\.name))
        #expect(first.rulesApplied == CentralSchema.rules.count)
        #expect(try headOffice.initialise().isEmpty)
    }

    @Test func aDatabaseFromANewerVersionIsRefused() throws {
        let url = try TestPostgres.makeDatabase()
        let headOffice = try HeadOffice(url: url)
        try headOffice.initialise()
        try PostgresConnection(url: url).query("INSERT INTO public.boxoffice_migrations (name) VALUES ('9999_future')")
        #expect(throws: CentralError.newerSchema(["9999_future"])) { try headOffice.initialise() }
    }

    @Test func rulesOfANewerBuildAreRefusedRatherThanDowngraded() throws {
        let url = try TestPostgres.makeDatabase()
        let headOffice = try HeadOffice(url: url)
        try headOffice.initialise()
        let database = try PostgresConnection(url: url)
        try database.query("UPDATE public.boxoffice_rules SET version = version + 1 WHERE name = 'seats'")
        let version = try #require(CentralSchema.rules.first { $0.name == "seats" }).version
        #expect(throws: CentralError.newerSchema(["seats version \(version + 1)"])) { try headOffice.initialise() }
        try database.query("UPDATE public.boxoffice_rules SET version = version - 1, checksum = 'edited' WHERE name = 'seats'")
        #expect(throws: CentralError.ruleEdited(rule: "seats", version: version)) { try headOffice.initialise() }
    }

    @Test func aDatabaseOfTheEarlierLayoutIsRefusedWithReCreateIt() throws {
        let url = try TestPostgres.makeDatabase()
        try PostgresConnection(url: url).execute("CREATE TABLE public.boxoffice_schema_versions (version text PRIMARY KEY)")
        #expect(throws: CentralError.madeByEarlierBuild) { try HeadOffice(url: url).initialise() }
        #expect(CentralError.madeByEarlierBuild.description.contains("re-create it"))
        #expect(try PostgresConnection(url: url).query("SELECT to_regnamespace('central') IS NULL").scalar == "t")
    }

    @Test func changedRulesAreAppliedAgainWithNoFunctionOfTheOlderBuildLeft() throws {
        let url = try TestPostgres.makeDatabase()
        let headOffice = try HeadOffice(url: url)
        try headOffice.initialise()
        let database = try PostgresConnection(url: url)
        // An older build: one rule recorded at an older text, and a function this build does not have.
        try database.execute("""
            UPDATE public.boxoffice_rules SET version = 0, checksum = 'older' WHERE name = 'pull';
            CREATE FUNCTION central.retired_rule() RETURNS integer LANGUAGE sql AS $$ SELECT 1 $$;
            DROP FUNCTION sync_api.pull(integer, jsonb, text, integer);
            """)
        #expect(try headOffice.initialise() == HeadOffice.SchemaChanges(migrations: [], rulesApplied: CentralSchema.rules.count))
        let functions = Set(try database.query("""
            SELECT n.nspname || '.' || p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname IN ('central', 'sync_api')
            """).values.compactMap { $0[0] })
        #expect(!functions.contains("central.retired_rule"))
        #expect(functions.contains("sync_api.pull"))
        let recorded = try database.query("SELECT name, checksum FROM public.boxoffice_rules ORDER BY name").values
        let expected = CentralSchema.recordedRules.sorted { $0.name < $1.name }
        #expect(recorded.map { $0[0] ?? "" } == expected.map(\.name))
        #expect(recorded.map { $0[1] ?? "" } == expected.map(\.checksum))
        // A node may still call what the rules grant it, and nothing else.
        let counter = try HeadOffice(url: url).addNode(named: "hq-after", cinemaID: nil)
        let node = try PostgresConnection(url: counter.url)
        #expect(try node.query("SELECT count(*) FROM sync_api.pull_rows($1, $2::jsonb, '0', 10)",
                               [String(SyncAgent.protocolVersion), CentralFixture.store("store-after")]).scalar != nil)
        #expect(throws: PostgresError.self) { try node.query("SELECT central.hlc_after(NULL)") }

        // Unchanged: nothing is applied again.
        let before = try database.query("SELECT applied_at FROM public.boxoffice_rules").values
        #expect(try headOffice.initialise().isEmpty)
        #expect(try database.query("SELECT applied_at FROM public.boxoffice_rules").values == before)
    }

    @Test func everyRuleFileDeclaresItsVersion() {
        #expect(!CentralSchema.rules.isEmpty)
        for rule in CentralSchema.rules {
            #expect(rule.version >= 1, "schemas/postgres/rules/\(rule.name).sql has no `-- version: N` line")
        }
    }

    @Test func aNodeRoleMayOnlyPushAndPull() throws {
        let fixture = try CentralFixture()
        let counter = try fixture.counter("jkt")
        for statement in [
            "SELECT count(*) FROM central.users",
            "SELECT count(*) FROM central.tickets",
            "DELETE FROM central.feed",
            "SELECT central.add_node('evil', NULL, 'x')",
            "SELECT central.resolve_conflict('x', NULL, 'evil')",
        ] {
            let error = #expect(throws: PostgresError.self, "\(statement)") { try counter.connection.query(statement) }
            #expect(error?.sqlState == PostgresError.insufficientPrivilege, "\(statement)")
        }
        let store = [String(SyncAgent.protocolVersion), CentralFixture.store("store-jkt")]
        #expect(try counter.connection.query("SELECT sync_api.pull($1, $2::jsonb, '0', 10)", store).scalar != nil)
        #expect(try counter.connection.query("SELECT count(*) FROM sync_api.pull_rows($1, $2::jsonb, '0', 10)", store).scalar != nil)
    }

    @Test func aNodeCannotPushForAnotherCinemaOrAsAnotherStore() throws {
        let fixture = try CentralFixture()
        let counter = try fixture.counter("jkt")
        let outcomes = try CentralFixture.push([
            CentralFixture.change(1, "001601000000000-00000-x", "cinemas", "elsewhere", ["id": "elsewhere", "name": "Other"]),
        ], as: "store-jkt", over: counter.connection)
        #expect(outcomes.first?["status"] as? String == "rejected")
        #expect(outcomes.first?["reason"] as? String == "only head office inserts cinemas")

        let error = #expect(throws: PostgresError.self) {
            try CentralFixture.push([], as: "some-other-store", over: counter.connection)
        }
        #expect(error?.sqlState == PostgresError.insufficientPrivilege)
    }

    @Test func customersFlowBackOnlyToTheNodeTheyWereMadeOn() throws {
        let fixture = try CentralFixture()
        let jakarta = try fixture.counter("jkt")
        let other = try fixture.counter("jkt2")
        _ = try CentralFixture.pull(cursor: "0", over: other.connection)
        let customer = CentralFixture.change(1, "001601000000000-00000-a", "users", "cust-1", [
            "id": "cust-1", "email": "sari@example.com", "role": "customer", "password_hash": "$y$secret",
            "created_at": "2026-11-25 10:00:00.000",
        ])
        _ = try CentralFixture.push([customer], as: "store-jkt", over: jakarta.connection)
        let feed = try PostgresConnection(url: fixture.databaseURL).query(
            "SELECT only_node FROM central.feed WHERE entity = 'users' AND entity_id = 'cust-1'")
        #expect(feed.values == [[jakarta.registration.name]])
        // Settled, so that the row is not missing only because it had not been reached yet.
        let seenByOther = try CentralFixture.pullSettled(cursor: "0", over: other.connection).rows
        #expect(!seenByOther.contains { $0["entity"] as? String == "users" })
    }

    @Test func twoOfflineRegistrationsOfOneEmailMergeInTheOrderHeadOfficeReceivedThem() throws {
        let fixture = try CentralFixture()
        let first = try fixture.counter("a")
        let second = try fixture.counter("b")
        func user(_ id: String, _ email: String, _ created: String) -> [String: Any] {
            CentralFixture.change(1, "001601000000000-00000-\(id)", "users", id, [
                "id": id, "email": email, "role": "customer", "password_hash": "$y$x", "created_at": created,
            ])
        }
        // The registration made later arrives first and keeps the email: a created_at, which any
        // counter can write, never decides (attack 16 plays the forged one).
        _ = try CentralFixture.push([user("late", "Budi@Example.com", "2026-11-25 12:00:00.000")],
                                    as: "store-b", over: second.connection)
        let outcomes = try CentralFixture.push([user("early", "budi@example.com", "2026-11-25 09:00:00.000")]
            + fixture.sale(booking: "bk-early", seats: ["A1"], stamp: "001601000000001-00000-a", firstSeq: 2, user: "early"),
            as: "store-a", over: first.connection)
        // The push only keeps the account: its email is checked after it, in a transaction of its
        // own (a push touches one cinema's rows, docs/head-office-distribution.md).
        #expect(outcomes.first?["merge_pending"] as? Bool == true)
        let database = try PostgresConnection(url: fixture.databaseURL)
        #expect(try database.query("SELECT merged_into FROM central.users WHERE id = 'early'").scalar == nil)
        #expect(try database.query("SELECT user_id FROM central.bookings WHERE id = 'bk-early'").scalar == "early")

        // Any counter may ask for the merge; the second call finds nothing left to do.
        #expect(try first.connection.query("SELECT sync_api.merge_accounts()").scalar == "1")
        #expect(try second.connection.query("SELECT sync_api.merge_accounts()").scalar == "0")
        #expect(try database.query("SELECT merged_into FROM central.users WHERE id = 'early'").scalar == "late")
        #expect(try database.query("SELECT user_id FROM central.bookings WHERE id = 'bk-early'").scalar == "late")
        #expect(try database.query("SELECT merged_into FROM central.users WHERE id = 'late'").scalar == nil)
        // The booking's move reaches its cinema's counters.
        #expect(try database.query("""
            SELECT payload->>'user_id' FROM central.feed WHERE entity = 'bookings' AND entity_id = 'bk-early' ORDER BY id DESC LIMIT 1
            """).scalar == "late")
        // A booking sent after the merge is filed under the account at once.
        let later = fixture.sale(booking: "bk-later", seats: ["A2"], stamp: "001601000000002-00000-a", firstSeq: 10,
                                 user: "early")
        _ = try CentralFixture.push(later, as: "store-a", over: first.connection)
        #expect(try database.query("SELECT user_id FROM central.bookings WHERE id = 'bk-later'").scalar == "late")
    }

    @Test func catalogRowsAreLastWriterWinsByHLC() throws {
        let fixture = try CentralFixture()
        func rename(_ name: String, at stamp: String, seq: Int) throws -> [String: Any]? {
            try CentralFixture.push([CentralFixture.change(seq, stamp, "cinemas", fixture.cinemaID,
                ["id": fixture.cinemaID, "name": name, "time_zone": "Asia/Jakarta"])], as: "store-hq", over: fixture.hqConnection).first
        }
        let database = try PostgresConnection(url: fixture.databaseURL)
        let name = { try database.query("SELECT payload->>'name' FROM central.cinemas WHERE id = $1", [fixture.cinemaID]).scalar }
        #expect(try rename("Newer", at: "001602000000000-00000-a", seq: 100)?["status"] as? String == "accepted")
        let stale = try rename("Older", at: "001601000000000-00000-b", seq: 101)
        #expect(stale?["status"] as? String == "accepted")
        #expect(stale?["superseded"] as? Bool == true, "\(String(describing: stale))")
        #expect(try name() == "Newer")
        // A tie on the wall clock is broken by the counter, then the node id.
        _ = try rename("Same millisecond, later counter", at: "001602000000000-00001-a", seq: 102)
        #expect(try name() == "Same millisecond, later counter")
    }

    @Test func ofTwoCopiesOfABookingTheLaterStateWins() throws {
        let fixture = try CentralFixture()
        let counter = try fixture.counter("jkt")
        var sale = fixture.sale(booking: "bk", seats: ["A1"], stamp: "001601000000000-00000-x", firstSeq: 1)
        _ = try CentralFixture.push(sale, as: "store-jkt", over: counter.connection)
        // A later-stamped copy that still says "held" (made before the payment reached it) loses to "paid"…
        var held = sale[0]
        held["seq"] = 10
        held["hlc"] = "001601500000000-00000-x"
        held["operation"] = "update"
        held["payload"] = (held["payload"] as! [String: Any]).merging(["status": "held"]) { $1 }
        _ = try CentralFixture.push([held], as: "store-jkt", over: counter.connection)
        let database = try PostgresConnection(url: fixture.databaseURL)
        let status = { try database.query("SELECT status FROM central.bookings WHERE id = 'bk'").scalar }
        #expect(try status() == "paid")
        // …while a refund, later in the order, wins even with an older stamp.
        sale[0]["seq"] = 11
        sale[0]["hlc"] = "001601100000000-00000-x"
        sale[0]["operation"] = "update"
        sale[0]["payload"] = (sale[0]["payload"] as! [String: Any]).merging(["status": "refunded"]) { $1 }
        _ = try CentralFixture.push([sale[0]], as: "store-jkt", over: counter.connection)
        #expect(try status() == "refunded")
    }
}
