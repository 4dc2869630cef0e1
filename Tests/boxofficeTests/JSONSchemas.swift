import Foundation
import Testing
import TestSupport

/// Every `--json` output of the suite, checked against its schema in `schemas/json/`.
///
/// `CLIRunner` hands each successful `--json` output here. Under `make test` (`scripts/test.sh`
/// sets `BOXOFFICE_JSON_OUTPUTS`) each is written to that folder and `scripts/check_json.py` checks
/// them all in one run after `swift test`, failing the suite on a violation; without it (a
/// `swift test --filter` while working) each is checked at once. A command whose JSON has no
/// schema here fails the test that ran it.
enum JSONSchemas {
    /// The schema of each command's `--json` output, by its command words.
    static let byCommand: [String: String] = [
        "cinemas list": "cinema-list", "cinemas": "cinema-list", "cinemas show": "cinema", "cinemas add": "cinema",
        "cinemas edit": "cinema", "cinemas remove": "cinema",
        "studios add": "studio", "studios show": "studio", "studios layout": "studio", "studios list": "studio-list",
        "movies add": "movie", "movies list": "movie-list", "movies": "movie-list",
        "showtimes add": "showtime", "showtimes find": "showtime", "showtimes price": "showtime", "showtimes list": "showtime-list",
        "payment-methods list": "payment-method-list", "payment-methods": "payment-method-list",
        "payment-methods enable": "payment-method", "payment-methods disable": "payment-method",
        "seats": "seat-map", "book": "booking", "pay": "booking", "sell": "booking", "cancel": "booking",
        "confirm-payment": "booking", "refund": "booking",
        "bookings": "booking-summary-list", "receipt": "receipt",
        "register": "registration", "resend-otp": "code-request", "login": "login", "verify": "login", "whoami": "login",
        "logout": "logout", "users add-staff": "user", "users list": "user-list",
        "mail list": "mail-entry-list", "mail send": "mail-delivery", "init": "store", "demo": "demo",
        "sync": "sync-report", "sync now": "sync-report", "sync status": "sync-status",
        "conflicts": "sync-conflict-list", "conflicts list": "sync-conflict-list", "conflicts resolve": "sync-conflict",
        "central conflicts": "sync-conflict-list", "central add-node": "node-registration",
        "central rotate-node": "node-registration", "central revoke-node": "revocation",
        "central cancel-showtime": "showtime-cancellation",
        "import-legacy": "legacy-import-report",
    ]

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The schema for `arguments` (the words before the first option or argument that is not a
    /// subcommand), or `nil`.
    static func schema(for arguments: [String]) -> String? {
        let words = arguments.prefix { !$0.hasPrefix("-") }
        for count in stride(from: min(2, words.count), through: 1, by: -1) {
            if let schema = byCommand[words.prefix(count).joined(separator: " ")] { return schema }
        }
        return nil
    }

    /// Records (or checks at once) one successful `--json` output of `arguments`.
    static func record(_ arguments: [String], output: String) {
        guard let schema = schema(for: arguments) else {
            Issue.record("`boxoffice \(arguments.joined(separator: " "))` printed JSON that no schema in schemas/json describes")
            return
        }
        if let folder = JSONSchemaCheck.keptOutputs {
            do {
                try JSONSchemaCheck.keep(Data(output.utf8), schema: schema, in: folder)
            } catch {
                Issue.record("cannot keep the JSON of \(arguments) for scripts/check_json.py: \(error)")
            }
            return
        }
        let problems = check(schema: schema, output: output)
        if !problems.isEmpty { Issue.record("\(arguments) broke schemas/json/\(schema).schema.json:\n\(problems)") }
    }

    /// Runs `scripts/check_json.py NAME -` on `output`; returns its complaints, empty when it passes.
    static func check(schema: String, output: String) -> String {
        JSONSchemaCheck.problems(schema: schema, json: Data(output.utf8))
    }
}

/// The checker itself: it must catch what the schemas forbid.
struct JSONSchemaCheckTests {
    @Test func theCheckerRefusesAnInternalFieldAStringTimeAndAMissingID() {
        let booking = """
            {"id": "01a2316c-c14a-705f-abed-c52e61860d57", "code": "VQFHQY-0002", "sold_hlc": "x"}
            """
        let problems = JSONSchemas.check(schema: "booking", output: booking)
        #expect(problems.contains("sold_hlc"), "\(problems)")
        #expect(problems.contains("'showtime_id' is a required property"))
        let conflict = JSONSchemas.check(schema: "sync-conflict", output: """
            {"id": "01a2316c-c14a-705f-abed-c52e61860d57", "kind": "reseated", "node_name": null, "entity": "tickets",
             "entity_id": "t", "booking_id": null, "showtime_id": null, "seat_before": "F12", "seat_after": "F14",
             "reason": "taken", "details": "{\\"node_side\\": null}", "status": "open", "resolution": null,
             "created_at": "2026-12-01 08:29:34.322", "resolved_at": null}
            """)
        #expect(conflict.contains("details"), "details must be an object, not JSON in a string")
        #expect(conflict.contains("created_at"), "times are ISO 8601")
    }

    @Test func everySchemaIsAValidDraft202012SchemaAndEveryCommandsSchemaExists() throws {
        let folder = JSONSchemas.root.appendingPathComponent("schemas/json")
        let files = Set(try FileManager.default.contentsOfDirectory(atPath: folder.path))
        for schema in Set(JSONSchemas.byCommand.values) {
            #expect(files.contains("\(schema).schema.json"), "no schemas/json/\(schema).schema.json")
        }
        // The checker checks every schema as a schema before it checks anything else.
        #expect(JSONSchemas.check(schema: "logout", output: #"{"logged_out": true}"#) == "")
    }
}
