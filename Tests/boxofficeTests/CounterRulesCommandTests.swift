import BoxOfficeKit
import Foundation
import GRDB
import Testing

/// Issue 15 at the command line, on the demo store: each numbered item that a front shows, tried
/// as a new user and as a hostile one would.
struct CounterRulesCommandTests {
    let cli: CLIRunner
    let tomorrow: String

    init() throws {
        cli = try CLIRunner()
        let demo = try cli.run(["demo"])
        guard demo.status == 0 else { throw CLIFailure("demo failed: \(demo.stderr)") }
        tomorrow = localDay(in: "Asia/Jakarta", daysFromToday: 1)
    }

    /// Item 2: `resend-otp` answers the same for an address with an account waiting and for one without.
    @Test func resendOTPDoesNotTellWhoIsRegistered() throws {
        let noSMTP = ["BOXOFFICE_SMTP_URL": ""]
        let register = try cli.run(["register", "--name", "Ayu", "--email", "ayu@example.com", "--phone", "081234567890",
                                    "--password-stdin"], stdin: "ayu-password-1\n", environment: noSMTP)
        #expect(register.status == 0, "\(register.stderr)")
        let unknown = try cli.run(["resend-otp", "--email", "nobody@example.com", "--json"], environment: noSMTP)
        let staff = try cli.run(["resend-otp", "--email", DemoData.cashierEmail], environment: noSMTP)
        #expect(unknown.status == 0 && staff.status == 0)
        #expect(staff.stdout == "If \(DemoData.cashierEmail) has an account waiting for its code, a new code is on its way there; the old one no longer works.\n")
        #expect(try JSONSerialization.jsonObject(with: Data(unknown.stdout.utf8)) as? [String: String]
                == ["email": "nobody@example.com", "note": "If nobody@example.com has an account waiting for its code, a new code is on its way there; the old one no longer works."])
    }

    /// Item 10: a mail setting missing is refused before the account exists, so the retry works.
    @Test func registerChecksItsMailSettingsBeforeWritingAnything() throws {
        let arguments = ["register", "--name", "Ayu", "--email", "ayu@example.com", "--phone", "081234567890", "--password-stdin"]
        let broken = try cli.run(arguments, stdin: "ayu-password-1\n",
                                 environment: ["BOXOFFICE_SMTP_URL": "smtp://127.0.0.1:1", "BOXOFFICE_MAIL_FROM": ""])
        #expect(broken.status == 65, "\(broken.stderr)")
        #expect(broken.stderr.contains("BOXOFFICE_MAIL_FROM"))
        let retry = try cli.run(arguments, stdin: "ayu-password-1\n", environment: ["BOXOFFICE_SMTP_URL": ""])
        #expect(retry.status == 0, "\(retry.stderr)")
    }

    /// Item 12: a name with a line break or a terminal escape is refused, so no receipt line is forged.
    @Test func controlCharactersNeverReachAReceipt() async throws {
        try await cli.logIn(email: DemoData.cashierEmail, password: DemoData.cashierPassword)
        for name in ["Line1\nTOTAL Rp 0", "\u{1B}[2J", "5500 0000 0000 0004"] {
            let sale = try cli.run(["sell", "10:00/1", "E5", "--cinema", "kuta", "--date", localDay(in: "Asia/Makassar", daysFromToday: 1),
                                    "--method", "cash", "--name", name])
            #expect(sale.status == 65, "\(name.debugDescription): \(sale.stderr)")
            #expect(sale.stderr.hasPrefix("error: --name: must not contain "), "\(sale.stderr)")
            #expect(!sale.stderr.contains(name))
        }
    }

    /// Item 13: a huge page is a usage mistake, not a crash, on every list.
    @Test func aHugePageIsRefusedOnEveryList() async throws {
        try await cli.logIn()
        for list in [["bookings"], ["mail", "list"], ["users", "list"], ["cinemas", "list"], ["movies", "list"]] {
            let result = try cli.run(list + ["--page", "9223372036854775807"])
            #expect(result.status == 65, "\(list): \(result.status) \(result.stderr)")
            #expect(result.stderr == "error: --page: must be at most \(PageRequest.maximumPage)\n", "\(list)")
        }
    }

    /// Item 14: a mistyped `--db` is "no store", and no file appears.
    @Test func aMistypedStoreIsNotCreated() throws {
        let typo = cli.directory.appendingPathComponent("stroe.sqlite").path
        for command in [["cinemas", "list"], ["login", "--email", DemoData.managerEmail, "--password-stdin"]] {
            let result = try cli.run(command + ["--db", typo], stdin: DemoData.managerPassword + "\n")
            #expect(result.status == 66, "\(command): \(result.stderr)")
            #expect(result.stderr == "error: there is no store \(typo): check --db (or BOXOFFICE_DB), or create one with boxoffice init\n")
        }
        #expect(!FileManager.default.fileExists(atPath: typo))
    }

    /// Item 15: damaged stores that still open are exit 74 with one line, and keep their identity.
    @Test func aDamagedStoreIsExit74InOneLine() throws {
        let queue = try DatabaseQueue(path: cli.storePath)
        try queue.write { db in
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            try db.execute(sql: "DROP TABLE seat_blocks")
        }
        let dropped = try cli.run(["cinemas", "list"])
        #expect(dropped.status == 74)
        #expect(dropped.stderr == "error: the store is damaged: its table seat_blocks is gone: restore the store from a backup\n")

        let other = try CLIRunner()
        #expect(try other.run(["init"]).status == 0)
        try DatabaseQueue(path: other.storePath).write { db in try db.execute(sql: "DELETE FROM sync_state") }
        let orphan = try other.run(["cinemas", "list"])
        #expect(orphan.status == 74)
        #expect(orphan.stderr == "error: the store is damaged: its node identity (sync_state) is gone: restore the store from a backup\n")
        #expect(try DatabaseQueue(path: other.storePath).read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM sync_state") } == 0)
    }
}
