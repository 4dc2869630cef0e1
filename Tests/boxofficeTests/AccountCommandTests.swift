import Foundation
import Testing
import TestSupport

/// The account commands, run as real processes against a real SMTP server.
struct AccountCommandTests {
    let cli: CLIRunner

    init() throws {
        cli = try CLIRunner()
    }

    private func smtp(_ port: Int) -> [String: String] {
        ["BOXOFFICE_SMTP_URL": "smtp://mailer:relay-pw@127.0.0.1:\(port)", "BOXOFFICE_SMTP_STARTTLS": "off",
         "BOXOFFICE_MAIL_FROM": "BoxOffice <tickets@example.com>"]
    }

    private let noSMTP = ["BOXOFFICE_SMTP_URL": ""]

    /// Creates the store with a manager (only `init` creates a store); `login` logs the manager in.
    private func initialise(login: Bool = false) throws {
        let made = try cli.run(["init", "--manager-email", "maya@example.com", "--manager-name", "Maya", "--password-stdin"],
                               stdin: "maya-pass-123\n")
        #expect(made.status == 0, "\(made.stderr)")
        if login { try loginManager() }
    }

    private func loginManager() throws {
        let login = try cli.run(["login", "--email", "maya@example.com", "--password-stdin"], stdin: "maya-pass-123\n")
        #expect(login.status == 0, "\(login.stderr)")
    }

