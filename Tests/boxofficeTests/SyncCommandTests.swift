import BoxOfficeKit
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

    /// Syncs `store` until head office's feed holds nothing more for it, at most 20 rounds: another
    /// test's open transaction on the shared server holds rows back for a moment (they arrive a
    /// round later, never skipped), so one sync may not yet bring what head office just wrote.
    private func syncUntilDrained(_ store: String) throws {
        for _ in 0..<20 {
            let report = try cli.run(["sync", "--db", store, "--json"])
            if report.status == 0, try json(report)["feed_lag"] as? Int == 0 { return }
            usleep(100_000)
        }
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
        #expect(hqNode["id"] as? String == "hq", "a node's id at head office is its name")
        let hqURL = try #require(hqNode["url"] as? String)
        // A long first sync shows a progress bar on a terminal, and only there. The node's URL
        // holds its password: from the environment or standard input, never on the command line.
        let onTerminal = try cli.runOnTerminal(["sync", "--db", hq, "--batch-size", "100"],
                                               environment: ["BOXOFFICE_CENTRAL_URL": hqURL])
        #expect(onTerminal.status == 0, "\(onTerminal.stdout)")
        #expect(onTerminal.stdout.contains("pushing changes"), "\(onTerminal.stdout)")
        #expect(onTerminal.stdout.contains("] 100%"))
        #expect(onTerminal.stdout.contains("pushed "), "the result line follows the bar")
        let published = try json(try cli.run(["sync", "--db", hq, "--central", "-", "--json"], stdin: hqURL + "\n"))
        #expect((published["pushed"] as? [String: Int])?["rejected"] == 0)
        let counts = try cli.json(["sync", "status", "--db", hq])
        #expect(counts["pending_changes"] as? Int == 0 && counts["last_pushed_sequence"] as? Int ?? 0 > 1000)

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
        #expect((status["last_sync_at"] as? String)?.hasSuffix("Z") == true)
        let statusText = try cli.run(["sync", "status", "--db", counter])
        #expect(statusText.stdout.contains("(Asia/Jakarta)"), "the counter's cinema's zone, marked: \(statusText.stdout)")
        let conflicts = try json(try cli.run(["conflicts", "--db", counter, "--json"]))
        #expect((conflicts["items"] as? [Any])?.isEmpty == true)

        // Without a terminal (a pipe, CI), no bar: nothing but the result.
        let piped = try cli.run(["sync", "--db", counter, "--batch-size", "1"])
        #expect(!piped.stdout.contains("\r") && !piped.stderr.contains("\r") && piped.stderr.isEmpty)

        // Not found at head office is 66, like every not found.
        let unknown = try cli.run(["conflicts", "resolve", EntityID.make(), "--refund", "--db", counter], environment: [:])
        #expect(unknown.status == 77, "a cashier must be logged in first")
        let allot = try cli.run(["central", "allot", EntityID.make(), "A1-A2", "--node", "nope", "--url", centralURL])
        #expect(allot.status == 66, "\(allot.stderr)")
        #expect(allot.stderr.hasPrefix("error: head office refused the request: head office has no showtime"))
        let showtime = try #require((try cli.json(["showtimes", "list", "--db", counter, "--date",
                                                   localDay(in: "Asia/Jakarta", daysFromToday: 1)])["items"] as? [[String: Any]])?.first?["id"] as? String)
        let noNode = try cli.run(["central", "allot", showtime, "A1-A2", "--node", "nope", "--url", centralURL])
        #expect(noNode.status == 66)
        #expect(noNode.stderr.hasPrefix("error: head office refused the request: no node nope"), "\(noNode.stderr)")
        // The counters' syncs settled every account they brought: head office's own run finds none.
        let merge = try cli.run(["central", "merge-accounts", "--url", centralURL])
        #expect(merge.status == 0 && merge.stdout == "No account was registered twice.\n", "\(merge.stderr)")
        #expect(try PostgresConnection(url: centralURL).query("SELECT count(*) FROM central.users WHERE merge_pending").scalar == "0")
        // Head office's own store has the demo's cashier (staff reach counters from head office, not by sync).
        let box = try BoxOffice.open(path: hq)
        let login = try await box.accounts.login(email: DemoData.cashierEmail, password: DemoData.cashierPassword)
        // A session file as login writes it: readable by its user only.
        #expect(FileManager.default.createFile(atPath: hq + ".session", contents: Data((login.token + "\n").utf8),
                                               attributes: [.posixPermissions: 0o600]))
        let resolve = try cli.run(["conflicts", "resolve", EntityID.make(), "--refund", "--db", hq, "--central", "-"],
                                  stdin: hqURL + "\n")
        #expect(resolve.status == 66, "\(resolve.stderr)")
        #expect(resolve.stderr.contains("no conflict"))

        // --watch: one line per round, what moved and where the store stands.
        let (watch, out, err) = try cli.start(["sync", "--db", counter, "--watch", "--interval", "200ms"])
        defer { if watch.isRunning { watch.terminate() } }
        let lines = try await Self.lines(out, atLeast: 2)
        watch.terminate()
        watch.waitUntilExit()
        for line in lines.prefix(2) {
            #expect(line.contains(" synced: pushed 0, pulled ") && line.hasSuffix("; pending 0, open conflicts 0"), "\(line)")
            #expect(line.contains("(Asia/Jakarta)"), "the counter's own cinema's zone")
        }
        #expect(try String(contentsOf: err, encoding: .utf8).isEmpty)
    }

    /// The lines of a file a running command writes, once there are at least `count` (waiting at
    /// most a minute; the count, not the wait, is what is checked).
    static func lines(_ file: URL, atLeast count: Int) async throws -> [String] {
        for _ in 0..<600 {
            let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n").map(String.init)
            if lines.count >= count { return lines }
            try await Task.sleep(for: .milliseconds(100))
        }
        return try String(contentsOf: file, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    @Test func offlineWatchPrintsOneLinePerRoundAndTheErrorOnce() async throws {
        let counter = store("watch.sqlite")
        #expect(try cli.run(["init", "--db", counter]).status == 0)
        let (watch, out, err) = try cli.start(
            ["sync", "--db", counter, "--watch", "--interval", "100ms", "--central", "postgresql://node@127.0.0.1:1/central"],
            environment: ["BOXOFFICE_LOG_LEVEL": ""])
        defer { if watch.isRunning { watch.terminate() } }
        let lines = try await Self.lines(out, atLeast: 2)
        watch.terminate()
        watch.waitUntilExit()
        #expect(lines.count >= 2)
        for line in lines.prefix(2) {
            #expect(line.contains(" offline, selling goes on: head office is unreachable: "), "\(line)")
            #expect(line.components(separatedBy: "unreachable").count == 2, "the error once, in one wording: \(line)")
            #expect(line.hasSuffix("; pending 0, open conflicts 0"))
        }
        #expect(try String(contentsOf: err, encoding: .utf8).isEmpty, "no log line at the default level")
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

    /// Head office's staff and nodes, by the operator: a chain-wide manager made at head office
    /// logs in at a counter after its sync, a changed password follows, a rotated node syncs on
    /// with its new URL only, and a revoked one is stopped.
    @Test func headOfficeManagesStaffAndNodesFromTheCommandLine() throws {
        #expect(try cli.run(["central", "init", "--url", centralURL]).status == 0)
        let added = try cli.run(["central", "staff", "add", "--url", centralURL, "--email", "Rina@Chain.example", "--name", "Rina",
                                 "--role", "manager", "--password-stdin"], stdin: "rina-pass-1234\n")
        #expect(added.status == 0, "\(added.stderr)")
        #expect(added.stdout.contains("Added manager Rina <rina@chain.example> for the whole chain"))

        let node = try json(try cli.run(["central", "add-node", "hq", "--all", "--url", centralURL, "--json"]))
        let nodeURL = try #require(node["url"] as? String)
        let counter = store("hq.sqlite")
        #expect(try cli.run(["init", "--db", counter]).status == 0, "only init makes a store")
        #expect(try cli.run(["sync", "--db", counter, "--central", "-"], stdin: nodeURL + "\n").status == 0)
        try syncUntilDrained(counter)
        let login = try cli.run(["login", "--db", counter, "--email", "rina@chain.example", "--password-stdin"], stdin: "rina-pass-1234\n")
        #expect(login.status == 0, "\(login.stderr)")

        let wrong = try cli.run(["central", "staff", "password", "--url", centralURL, "--email", "rina@chain.example",
                                 "--password-stdin"], stdin: "not-her-password\nnew-pass-5678\n")
        #expect(wrong.status != 0 && wrong.stderr.contains("the old password of rina@chain.example is not right"), "\(wrong.stderr)")
        let changed = try cli.run(["central", "staff", "password", "--url", centralURL, "--email", "rina@chain.example",
                                   "--password-stdin"], stdin: "rina-pass-1234\nnew-pass-5678\n")
        #expect(changed.status == 0, "\(changed.stderr)")

        let rotated = try cli.run(["central", "rotate-node", "hq", "--url", centralURL, "--json"])
        #expect(rotated.status == 0, "\(rotated.stderr)")
        let newURL = try #require(try json(rotated)["url"] as? String)
        let stale = try cli.run(["sync", "--db", counter])
        #expect(stale.status == 77, "the remembered password no longer works: \(stale.stderr)")
        #expect(try cli.run(["sync", "--db", counter, "--central", "-"], stdin: newURL + "\n").status == 0)
        try syncUntilDrained(counter)
        #expect(try cli.run(["login", "--db", counter, "--email", "rina@chain.example", "--password-stdin"],
                            stdin: "new-pass-5678\n").status == 0, "the new password reached the counter")

        let revoked = try cli.run(["central", "revoke-node", "hq", "--url", centralURL, "--json"])
        #expect(revoked.status == 0, "\(revoked.stderr)")
        let revocation = try json(revoked)
        #expect(revocation["released_allotments"] as? Int == 0 && revocation["missing_count"] as? Int == 0)
        #expect(try cli.run(["sync", "--db", counter]).status != 0)
        _ = try cli.run(["central", "add-node", "spare", "--all", "--url", centralURL])
        let spare = try cli.run(["central", "revoke-node", "spare", "--url", centralURL])
        #expect(spare.stdout.contains("Node spare is revoked: it can no longer sync."))
        #expect(spare.stdout.contains("Head office received no booking of it."))
    }

    @Test func headOfficeCancelsAShowtimeAndTheCountersReceiptNoLongerShowsValidSeats() async throws {
        #expect(try cli.run(["central", "init", "--url", centralURL]).status == 0)
        #expect(try cli.run(["demo", "--db", cli.storePath]).status == 0)
        let node = try json(try cli.run(["central", "add-node", "hq", "--all", "--url", centralURL, "--json"]))
        let nodeURL = try #require(node["url"] as? String)
        #expect(try cli.run(["sync", "--central", "-"], stdin: nodeURL + "\n").status == 0)

        try await cli.logIn(email: DemoData.cashierEmail, password: DemoData.cashierPassword)
        let tomorrow = localDay(in: "Asia/Jakarta", daysFromToday: 1)
        let sold = try cli.json(["sell", "10:00/1", "B1-B2", "--cinema", "braga", "--date", tomorrow, "--method", "Cash"])
        let code = try #require(sold["code"] as? String)
        let showtime = try #require(sold["showtime_id"] as? String)
        #expect(try cli.run(["sync"]).status == 0)

        let unknown = try cli.run(["central", "cancel-showtime", "sh-nope", "--url", centralURL])
        #expect(unknown.status == 66, "\(unknown.stderr)")
        #expect(unknown.stderr.hasPrefix("error: head office refused the request: head office has no showtime sh-nope"))
        #expect(unknown.stderr.split(separator: "\n").count == 1, "one line: \(unknown.stderr)")

        let cancelled = try cli.run(["central", "cancel-showtime", showtime, "--reason", "projector broken", "--url", "-", "--json"],
                                    stdin: centralURL + "\n")
        #expect(cancelled.status == 0, "\(cancelled.stderr)")
        let cancellation = try json(cancelled)
        #expect(cancellation["refund_required"] as? Int == 1 && cancellation["released_tickets"] as? Int == 2)
        let again = try cli.run(["central", "cancel-showtime", showtime], environment: ["BOXOFFICE_CENTRAL_URL": centralURL])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.hasPrefix("Showtime \(showtime) is cancelled; counters hear of it at their next sync.\n0 paid sales"))

        // After a pull the counter's receipt shows no valid seat, and its staff see what to refund.
        #expect(try cli.run(["sync"]).status == 0)
        let receipt = try cli.run(["receipt", code])
        #expect(receipt.status == 0, "\(receipt.stderr)")
        #expect(receipt.stdout.contains("NOT VALID"), "\(receipt.stdout)")
        let conflicts = try json(try cli.run(["conflicts", "--json"]))
        let items = conflicts["items"] as? [[String: Any]] ?? []
        #expect(items.contains { ($0["reason"] as? String)?.contains("the showtime was cancelled by head office") == true }, "\(items)")
    }
}
