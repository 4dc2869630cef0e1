import Foundation
import GRDB
import Testing
@testable import BoxOfficeKit

/// The ownership table's action rows (`schemas/permissions.csv`), cell by cell: for every action
/// and every actor, the kit's own operation is allowed exactly when the cell says so — asked of
/// the real operations on a real store, for the actor's own booking and for someone else's.
struct CounterActionTableTests {
    @Test func theKitKnowsEveryActionRowAndNoOther() {
        let listed = Set(OwnershipTable.standard.actions.map { "\($0.entity) \($0.action)" })
        #expect(listed == Set(CounterAction.allCases.map { "\($0.entity) \($0.rawValue)" }))
        // Nobody logged in has no principal, so the kit gives them none of these.
        for row in OwnershipTable.standard.actions {
            #expect(row.grants[.anonymous] == .no, "\(row.entity) \(row.action)")
        }
    }

    /// The principal of each actor (head office's: a manager of no cinema).
    static func principal(_ actor: OwnershipTable.Actor, in fixture: SalesFixture) -> Principal? {
        switch actor {
        case .anonymous: nil
        case .customer: fixture.customer
        case .cashier: fixture.cashier
        case .cinemaManager: fixture.manager
        case .headOffice: fixture.headOffice
        }
    }

    @Test(arguments: CounterAction.allCases)
    func everyCellIsEnforced(_ action: CounterAction) async throws {
        let row = try #require(OwnershipTable.standard.actionRow(entity: action.entity, action: action.rawValue))
        for actor in OwnershipTable.Actor.allCases {
            let fixture = try SalesFixture()
            guard let principal = Self.principal(actor, in: fixture) else { continue }
            #expect(principal.actor == actor)
            for owns in [true, false] {
                let allowed = try await Self.attempt(action, by: principal, owns: owns, fixture: fixture)
                let expected = switch row.grants[actor]! { case .yes: true; case .own: owns; case .no: false }
                #expect(allowed == expected, "\(action.rawValue) by \(actor.rawValue), own booking: \(owns)")
            }
        }
    }

    /// Whether `principal` could do `action`, by the real operation, to a booking of their own
    /// (`owns`, made by them) or a customer's. An action the kit routes elsewhere for this principal
    /// (staff never *submit* a payment: theirs is paid; they never *request* a refund: they refund)
    /// counts as not done.
    static func attempt(_ action: CounterAction, by principal: Principal, owns: Bool, fixture: SalesFixture) async throws -> Bool {
        let sales = fixture.box.sales
        let owner = owns ? principal : (principal == fixture.customer ? fixture.otherCustomer : fixture.customer)
        func booking(by who: Principal? = nil) async throws -> Booking {
            let who = who ?? owner
            return try await sales.book(showtime: fixture.upcoming, seats: owns ? ["B1"] : ["B2"],
                                        for: who.role == .customer ? .me : .walkIn(name: nil), by: who)
        }
        do {
            switch action {
            case .payAtCounter:
                let held = try await booking()
                return try await sales.pay(code: held.code, method: "cash", amount: held.total, by: principal).status == .paid
            case .pay:
                let held = try await booking()
                return try await sales.pay(code: held.code, method: "qris", amount: held.total, reference: "QR-1", by: principal).status == .paid
            case .submitPayment:
                let held = try await booking()
                return try await sales.pay(code: held.code, method: "qris", amount: held.total, reference: "QR-1", by: principal).status == .pendingPayment
            case .confirmPayment:
                // Only a customer's own payment is submitted, so a customer submits it.
                let submitter = owner.role == .customer ? owner : fixture.customer
                let held = try await booking(by: submitter)
                _ = try await sales.pay(code: held.code, method: "qris", amount: held.total, reference: "QR-1", by: submitter)
                return try await sales.confirmPayment(code: held.code, by: principal).status == .paid
            case .requestRefund, .refund:
                let held = try await booking()
                _ = try await sales.pay(code: held.code, method: "cash", amount: held.total, by: fixture.cashier)
                let closed = try await sales.cancel(code: held.code, by: principal)
                if action == .requestRefund { return closed.status == .refundDue }
                if closed.status == .refunded { return true }
                return try await sales.settleRefund(code: held.code, by: principal).status == .refunded
            case .listMail:
                _ = try await fixture.box.mail.list(by: principal)
                return true
            }
        } catch is AccountError {
            return false
        } catch SaleError.notYourBooking {
            return false
        }
    }
}
