import Foundation
import Testing
import TestSupport
@testable import BoxOfficeKit

/// After a whole register → mail → verify → login flow, neither the store file (with its WAL) nor
/// the log holds a password, a verification code or a session token in plain text.
struct SecretsAtRestTests {
    @Test func theStoreFileAndTheLogHoldNoPlainSecrets() async throws {
        let log = LogCapture()
        let store = try TestStore { configuration in configuration.logger = log.logger }
        let sink = try SMTPSink()
        defer { sink.stop() }
        let mailer = SMTPMailer(configuration: try SMTPMailer.Configuration(
            url: "smtp://mailer:relay-password-9@127.0.0.1:\(sink.port)", startTLS: .off, from: "tickets@example.com"))
        let password = "Plain-Pass-\(UUID().uuidString)"
        let email = AccountsFixture.uniqueEmail()

        let registration = try await store.box.accounts.register(name: "Siti", email: email, phone: "081234567890", password: password)
        let oldCode = try await AccountsFixture.code(inMail: registration.mailID, of: store.box)
        // A second code, so a voided one is in the store too; the first mail stays queued (sealed).
        store.clock.advance(by: 61)
        let again = try #require(try await store.box.accounts.resendCode(email: email))
        _ = try await store.box.mail.deliver(id: again.mailID, using: mailer)
        let code = try SMTPSink.code(in: try #require(try await sink.waitForMessages(to: email).first))
        let verified = try await store.box.accounts.verify(email: email, code: code)
        let login = try await store.box.accounts.login(email: email, password: password)
        _ = try await store.box.accounts.authenticate(token: login.token)
        try await store.box.accounts.logout(token: verified.token)

        var bytes = Data()
        for suffix in ["", "-wal"] {
            bytes += (FileManager.default.contents(atPath: store.path + suffix) ?? Data())
        }
        #expect(bytes.count > 10_000)
        let secrets = [
            "password": password, "code": code, "first code": oldCode, "verify token": verified.token,
            "login token": login.token, "relay password": "relay-password-9",
        ]
        for (what, secret) in secrets {
            #expect(bytes.range(of: Data(secret.utf8)) == nil, "the store holds the \(what)")
            #expect(!log.text.contains(secret), "the log holds the \(what)")
        }
        #expect(log.text.contains("registered"))
        #expect(log.text.contains("mail sent"))
    }
}
