import Foundation
import Testing
@testable import BoxOfficeKit

/// A cashier finds a customer by a part of their name, email or phone, as the counter screen's
/// search does: staff only, customers only, the query checked like any typed text.
struct CustomerSearchTests {
    let store: TestStore
    let cashier: Principal

    init() async throws {
        store = try TestStore()
        let accounts = store.box.accounts
        _ = try await accounts.createFirstManager(name: "Maya", email: "maya@example.com", password: "manager-pass-123")
        let manager = try await accounts.login(email: "maya@example.com", password: "manager-pass-123").principal
        _ = try await accounts.addStaff(name: "Sari Kasir", email: "sari.kasir@example.com", role: .cashier,
                                        password: "cashier-pass-1", by: manager)
        cashier = try await accounts.login(email: "sari.kasir@example.com", password: "cashier-pass-1").principal
        for (name, email, phone) in [("Sari Wulandari", "sari.w@example.com", "0812-3456-7890"),
                                     ("Budi Santoso", "budi@mail.example", "+62 857 1111 2222"),
                                     ("Dewi 100% Lestari", "dewi_l@example.com", "0813 9999 0000")] {
            _ = try await accounts.register(name: name, email: email, phone: phone, password: "kursi-F12-nyaman")
        }
    }

    func names(_ query: String, by principal: Principal? = nil) async throws -> [String] {
        try await store.box.accounts.customers(matching: query, by: principal ?? cashier).items.map(\.name)
    }

    @Test func findsByAnyPartOfNameEmailOrPhoneAndNeverStaff() async throws {
        #expect(try await names("SARI") == ["Sari Wulandari"], "the cashier Sari Kasir is staff: never a customer found")
        #expect(try await names("mail.example") == ["Budi Santoso"])
        #expect(try await names("0812-3456") == ["Sari Wulandari"], "typed nationally, stored as +62812…")
        #expect(try await names("+62 857 1111") == ["Budi Santoso"])
        #expect(try await names("8139999") == ["Dewi 100% Lestari"])
        #expect(try await names("example.com") == ["Dewi 100% Lestari", "Sari Wulandari"], "by name")
        #expect(try await names("nobody") == [])
        let page = try await store.box.accounts.customers(matching: "example", by: cashier)
        #expect(page.total == 3 && page.limit == Accounts.customerSearchLimit && page.page == 1)
    }

    @Test func wildcardsAreTakenLiterally() async throws {
        #expect(try await names("0%") == ["Dewi 100% Lestari"])
        #expect(try await names("i_l") == ["Dewi 100% Lestari"])
        #expect(try await names("%%") == [])
        #expect(try await names("__") == [])
    }

    @Test func onlyStaffSearchAndABadQueryIsRefusedByItsField() async throws {
        let registration = try await store.box.accounts.register(name: "Rudi", email: "rudi@example.com", phone: "0812-0000-1111",
                                                                 password: "kursi-F12-nyaman")
        let code = try await AccountsFixture.code(inMail: registration.mailID, of: store.box)
        let customer = try await store.box.accounts.verify(email: "rudi@example.com", code: code).principal
        await #expect(throws: AccountError.self) { try await names("sari", by: customer) }
        do {
            _ = try await names("sari", by: customer)
        } catch let error as AccountError {
            #expect(error.description.contains("look up a customer"), "\(error)")
        }
        await #expect(throws: InputError(field: "query", reason: "must not be empty")) { try await names("  ") }
        await #expect(throws: InputError(field: "query", reason: "must be at least 2 characters")) { try await names("s") }
        await #expect(throws: InputError(field: "query", reason: "must be at most 100 characters")) {
            try await names(String(repeating: "a", count: 101))
        }
        await #expect(throws: InputError.self) { try await names("sa\u{1B}[2J") }
    }
}
