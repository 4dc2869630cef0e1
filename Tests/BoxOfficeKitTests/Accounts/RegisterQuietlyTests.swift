import Foundation
import GRDB
import Testing
import TestSupport
@testable import BoxOfficeKit

/// A public form's registration answers the same for a taken address: the owner is mailed, the
/// account is left as it was, and the mails are at most one a minute.
struct RegisterQuietlyTests {
    let store: TestStore
    let password = "kursi-F12-nyaman"

    init() throws {
        store = try TestStore()
    }

    @Test func aTakenAddressGetsAMailAndKeepsItsAccount() async throws {
        let email = AccountsFixture.uniqueEmail()
        let first = try #require(try await store.box.accounts.registerQuietly(
            name: "Siti Rahayu", email: email, phone: "0812-3456-7890", password: password))
        let code = try await AccountsFixture.code(inMail: first, of: store.box)
        _ = try await store.box.accounts.verify(email: email, code: code)
        let before = try await AccountsFixture.counts(store.box)

        let notice = try #require(try await store.box.accounts.registerQuietly(
            name: "Someone Else", email: email.uppercased(), phone: "0813-0000-0000", password: "another-password"))
        let entry = try await store.box.mail.entry(id: notice)
        #expect(entry.subject == "Your BoxOffice account" && entry.recipient == email)
        let again = try await store.box.accounts.registerQuietly(
            name: "Someone Else", email: email, phone: "0813-0000-0000", password: "another-password")
        #expect(again == nil, "at most one such mail a minute")

        var after = try await AccountsFixture.counts(store.box)
        #expect(after["mail_outbox"] == before["mail_outbox"]! + 1)
        after["mail_outbox"] = before["mail_outbox"]
        #expect(after == before, "no account, code or session was made or changed")
        let session = try await store.box.accounts.login(email: email, password: password)
        #expect(session.user.name == "Siti Rahayu" && session.user.phone == "+6281234567890")
    }

    @Test func theFormsOwnMistakesStillNameTheirField() async throws {
        await #expect(throws: InputError.self) {
            _ = try await store.box.accounts.registerQuietly(name: "Siti", email: "not an email", phone: "0812-3456-7890", password: password)
        }
        await #expect(throws: InputError.self) {
            _ = try await store.box.accounts.registerQuietly(name: "Siti", email: AccountsFixture.uniqueEmail(), phone: "12", password: password)
        }
        #expect(try await AccountsFixture.counts(store.box)["users"] == 0)
    }
}
