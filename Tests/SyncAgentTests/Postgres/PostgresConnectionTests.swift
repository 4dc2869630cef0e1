import Foundation
import TestSupport
import SyncAgent
import Testing

@Suite(.enabled(if: TestPostgres.isAvailable, "needs the PostgreSQL server started by scripts/test.sh"))
struct PostgresConnectionTests {
    let connection: PostgresConnection

    init() throws {
        connection = try PostgresConnection(url: try TestPostgres.makeDatabase())
    }

    @Test func parametersTravelAsValuesNeverAsSQL() throws {
        try connection.execute("CREATE TABLE notes (id int PRIMARY KEY, body text)")
        let hostile = "x'); DROP TABLE notes; --"
        try connection.query("INSERT INTO notes VALUES ($1, $2)", ["1", hostile])
        try connection.query("INSERT INTO notes VALUES ($1, $2)", ["2", nil])
        let result = try connection.query("SELECT id, body FROM notes ORDER BY id")
        #expect(result.columns == ["id", "body"])
        #expect(result.values == [["1", hostile], ["2", nil]])
        #expect(result.rows[0]["body"] == hostile)
    }

    @Test func serverErrorsCarryTheirSQLStateAndConstraint() throws {
        try connection.execute("CREATE TABLE seats (id int PRIMARY KEY)")
        try connection.query("INSERT INTO seats VALUES (1)")
        let error = #expect(throws: PostgresError.self) {
            try connection.query("INSERT INTO seats VALUES ($1)", ["1"])
        }
        #expect(error?.sqlState == PostgresError.uniqueViolation)
        #expect(error?.constraint == "seats_pkey")
        #expect(error?.kind == .conflict)
        #expect(error?.isTransient == false)
        #expect(error?.detail?.contains("already exists") == true)
    }

    @Test func aFailedTransactionLeavesNothing() throws {
        try connection.execute("CREATE TABLE ledger (id int PRIMARY KEY)")
        #expect(throws: PostgresError.self) {
            try connection.transaction { transaction in
                try transaction.query("INSERT INTO ledger VALUES (1)")
                try transaction.query("INSERT INTO ledger VALUES (1)")
            }
        }
        #expect(try connection.query("SELECT count(*) FROM ledger").scalar == "0")
        try connection.transaction { try $0.query("INSERT INTO ledger VALUES (2)") }
        #expect(try connection.query("SELECT count(*) FROM ledger").scalar == "1")
    }

    @Test func pipelineSendsABatchInOneGoAndStopsAtTheFirstError() throws {
        try connection.execute("CREATE TABLE batch (id int PRIMARY KEY)")
        let results = try connection.pipeline([
            ("INSERT INTO batch VALUES ($1)", ["1"]),
            ("INSERT INTO batch VALUES ($1)", ["2"]),
            ("SELECT count(*) FROM batch", []),
        ])
        #expect(results.count == 3)
        #expect(results[2].scalar == "2")

        let error = #expect(throws: PostgresError.self) {
            try connection.pipeline([
                ("INSERT INTO batch VALUES ($1)", ["3"]),
                ("INSERT INTO batch VALUES ($1)", ["1"]),
                ("INSERT INTO batch VALUES ($1)", ["4"]),
            ])
        }
        #expect(error?.sqlState == PostgresError.uniqueViolation)
        // The batch is one implicit transaction: 3 was rolled back with it, 4 never ran.
        #expect(try connection.query("SELECT count(*) FROM batch").scalar == "2")
        // The connection is usable afterwards.
        #expect(try connection.query("SELECT 1").scalar == "1")
    }

    @Test func copyStreamsRowsWithEscaping() throws {
        try connection.execute("CREATE TABLE copied (id int, body text)")
        let bodies: [String?] = ["plain", "tab\there", "line\nbreak", "back\\slash", nil]
        let rows = bodies.enumerated().map { index, body in
            "\(index)\t" + PostgresConnection.copyEscape(body)
        }
        let stored = try connection.copyIn("COPY copied (id, body) FROM STDIN", rows: rows)
        #expect(stored == bodies.count)
        let result = try connection.query("SELECT body FROM copied ORDER BY id")
        #expect(result.values.map { $0[0] } == bodies)
    }

    @Test func anUnreachableServerIsATransientConnectionFailure() throws {
        // A port nothing listens on: bind one, then close it.
        let error = #expect(throws: PostgresError.self) {
            _ = try PostgresConnection(url: "postgresql://nobody@127.0.0.1:1/none", connectTimeout: .seconds(2))
        }
        #expect(error?.isConnectionFailure == true)
        #expect(error?.isTransient == true)
        #expect(error?.kind == .unavailable)
        #expect(error?.description.hasPrefix("head office is unreachable") == true)
    }
}
