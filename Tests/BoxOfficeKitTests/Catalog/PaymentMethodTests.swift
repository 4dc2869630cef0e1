import Foundation
import Testing
@testable import BoxOfficeKit

struct PaymentMethodTests {
    @Test func seededMethodsInOrder() async throws {
        let fixture = try await CatalogFixture()
        let methods = try await fixture.catalog.paymentMethods()
        #expect(methods.map(\.code) == ["cash", "debit_card", "credit_card", "qris", "gopay", "ovo", "virtual_account"])
        #expect(methods.allSatisfy { $0.enabled })
        #expect(methods.last?.kind == .virtualAccount)
    }

    @Test func disableAndEnable() async throws {
        let fixture = try await CatalogFixture()
        let disabled = try await fixture.catalog.setPaymentMethod("OVO", enabled: false, by: fixture.manager)
        #expect(disabled.enabled == false)
        #expect(!disabled.hlc.isEmpty)
        let offered = try await fixture.catalog.paymentMethods(includingDisabled: false)
        #expect(offered.count == 6)
        #expect(!offered.map(\.code).contains("ovo"))
        let all = try await fixture.catalog.paymentMethods()
        #expect(all.count == 7)
        let enabled = try await fixture.catalog.setPaymentMethod(disabled.id, enabled: true, by: fixture.manager)
        #expect(enabled.enabled)
    }

    @Test func unknownMethodAndNonManagerAreRefused() async throws {
        let fixture = try await CatalogFixture()
        let unknown = try await fixture.refused {
            try await fixture.catalog.setPaymentMethod("bitcoin", enabled: false, by: fixture.manager)
        }
        #expect(unknown as? CatalogError == .paymentMethodNotFound("bitcoin"))
        let cashier = try await fixture.refused {
            try await fixture.catalog.setPaymentMethod("cash", enabled: false, by: fixture.cashier)
        }
        #expect(cashier as? AccountError == .notAllowed("only head office may disable a payment method"))
    }
}
