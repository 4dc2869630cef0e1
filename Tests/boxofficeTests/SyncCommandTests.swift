import Foundation
import SyncAgent
import Testing
import TestSupport

/// Head office and counters through the CLI alone, as an operator would run them.
@Suite(.enabled(if: TestPostgres.isAvailable, "needs the PostgreSQL server started by scripts/test.sh"))
struct SyncCommandTests {
    let cli: CLIRunner
    let centralURL: String

    init() throws {
        cli = try CLIRunner()
        centralURL = try TestPostgres.makeDatabase()
    }

    private func store(_ name: String) -> String { cli.directory.appendingPathComponent(name).path }

    private func json(_ result: CLIRunner.Result) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] ?? [:]
    }

    @Test func headOfficePublishesTheCatalogAndACounterSyncsAndSendsQueuedMail() async throws {
        let initialised = try cli.run(["central", "init", "--url", centralURL])
        #expect(initialised.status == 0, "\(initialised.stderr)")
        let schemas = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("schemas/postgres")
        func files(_ part: String) throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: schemas.appendingPathComponent(part).path)
                .filter { $0.hasSuffix(".sql") }.map { String($0.dropLast(4)) }.sorted()
        }
        let migrations = try files("migrations").joined(separator: " and ")
        #expect(initialised.stdout == "Applied \(migrations) and head office's rules (\(try files("rules").count) files).\n")
        #expect(try cli.run(["central", "init", "--url", centralURL]).stdout == "Head office's schema is up to date.\n")

        let hq = store("hq.sqlite")
        #expect(try cli.run(["demo", "--db", hq]).status == 0)
        let hqNode = try json(try cli.run(["central", "add-node", "hq", "--all", "--url", centralURL, "--json"]))
        let hqURL = try #require(hqNode["url"] as? String)
        // The node's URL holds its password: on standard input, never on the command line.
        let published = try json(try cli.run(["sync", "--db", hq, "--central", "-", "--json"], stdin: hqURL + "\n"))
        let pushed = try #require(published["pushed"] as? [String: Int])
        #expect(pushed["accepted"]! > 1000 && pushed["rejected"] == 0)

        let cinemas = try json(try cli.run(["cinemas", "list", "--db", hq, "--json"]))
        let cinema = try #require((cinemas["items"] as? [[String: Any]])?.first?["id"] as? String)
        let counterNode = try json(try cli.run(["central", "add-node", "braga-1", "--cinema", cinema, "--url", centralURL, "--json"]))
        let counterURL = try #require(counterNode["url"] as? String)

        // The counter starts empty, registers a customer while no mail server is configured…
        let counter = store("counter.sqlite")
        #expect(try cli.run(["init", "--db", counter]).status == 0)
        let email = "dewi-\(UUID().uuidString.prefix(6).lowercased())@example.com"
        let register = try cli.run(["register", "--db", counter, "--name", "Dewi", "--email", email, "--phone", "081234567890",
                                    "--password-stdin"], stdin: "kursi-nyaman-77\n", environment: ["BOXOFFICE_SMTP_URL": ""])
        #expect(register.status == 0, "\(register.stderr)")

        // …and its first sync brings the cinema's catalog and sends the queued code.
        let sink = try SMTPSink()
        defer { sink.stop() }
        let mailEnvironment = ["BOXOFFICE_SMTP_URL": "smtp://127.0.0.1:\(sink.port)", "BOXOFFICE_SMTP_STARTTLS": "off",
                               "BOXOFFICE_MAIL_FROM": "tickets@example.com"]
        let synced = try cli.run(["sync", "--db", counter], environment: mailEnvironment.merging(["BOXOFFICE_CENTRAL_URL": counterURL]) { $1 })
        #expect(synced.status == 0, "\(synced.stderr)")
        #expect(synced.stdout.contains("pulled"))
        #expect(synced.stdout.contains("mail: 1 sent"))
        #expect(try await sink.waitForMessages(to: email).count == 1)
        let counterCinemas = try json(try cli.run(["cinemas", "list", "--db", counter, "--json"]))
        #expect((counterCinemas["items"] as? [[String: Any]])?.map { $0["id"] as? String } == [cinema])

        // The URL is remembered; status tells where the node stands.
        #expect(try cli.run(["sync", "--db", counter]).status == 0)
        let status = try json(try cli.run(["sync", "status", "--db", counter, "--json"]))
        #expect(status["pending_changes"] as? Int == 0)
        #expect(status["open_conflicts"] as? Int == 0)
        #expect(status["feed_cursor"] as? String != "0")
        #expect(status["central_url"] == nil, "the node's password never reaches JSON output")
        let conflicts = try json(try cli.run(["conflicts", "--db", counter, "--json"]))
        #expect((conflicts["items"] as? [Any])?.isEmpty == true)
    }

    @Test func anUnreachableHeadOfficeIsReportedInACashiersWordsWithItsOwnExitCode() throws {
        let counter = store("offline.sqlite")
        #expect(try cli.run(["init", "--db", counter]).status == 0)
        let result = try cli.run(["sync", "--db", counter, "--central", "postgresql://node@127.0.0.1:1/central"])
        #expect(result.status == 69)
        #expect(result.stderr.hasPrefix("error: head office is unreachable"))
        #expect(!result.stderr.contains("Fatal") && result.stderr.split(separator: "\n").count == 1)
        let status = try cli.run(["sync", "status", "--db", counter])
        #expect(status.stdout.contains("last error:      head office is unreachable"))
    }

    @Test func badCentralArgumentsAreUsageErrors() throws {
        #expect(try cli.run(["central", "add-node", "x", "--url", centralURL]).status == 64)
        #expect(try cli.run(["central", "resolve", "some-id", "--url", centralURL]).status == 64)
        #expect(try cli.run(["sync", "--db", store("s.sqlite"), "--interval", "soon"]).status == 64)
    }
}
