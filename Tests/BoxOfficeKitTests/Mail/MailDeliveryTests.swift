import Foundation
import GRDB
import Testing
import TestSupport
@testable import BoxOfficeKit

struct MailDeliveryTests {
    let store: TestStore

    init() throws {
        store = try TestStore()
    }

    private func mailer(port: Int) throws -> SMTPMailer {
        var configuration = try SMTPMailer.Configuration(
            url: "smtp://127.0.0.1:\(port)", startTLS: .off, from: "tickets@example.com")
        configuration.connectTimeout = .seconds(2)
        configuration.timeout = .seconds(10)
        return SMTPMailer(configuration: configuration)
    }

    private func register() async throws -> Registration {
        try await store.box.accounts.register(
            name: "Siti", email: AccountsFixture.uniqueEmail(), phone: "081234567890", password: "kursi-F12-nyaman")
    }

    private func sealedBody(_ id: Int64) throws -> Data? {
        try store.box.writer.read { db in try Data.fetchOne(db, sql: "SELECT sealed_body FROM mail_outbox WHERE id = ?", arguments: [id]) }
    }

    @Test func serverDownKeepsTheMailQueuedThenServerUpDeliversItExactlyOnce() async throws {
        let port = SMTPSink.freePort()
        let mailer = try mailer(port: port)
        let registration = try await register()

        let failed = try await store.box.mail.deliver(id: registration.mailID, using: mailer)
        #expect(failed.status == .queued)
        #expect(failed.attempts == 1)
        let error = try #require(failed.lastError)
        #expect(error.contains("127.0.0.1:\(port)"))
        #expect(failed.nextAttemptAt == store.clock.now.addingTimeInterval(30))
        #expect(try sealedBody(registration.mailID) != nil)
        // Not due yet: a delivery run leaves it alone.
        #expect(try await store.box.mail.deliverDue(using: mailer) == MailOutbox.DeliveryReport())

        let sink = try SMTPSink(port: port)
        defer { sink.stop() }
        store.clock.advance(by: 30)
        let report = try await store.box.mail.deliverDue(using: mailer)
        #expect(report.sent == [registration.mailID])
        #expect(try await store.box.mail.deliverDue(using: mailer, ignoringSchedule: true) == MailOutbox.DeliveryReport())

        let entry = try await store.box.mail.entry(id: registration.mailID)
        #expect(entry.status == .sent)
        #expect(entry.attempts == 2)
        #expect(entry.lastError == nil)
        #expect(entry.sentAt == store.clock.now)
        #expect(try sealedBody(registration.mailID) == nil)
        let messages = try await sink.waitForMessages(to: registration.user.email)
        #expect(messages.count == 1)
        #expect(messages.first?.contains("Message-ID: <\(entry.messageID)>") == true)
    }

    @Test func twoSendersOnOneStoreDeliverEachMailOnce() async throws {
        let sink = try SMTPSink()
        defer { sink.stop() }
        var registrations: [Registration] = []
        for _ in 0..<6 { registrations.append(try await register()) }
        // A second handle on the same file stands for a second process.
        let other = try BoxOffice.open(path: store.path, configuration: store.box.configuration)
        let mailer = try mailer(port: sink.port)
        async let first = store.box.mail.deliverDue(using: mailer, ignoringSchedule: true)
        async let second = other.mail.deliverDue(using: mailer, ignoringSchedule: true)
        let reports = try await [first, second]
        let sent = (reports[0].sent + reports[1].sent).sorted()
        #expect(sent == registrations.map(\.mailID).sorted())
        for registration in registrations {
            #expect(try await sink.waitForMessages(to: registration.user.email).count == 1)
        }
        #expect(sink.messages().count == registrations.count)
    }

    @Test func retriesBackOffExponentiallyUpToACapThenGiveUp() async throws {
        var policy = MailOutbox.DeliveryPolicy()
        policy.maximumAttempts = 4
        policy.initialBackoff = .seconds(10)
        policy.maximumBackoff = .seconds(25)
        #expect([1, 2, 3, 4].map(policy.backoff(afterAttempts:)) == [10, 20, 25, 25])

        let mailer = try mailer(port: SMTPSink.freePort())
        let registration = try await register()
        var waits: [TimeInterval] = []
        for attempt in 1...4 {
            let report = try await store.box.mail.deliverDue(using: mailer, policy: policy)
            let entry = try await store.box.mail.entry(id: registration.mailID)
            #expect(entry.attempts == attempt)
            #expect(entry.lastError?.isEmpty == false)
            if attempt < 4 {
                #expect(report.retrying == [registration.mailID])
                let wait = entry.nextAttemptAt.timeIntervalSince(store.clock.now)
                waits.append(wait)
                store.clock.advance(by: wait)
            } else {
                #expect(report.failed == [registration.mailID])
                #expect(entry.status == .failed)
            }
        }
        #expect(waits == [10, 20, 25])
        #expect(try sealedBody(registration.mailID) == nil)
        #expect(try await store.box.mail.deliverDue(using: mailer, policy: policy, ignoringSchedule: true) == MailOutbox.DeliveryReport())
    }

