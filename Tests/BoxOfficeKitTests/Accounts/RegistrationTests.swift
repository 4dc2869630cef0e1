import Foundation
import GRDB
import Testing
import TestSupport
@testable import BoxOfficeKit

struct RegistrationTests {
    let store: TestStore
    let password = "kursi-F12-nyaman"

    init() throws {
        store = try TestStore()
    }

    @Test func registerDeliversTheCodeOverSMTPAndVerifyingLogsIn() async throws {
        let sink = try SMTPSink.shared()
        let email = AccountsFixture.uniqueEmail()
        let mailer = SMTPMailer(configuration: try SMTPMailer.Configuration(
            url: "smtp://mailer:relay-secret@127.0.0.1:\(sink.port)", startTLS: .off, from: "BoxOffice <tickets@example.com>"))

        let registration = try await store.box.accounts.register(
            name: "Siti Rahayu", email: email, phone: "0812-3456-7890", password: password)
        #expect(registration.user.isVerified == false)
        #expect(registration.user.phone == "+6281234567890")
        #expect(registration.user.role == .customer)
        let entry = try await store.box.mail.deliver(id: registration.mailID, using: mailer)
        #expect(entry.status == .sent)
        #expect(entry.attempts == 1)

        let delivered = try await sink.waitForMessages(to: email)
        #expect(delivered.count == 1)
        let message = try #require(delivered.first)
        #expect(message.contains("X-Sink-Auth-User: mailer"))
        #expect(message.contains("Message-ID: <\(entry.messageID)>"))
        let code = try SMTPSink.code(in: message)

        let session = try await store.box.accounts.verify(email: email.uppercased(), code: code)
        #expect(session.user.isVerified)
        let principal = try await store.box.accounts.authenticate(token: session.token)
        #expect(principal.userID == registration.user.id)
        #expect(principal.role == .customer)

        // And from now on the password logs in.
        let login = try await store.box.accounts.login(email: email, password: password)
        #expect(login.principal == principal)
    }

    @Test func oneTransactionWritesTheUserTheCodeAndTheMail() async throws {
        let before = try await AccountsFixture.counts(store.box)
        let registration = try await store.box.accounts.register(
            name: "Budi", email: AccountsFixture.uniqueEmail("budi"), phone: "+62 857 1234 5678", password: password)
        let after = try await AccountsFixture.counts(store.box)
        #expect(after["users"] == before["users"]! + 1)
        #expect(after["otp_codes"] == before["otp_codes"]! + 1)
        #expect(after["mail_outbox"] == before["mail_outbox"]! + 1)
        #expect(after["change_log"] == before["change_log"]! + 1)  // the user, journalled
        let entry = try await store.box.mail.entry(id: registration.mailID)
        #expect(entry.status == .queued)
        #expect(entry.recipient == registration.user.email)
        #expect(!entry.subject.contains(try await AccountsFixture.code(inMail: registration.mailID, of: store.box)))
    }

    @Test func duplicateEmailInAnotherCaseIsRefusedAndChangesNothing() async throws {
        let email = AccountsFixture.uniqueEmail()
        _ = try await store.box.accounts.register(name: "Siti", email: email, phone: "081234567890", password: password)
        let before = try await AccountsFixture.counts(store.box)
        await #expect(throws: AccountError.emailAlreadyRegistered(email)) {
            try await store.box.accounts.register(
                name: "Another Siti", email: "  " + email.uppercased(), phone: "081298765432", password: password)
        }
        #expect(try await AccountsFixture.counts(store.box) == before)
    }

    static let badForms: [(name: String, email: String, phone: String, password: String, field: String)] = [
        ("", "a@example.com", "081234567890", "long-enough-1", "name"),
        ("Siti", "not-an-email", "081234567890", "long-enough-1", "email"),
        ("Siti", "siti@localhost", "081234567890", "long-enough-1", "email"),
        ("Siti", "a@example.com", "12345", "long-enough-1", "phone"),
        ("Siti", "a@example.com", "+65 8123 4567", "long-enough-1", "phone"),
        ("Siti", "a@example.com", "021-555-1234", "long-enough-1", "phone"),
        ("Siti", "a@example.com", "0812-34ab-7890", "long-enough-1", "phone"),
        ("Siti", "a@example.com", "081234567890", "short", "password"),
        ("Siti", "long.address@example.com", "081234567890", "LONG.ADDRESS@example.com", "password"),
    ]

    @Test(arguments: badForms.indices)
    func badInputNamesTheFieldAndChangesNothing(index: Int) async throws {
        let form = Self.badForms[index]
        let before = try await AccountsFixture.counts(store.box)
        do {
            _ = try await store.box.accounts.register(name: form.name, email: form.email, phone: form.phone, password: form.password)
            Issue.record("registration of a bad form succeeded")
        } catch let error as InputError {
            #expect(error.field == form.field)
            #expect(error.kind == .invalidInput)
        }
        #expect(try await AccountsFixture.counts(store.box) == before)
    }

    @Test(arguments: [
        ("0812-3456-7890", "+6281234567890"),
        ("+62 812 3456 7890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("(0857) 1234.5678", "+6285712345678"),
        ("0812345678", "+62812345678"),
    ])
    func indonesianMobileNumbersBecomeE164(raw: String, normalised: String) throws {
        #expect(try AccountInput.phone(raw) == normalised)
    }
}
