import Foundation
import GRDB

/// For whom a booking is made, checked against the caller's role.
struct CustomerRequest: Sendable {
    let customer: BookingCustomer
    let principal: Principal

    init(_ customer: BookingCustomer, by principal: Principal) throws {
        switch customer {
        case .me:
            self.customer = .me
        case let .account(email):
            try principal.require(.cashier, toDo: "book for another customer")
            self.customer = .account(email: try AccountInput.email(email))
        case let .walkIn(name):
            try principal.require(.cashier, toDo: "sell to a walk-in customer")
            let trimmed = name?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            self.customer = .walkIn(name: trimmed.isEmpty ? nil : try AccountInput.name(trimmed))
        }
        self.principal = principal
    }

    /// The user id, name and email to record on the booking.
    func details(_ db: Database) throws -> (userID: String?, name: String?, email: String?) {
        switch customer {
        case .me:
            guard let user = try User.fetchOne(db, key: principal.userID) else {
                throw AccountError.userNotFound(principal.userID)
            }
            return (user.id, user.name, user.email)
        case let .account(email):
            guard let user = try User.filter(Column("email") == email).fetchOne(db) else {
                throw AccountError.userNotFound(email)
            }
            return (user.id, user.name, user.email)
        case let .walkIn(name):
            return (nil, name, nil)
        }
    }
}
