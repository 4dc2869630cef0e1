import Foundation
import Testing
@testable import BoxOfficeKit

struct StaffTests {
    let store: TestStore
    let manager: Principal

    init() async throws {
        store = try TestStore()
        _ = try await store.box.accounts.createFirstManager(name: "Maya", email: "maya@example.com", password: "manager-pass-123")
        manager = try await store.box.accounts.login(email: "maya@example.com", password: "manager-pass-123").principal
    }

    @Test func aManagerAddsVerifiedStaffWhoCanLogIn() async throws {
        let cashier = try await store.box.accounts.addStaff(
            name: "Budi", email: "Budi@Example.com", role: .cashier, password: "cashier-pass-1", by: manager)
        #expect(cashier.email == "budi@example.com")
        #expect(cashier.isVerified)
        #expect(cashier.role == .cashier)
        let session = try await store.box.accounts.login(email: "budi@example.com", password: "cashier-pass-1")
        #expect(session.principal.role == .cashier)
    }

    @Test func onlyManagersAddStaffOrListUsers() async throws {
        _ = try await store.box.accounts.addStaff(
            name: "Budi", email: "budi@example.com", role: .cashier, password: "cashier-pass-1", by: manager)
        let cashier = try await store.box.accounts.login(email: "budi@example.com", password: "cashier-pass-1").principal
        let before = try await AccountsFixture.counts(store.box)
        await #expect(throws: AccountError.notAllowed("only head office may add staff")) {
            try await store.box.accounts.addStaff(
                name: "Eve", email: "eve@example.com", role: .manager, password: "eve-pass-123", by: cashier)
        }
        await #expect(throws: AccountError.notAllowed("only a manager may list users")) {
            try await store.box.accounts.users(by: cashier)
        }
        #expect(try await AccountsFixture.counts(store.box) == before)
        let page = try await store.box.accounts.users(page: PageRequest(page: 1, limit: 10), by: manager)
        #expect(page.total == 2)
        #expect(page.items.map(\.role) == [.manager, .cashier])
    }

    @Test func roleChecksFollowTheOrderOfRoles() throws {
        let customer = Principal(userID: "c", role: .customer)
        #expect(throws: AccountError.notAllowed("only a cashier may sell at the counter")) {
            try customer.require(.cashier, toDo: "sell at the counter")
        }
        try Principal(userID: "m", role: .manager).require(.cashier, toDo: "sell at the counter")
        try Principal(userID: "k", role: .cashier).require(.customer, toDo: "book")
    }

    @Test func badStaffInputChangesNothing() async throws {
        let before = try await AccountsFixture.counts(store.box)
        await #expect(throws: InputError(field: "role", reason: "must be cashier or manager (customers register themselves)")) {
            try await store.box.accounts.addStaff(name: "C", email: "c@example.com", role: .customer, password: "long-enough-1", by: manager)
        }
        await #expect(throws: InputError(field: "password", reason: "must be at least 8 characters")) {
            try await store.box.accounts.addStaff(name: "C", email: "c@example.com", role: .cashier, password: "short", by: manager)
        }
        await #expect(throws: AccountError.emailAlreadyRegistered("maya@example.com")) {
            try await store.box.accounts.addStaff(name: "M", email: "MAYA@example.com", role: .cashier, password: "long-enough-1", by: manager)
        }
        await #expect(throws: AccountError.alreadyInitialised) {
            try await store.box.accounts.createFirstManager(name: "Second", email: "second@example.com", password: "long-enough-1")
        }
        #expect(try await AccountsFixture.counts(store.box) == before)
    }
}