    @Test func registerVerifyWhoamiLogoutLogin() async throws {
        let sink = try SMTPSink()
        defer { sink.stop() }
        let email = "siti-\(UUID().uuidString.prefix(8).lowercased())@example.com"
        try initialise()
        let register = try cli.run(
            ["register", "--name", "Siti", "--email", email, "--phone", "0812 3456 7890", "--password-stdin"],
            stdin: "kursi-F12-nyaman\n", environment: smtp(sink.port))
        #expect(register.status == 0, "\(register.stderr)")
        #expect(register.stdout.contains("A 6-digit code was mailed to \(email)"))
        let code = try SMTPSink.code(in: try #require(try await sink.waitForMessages(to: email).first))

        let login = try cli.run(["login", "--email", email, "--password-stdin"], stdin: "kursi-F12-nyaman\n", environment: noSMTP)
        #expect(login.status == 77)
        #expect(login.stderr.contains("is not verified yet"))

        let wrong = try cli.run(["verify", "--email", email, "--code", code == "000000" ? "111111" : "000000"])
        #expect(wrong.status == 77)
        #expect(wrong.stderr == "error: that code is wrong: you have 4 more tries before you need a new code\n")

        let verify = try cli.run(["verify", "--email", email, "--code", code])
        #expect(verify.status == 0, "\(verify.stderr)")
        #expect(verify.stdout == "Verified as Siti <\(email)>, customer.\n")
        let sessionPath = cli.storePath + ".session"
        let permissions = try FileManager.default.attributesOfItem(atPath: sessionPath)[.posixPermissions] as? Int
        #expect(permissions == 0o600)

        let whoami = try cli.run(["whoami", "--json"])
        #expect(whoami.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(whoami.stdout.utf8)) as? [String: Any]
        let user = try #require(object?["user"] as? [String: Any])
        #expect(user["email"] as? String == email)
        #expect(user["phone"] as? String == "+6281234567890")
        #expect(user["password_hash"] == nil)

        #expect(try cli.run(["logout"]).stdout == "Logged out.\n")
        #expect(!FileManager.default.fileExists(atPath: sessionPath))
        let after = try cli.run(["whoami"])
        #expect(after.status == 77)
        #expect(after.stderr == "error: not logged in: log in first\n")

        let badLogin = try cli.run(["login", "--email", email, "--password-stdin"], stdin: "not-the-password\n")
        #expect(badLogin.status == 77)
        #expect(badLogin.stderr == "error: wrong email or password\n")
        let goodLogin = try cli.run(["login", "--email", email, "--password-stdin"], stdin: "kursi-F12-nyaman\n")
        #expect(goodLogin.status == 0)
        #expect(try cli.run(["whoami"]).stdout == "Siti <\(email)>, customer\n")
    }

    @Test func withoutAMailServerTheCodeWaitsInTheOutbox() throws {
        try initialise()
        let register = try cli.run(
            ["register", "--name", "Budi", "--email", "budi@example.com", "--phone", "+6285712345678", "--password-stdin"],
            stdin: "budi-password-1\n", environment: noSMTP)
        #expect(register.status == 0, "\(register.stderr)")
        #expect(register.stdout.contains("No mail server is configured"))
        // Issue 15, item 2: the outbox holds every recipient; nobody logged in sees none of it.
        let anonymous = try cli.run(["mail", "list"])
        #expect(anonymous.status == 77 && anonymous.stdout.isEmpty && !anonymous.stderr.contains("budi@"))
        try loginManager()
        let list = try cli.run(["mail", "list", "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [String: Any]
        let items = try #require(object?["items"] as? [[String: Any]])
        #expect(items.count == 1)
        #expect(items.first?["status"] as? String == "queued")
        #expect(items.first?["recipient"] as? String == "budi@example.com")
        #expect(items.first?["attempts"] as? Int == 0)

        let send = try cli.run(["mail", "send"], environment: noSMTP)
        #expect(send.status == 65)
        #expect(send.stderr.contains("BOXOFFICE_SMTP_URL"))

        // Issue 15, item 11: nothing was mailed, and the throttle says so.
        let again = try cli.run(["resend-otp", "--email", "budi@example.com"], environment: noSMTP)
        #expect(again.status == 67)
        #expect(again.stderr.contains("its mail has not gone out yet"), "\(again.stderr)")
    }

    @Test func mailServerDownThenUpMailSendDeliversOnce() async throws {
        let port = SMTPSink.freePort()
        try initialise()
        let register = try cli.run(
            ["register", "--name", "Rani", "--email", "rani@example.com", "--phone", "081234567890", "--password-stdin"],
            stdin: "rani-password-1\n", environment: smtp(port))
        #expect(register.status == 0, "\(register.stderr)")
        #expect(register.stdout.contains("stays queued"))
        try loginManager()
        let list = try cli.run(["mail", "list"])
        #expect(list.stdout.contains("queued  1"))
        #expect(list.stdout.contains("Couldn't connect"))

        let sink = try SMTPSink(port: port)
        defer { sink.stop() }
        let send = try cli.run(["mail", "send"], environment: smtp(port))
        #expect(send.status == 0, "\(send.stderr)")
        #expect(send.stdout == "Sent 1, will retry 0, failed 0.\n")
        let again = try cli.run(["mail", "send"], environment: smtp(port))
        #expect(again.stdout == "Sent 0, will retry 0, failed 0.\n")
        #expect(try await sink.waitForMessages(to: "rani@example.com").count == 1)
        #expect(try cli.run(["mail", "list", "--status", "sent"]).stdout.contains("rani@example.com"))
    }

    @Test func badInputExitCodes() throws {
        try initialise()
        let badPhone = try cli.run(
            ["register", "--name", "X", "--email", "x@example.com", "--phone", "12345", "--password-stdin"],
            stdin: "long-enough-1\n", environment: noSMTP)
        #expect(badPhone.status == 65)
        #expect(badPhone.stderr.hasPrefix("error: --phone: "), "the option, not the kit's field")
        let noPassword = try cli.run(["register", "--name", "X", "--email", "x@example.com", "--phone", "081234567890"])
        #expect(noPassword.status == 64, "no terminal to ask on: a usage error")
        #expect(noPassword.stderr == "error: there is no terminal to ask for the password: use --password-stdin\n")
        _ = try cli.run(
            ["register", "--name", "X", "--email", "x@example.com", "--phone", "081234567890", "--password-stdin"],
            stdin: "long-enough-1\n", environment: noSMTP)
        let duplicate = try cli.run(
            ["register", "--name", "X", "--email", "X@Example.com", "--phone", "081234567890", "--password-stdin"],
            stdin: "long-enough-1\n", environment: noSMTP)
        #expect(duplicate.status == 67)
        #expect(duplicate.stderr == "error: x@example.com is already registered\n")
        #expect(try cli.run(["register", "--name", "X", "--email", "y@example.com", "--phone", "081234567890", "--password", "p"]).status == 64)
    }

    @Test func initCreatesAManagerWhoAddsStaff() throws {
        let initialise = try cli.run(
            ["init", "--manager-email", "maya@example.com", "--manager-name", "Maya", "--password-stdin", "--json"],
            stdin: "manager-pass-1\n")
        #expect(initialise.status == 0, "\(initialise.stderr)")
        #expect(initialise.stdout.contains("\"email\" : \"maya@example.com\""))
        let twice = try cli.run(["init", "--manager-email", "m2@example.com", "--manager-name", "M", "--password-stdin"], stdin: "manager-pass-2\n")
        #expect(twice.status == 67)

        let anonymous = try cli.run(["users", "list"])
        #expect(anonymous.status == 77)
        #expect(try cli.run(["login", "--email", "maya@example.com", "--password-stdin"], stdin: "manager-pass-1\n").status == 0)
        let add = try cli.run(
            ["users", "add-staff", "--email", "budi@example.com", "--name", "Budi", "--role", "cashier", "--password-stdin"],
            stdin: "cashier-pass-1\n")
        #expect(add.status == 0, "\(add.stderr)")
        #expect(add.stdout == "Added cashier Budi <budi@example.com>.\n")
        #expect(try cli.run(["users", "list"]).stdout.contains("budi@example.com  Budi  cashier"))
        // A customer registers; staff never add one.
        let customer = try cli.run(
            ["users", "add-staff", "--email", "cus@example.com", "--name", "Cus", "--role", "customer", "--password-stdin"],
            stdin: "customer-pass-1\n")
        #expect(customer.status == 64 && customer.stderr.contains("one of 'cashier' and 'manager'"), "\(customer.stderr)")

        #expect(try cli.run(["login", "--email", "budi@example.com", "--password-stdin"], stdin: "cashier-pass-1\n").status == 0)
        let denied = try cli.run(
            ["users", "add-staff", "--email", "eve@example.com", "--name", "Eve", "--role", "manager", "--password-stdin"],
            stdin: "eve-password-1\n")
        #expect(denied.status == 77)
        #expect(denied.stderr == "error: not allowed: only head office may add staff\n")
        #expect(try cli.run(["users", "list"]).status == 77)
    }
}
