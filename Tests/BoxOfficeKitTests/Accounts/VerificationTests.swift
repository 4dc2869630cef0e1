import Foundation
import GRDB
import Testing
@testable import BoxOfficeKit

struct VerificationTests {
    let store: TestStore
    let password = "kursi-F12-nyaman"

    init() throws {
        store = try TestStore()
    }

    private func register() async throws -> (email: String, code: String) {
        let email = AccountsFixture.uniqueEmail()
        let registration = try await store.box.accounts.register(name: "Siti", email: email, phone: "081234567890", password: password)
        return (email, try await AccountsFixture.code(inMail: registration.mailID, of: store.box))
    }

    private func wrong(_ code: String) -> String {
        String(format: "%06d", (Int(code)! + 1) % 1_000_000)
    }

    @Test func fiveWrongCodesVoidTheCodeUntilANewOneIsSent() async throws {
        let (email, code) = try await register()
        for attemptsLeft in [4, 3, 2, 1] {
            await #expect(throws: AccountError.otpWrong(attemptsLeft: attemptsLeft)) {
                try await store.box.accounts.verify(email: email, code: wrong(code))
            }
        }
        await #expect(throws: AccountError.otpTooManyAttempts) {
            try await store.box.accounts.verify(email: email, code: wrong(code))
        }
        // Even the right code no longer works.
        await #expect(throws: AccountError.otpTooManyAttempts) {
            try await store.box.accounts.verify(email: email, code: code)
        }
        store.clock.advance(by: 61)
        let again = try #require(try await store.box.accounts.resendCode(email: email))
        let newCode = try await AccountsFixture.code(inMail: again.mailID, of: store.box)
        let session = try await store.box.accounts.verify(email: email, code: newCode)
        #expect(session.user.isVerified)
    }

    @Test func anExpiredCodeIsRefused() async throws {
        let (email, code) = try await register()
        store.clock.advance(by: 5 * 60 + 1)
        await #expect(throws: AccountError.otpExpired) {
            try await store.box.accounts.verify(email: email, code: code)
        }
        await #expect(throws: AccountError.notVerified(email: email)) {
            try await store.box.accounts.login(email: email, password: password)
        }
    }

    @Test func aNewCodeWaitsAMinuteAndVoidsTheOldOne() async throws {
        let (email, oldCode) = try await register()
        store.clock.advance(by: 10)
        // Its mail was never sent (no mail server here): the throttle says so.
        await #expect(throws: AccountError.otpStillQueued(retryAfterSeconds: 50)) {
            try await store.box.accounts.resendCode(email: email)
        }
        store.clock.advance(by: 50)
        let again = try #require(try await store.box.accounts.resendCode(email: email))
        let newCode = try await AccountsFixture.code(inMail: again.mailID, of: store.box)
        let voided = try await store.box.writer.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM otp_codes WHERE user_id = ? AND voided_at IS NOT NULL", arguments: [again.user.id])
        }
        #expect(voided == 1)
        if oldCode != newCode {
            await #expect(throws: AccountError.otpWrong(attemptsLeft: 4)) {
                try await store.box.accounts.verify(email: email, code: oldCode)
            }
        }
        _ = try await store.box.accounts.verify(email: email, code: newCode)
        await #expect(throws: AccountError.alreadyVerified(email: email)) {
            try await store.box.accounts.verify(email: email, code: newCode)
        }
        // A verified account gets what an unknown address gets: nothing, and no word of it.
        #expect(try await store.box.accounts.resendCode(email: email) == nil)
    }

    @Test func unverifiedUsersCannotLogIn() async throws {
        let (email, _) = try await register()
        await #expect(throws: AccountError.notVerified(email: email)) {
            try await store.box.accounts.login(email: email, password: password)
        }
    }

    @Test func malformedCodesAndUnknownEmailsChangeNothing() async throws {
        let (email, _) = try await register()
        let before = try await AccountsFixture.counts(store.box)
        for bad in ["12345", "1234567", "12a456", ""] {
            await #expect(throws: InputError(field: "code", reason: "must be the 6 digits from the email")) {
                try await store.box.accounts.verify(email: email, code: bad)
            }
        }
        await #expect(throws: AccountError.userNotFound("nobody@example.com")) {
            try await store.box.accounts.verify(email: "nobody@example.com", code: "123456")
        }
        #expect(try await AccountsFixture.counts(store.box) == before)
        let attempts = try await store.box.writer.read { db in try Int.fetchOne(db, sql: "SELECT MAX(attempts) FROM otp_codes") }
        #expect(attempts == 0)
    }

    @Test func theStoreKeepsOnlyAKeyedHashOfTheCode() async throws {
        let (_, code) = try await register()
        let stored = try await store.box.writer.read { db in try String.fetchOne(db, sql: "SELECT code_hash FROM otp_codes") }
        let hash = try #require(stored)
        #expect(hash.count == 64)
        #expect(!hash.contains(code))
        let plainSHA = SessionToken.digest(code)
        #expect(hash != plainSHA)
    }
}
