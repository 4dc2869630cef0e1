import Foundation
import GRDB

/// For whom a booking is made, checked against the caller's role.
struct CustomerRequest: Sendable {
    let customer: BookingCustomer
    let principal: Principal

    init(_ customer: BookingCustomer, by principal: Principal) throws {
        // The ownership table decides for whom one may book: a customer only for themselves.
        switch customer {
        case .me:
            try Self.require(principal, for: .customer(principal.userID), doing: "book seats")
            self.customer = .me
        case let .account(email):
            try Self.require(principal, for: .customer(nil), doing: "book for another customer")
            self.customer = .account(email: try AccountInput.email(email))
        case let .walkIn(name):
            try Self.require(principal, for: .customer(nil), doing: "sell to a walk-in customer")
            let trimmed = name?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            self.customer = .walkIn(name: trimmed.isEmpty ? nil : try AccountInput.name(trimmed))
        }
        self.principal = principal
    }

    /// A booking and its tickets for `owner`, as the ownership table allows them.
    private static func require(_ principal: Principal, for owner: Permission.Owner, doing: String) throws(AccountError) {
        try principal.require(.insert(.bookings, of: owner, doing: doing))
        try principal.require(.insert(.tickets, of: owner, doing: doing))
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