    @Test func theMessageIsMultipartWithTheHeadersMailServersExpect() async throws {
        let sink = try SMTPSink(user: "relay", password: "p@ss:word/1")
        defer { sink.stop() }
        let configuration = try SMTPMailer.Configuration(
            url: "smtp://relay;AUTH=LOGIN:p%40ss%3Aword%2F1@127.0.0.1:\(sink.port)", startTLS: .optional,
            from: "BoxOffice <tickets@example.com>")
        let message = MailMessage(
            messageID: "test-\(UUID().uuidString)@boxoffice.local", recipient: "rani@example.com",
            subject: "Tiket Anda — Studio 1", text: "First line\n.\n.dotted line\nÜmlaut and rupiah: Rp 50.000",
            html: "<p>Hello</p>", date: Date(timeIntervalSince1970: 1_767_225_600))
        try await SMTPMailer(configuration: configuration).send(message)
        let received = try #require(try await sink.waitForMessages(to: "rani@example.com").first)
        #expect(received.contains("X-Sink-Auth-User: relay"))
        for header in [
            "Date: Thu, 01 Jan 2026 00:00:00 +0000\r\n", "From: BoxOffice <tickets@example.com>\r\n",
            "To: rani@example.com\r\n", "Subject: =?UTF-8?B?", "Message-ID: <\(message.messageID)>\r\n",
            "Content-Type: multipart/alternative;", "Content-Type: text/plain; charset=utf-8",
            "Content-Type: text/html; charset=utf-8",
        ] {
            #expect(received.contains(header), "missing \(header)")
        }
        #expect(!received.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "bare LF line ending")
        // The non-ASCII text part travels as base64 and comes back whole, dots included.
        let base64 = received.components(separatedBy: "Content-Transfer-Encoding: base64\r\n\r\n")[1]
            .components(separatedBy: "\r\n\r\n--")[0].replacingOccurrences(of: "\r\n", with: "")
        let text = String(decoding: try #require(Data(base64Encoded: base64)), as: UTF8.self)
        #expect(text == "First line\r\n.\r\n.dotted line\r\nÜmlaut and rupiah: Rp 50.000")
    }

    @Test func wrongAUTHCredentialsFailWithTheServersReasonAndNoPassword() async throws {
        let sink = try SMTPSink(user: "relay", password: "right-password")
        defer { sink.stop() }
        let configuration = try SMTPMailer.Configuration(
            url: "smtp://relay:wrong-password@127.0.0.1:\(sink.port)", startTLS: .off, from: "tickets@example.com")
        let registration = try await register()
        let entry = try await store.box.mail.deliver(id: registration.mailID, using: SMTPMailer(configuration: configuration))
        #expect(entry.status == .queued)
        let error = try #require(entry.lastError)
        #expect(!error.contains("wrong-password"))
        #expect(sink.messages().isEmpty)
    }

    @Test func startTLSRequiredRefusesAServerWithoutTLS() async throws {
        let sink = try SMTPSink()
        defer { sink.stop() }
        let configuration = try SMTPMailer.Configuration(url: "smtp://127.0.0.1:\(sink.port)", startTLS: .required, from: "tickets@example.com")
        let registration = try await register()
        let entry = try await store.box.mail.deliver(id: registration.mailID, using: SMTPMailer(configuration: configuration))
        #expect(entry.status == .queued)
        #expect(entry.lastError != nil)
        #expect(sink.messages().isEmpty)
    }

    @Test func theOutboxListsNewestFirstWithoutBodies() async throws {
        let first = try await register()
        let second = try await register()
        let manager = Principal(userID: EntityID.make(), role: .manager)
        let page = try await store.box.mail.list(page: PageRequest(page: 1, limit: 10), by: manager)
        #expect(page.items.map(\.id) == [second.mailID, first.mailID])
        #expect(page.total == 2)
        #expect(try await store.box.mail.list(status: .sent, by: manager).total == 0)
        #expect(try await store.box.mail.due().count == 2)
        await #expect(throws: MailError.mailNotFound(99)) { try await store.box.mail.entry(id: 99) }
    }
}
