import Foundation
import GRDB
import Testing
@testable import BoxOfficeKit

/// Issue 15, items 2 and 11: asking for a new code tells nobody who is registered; a voided
/// code's queued mail is cancelled, not delivered after the new one; the throttle says what
/// really happened.
struct CodeResendTests {
    let store: TestStore
    init() throws { store = try TestStore() }

    @Test func anAddressWithoutAnAccountWaitingGetsNothingAndNoError() async throws {
        #expect(try await store.box.accounts.resendCode(email: "nobody@example.com") == nil)
        _ = try await store.box.accounts.register(name: "Sari", email: "sari@example.com", phone: "0812-3456-7890",
                                                  password: "kursi-F12-nyaman")
        try await store.box.writer.write { db in try db.execute(sql: "UPDATE users SET verified_at = created_at") }
        #expect(try await store.box.accounts.resendCode(email: "sari@example.com") == nil)
    }

    @Test func aVoidedCodesQueuedMailIsCancelledAndTheThrottleSaysItWasNotSent() async throws {
        let first = try await store.box.accounts.register(name: "Sari", email: "sari@example.com", phone: "0812-3456-7890",
                                                          password: "kursi-F12-nyaman")
        // Nothing was mailed: the throttle must not say it was.
        await #expect(throws: AccountError.otpStillQueued(retryAfterSeconds: 60)) {
            _ = try await store.box.accounts.resendCode(email: "sari@example.com")
        }
        store.clock.advance(by: 61)
        let second = try #require(try await store.box.accounts.resendCode(email: "sari@example.com"))
        let old = try await store.box.mail.entry(id: first.mailID)
        #expect(old.status == .failed && old.lastError == MailOutbox.cancelledMarker)
        let due = try await store.box.mail.due(limit: 10)
        #expect(due.map(\.id) == [second.mailID])
        try await store.box.writer.write { db in
            let row = try #require(try Row.fetchOne(db, sql: "SELECT sealed_body FROM mail_outbox WHERE id = ?", arguments: [first.mailID]))
            #expect((row["sealed_body"] as Data?) == nil)
            try db.execute(sql: "UPDATE mail_outbox SET status = 'sent', sent_at = ?, sealed_body = NULL WHERE id = ?",
                           arguments: [Date(), second.mailID])
        }
        await #expect(throws: AccountError.otpResendTooSoon(retryAfterSeconds: 60)) {
            _ = try await store.box.accounts.resendCode(email: "sari@example.com")
        }
    }
}
