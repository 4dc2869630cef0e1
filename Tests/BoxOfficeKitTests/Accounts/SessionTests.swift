import Crypto
import Foundation
import GRDB
import Testing
@testable import BoxOfficeKit

struct SessionTests {
    let store: TestStore
    let email = "manager@example.com"
    let password = "manager-pass-123"

    init() async throws {
        store = try TestStore()
        _ = try await store.box.accounts.createFirstManager(name: "Maya", email: email, password: password)
    }

    @Test func theTokenIs256RandomBitsAndOnlyItsSHA256IsStored() async throws {
        let session = try await store.box.accounts.login(email: email, password: password)
        var base64 = session.token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        #expect(Data(base64Encoded: base64)?.count == 32)
        let stored = try await store.box.writer.read { db in try String.fetchAll(db, sql: "SELECT token_hash FROM sessions") }
        let digest = SHA256.hash(data: Data(session.token.utf8)).map { String(format: "%02x", $0) }.joined()
        #expect(stored == [digest])
        let other = try await store.box.accounts.login(email: email, password: password)
        #expect(other.token != session.token)
    }

    @Test func aSessionLasts24HoursAndEachUseExtendsIt() async throws {
        let session = try await store.box.accounts.login(email: email, password: password)
        #expect(session.expiresAt == store.clock.now.addingTimeInterval(24 * 60 * 60))
        store.clock.advance(by: 23 * 60 * 60)
        _ = try await store.box.accounts.authenticate(token: session.token)
        store.clock.advance(by: 23 * 60 * 60)   // 46 h after login, 23 h after its last use
        let principal = try await store.box.accounts.authenticate(token: session.token)
        #expect(principal.role == .manager)
        store.clock.advance(by: 24 * 60 * 60 + 1)
        await #expect(throws: AccountError.sessionExpired) {
            try await store.box.accounts.authenticate(token: session.token)
        }
    }

    @Test func logoutRevokesTheTokenWithADistinctError() async throws {
        let session = try await store.box.accounts.login(email: email, password: password)
        try await store.box.accounts.logout(token: session.token)
        await #expect(throws: AccountError.sessionRevoked) {
            try await store.box.accounts.authenticate(token: session.token)
        }
        try await store.box.accounts.logout(token: session.token)  // harmless twice
        await #expect(throws: AccountError.notLoggedIn) {
            try await store.box.accounts.authenticate(token: "not-a-token")
        }
    }

    @Test func fiveWrongPasswordsLockTheAccountFor15Minutes() async throws {
        for _ in 1...4 {
            await #expect(throws: AccountError.wrongCredentials) {
                try await store.box.accounts.login(email: email, password: "wrong-password")
            }
        }
        let lockedUntil = store.clock.now.addingTimeInterval(15 * 60)
        await #expect(throws: AccountError.locked(until: lockedUntil)) {
            try await store.box.accounts.login(email: email, password: "wrong-password")
        }
        // The right password does not open a locked account.
        await #expect(throws: AccountError.locked(until: lockedUntil)) {
            try await store.box.accounts.login(email: email, password: password)
        }
        store.clock.advance(by: 15 * 60 + 1)
        _ = try await store.box.accounts.login(email: email, password: password)
        // The count starts again after a success.
        let failed = try store.box.writer.read { db in
            try Row.fetchOne(db, sql: "SELECT failed_logins, locked_until FROM users WHERE email = ?", arguments: [email])!
        }
        #expect(failed["failed_logins"] == 0)
        #expect((failed["locked_until"] as String?) == nil)
    }

    @Test func failedLoginsAreNotJournalled() async throws {
        let before = try await AccountsFixture.counts(store.box)
        await #expect(throws: AccountError.wrongCredentials) {
            try await store.box.accounts.login(email: email, password: "wrong-password")
        }
        await #expect(throws: AccountError.wrongCredentials) {
            try await store.box.accounts.login(email: "nobody@example.com", password: password)
        }
        _ = try await store.box.accounts.login(email: email, password: password)
        let after = try await AccountsFixture.counts(store.box)
        #expect(after["change_log"] == before["change_log"])
        #expect(after["sessions"] == before["sessions"]! + 1)
    }

    @Test func aLegacyBcryptHashLogsInAndIsRehashedToYescrypt() async throws {
        let legacy = try PasswordHasher.legacyBcryptHash(password)
        #expect(legacy.hasPrefix("$2b$"))
        try await store.box.writer.write { db in
            try db.execute(sql: "UPDATE users SET password_hash = ? WHERE email = ?", arguments: [legacy, email])
        }
        await #expect(throws: AccountError.wrongCredentials) {
            try await store.box.accounts.login(email: email, password: "not-the-password")
        }
        let changesBefore = try await AccountsFixture.counts(store.box)["change_log"]!
        _ = try await store.box.accounts.login(email: email, password: password)
        let stored = try await store.box.writer.read { db in
            try String.fetchOne(db, sql: "SELECT password_hash FROM users WHERE email = ?", arguments: [email])!
        }
        #expect(stored.hasPrefix("$y$"))
        // A staff account's password is head office's (it changes there, online): the new hash
        // stays in this store and is never pushed.
        #expect(try await AccountsFixture.counts(store.box)["change_log"] == changesBefore)
        _ = try await store.box.accounts.login(email: email, password: password)
        #expect(try await AccountsFixture.counts(store.box)["change_log"] == changesBefore)
    }
}
