import Foundation
import GRDB

extension Sales {
    /// One booking by its id, with its tickets: how a front that handed out the id finds it again.
    ///
    /// ```swift
    /// let booking = try await box.sales.booking(id: held.id, by: customer)
    /// ```
    ///
    /// - Throws: ``SaleError/bookingNotFound(_:)``, ``SaleError/notYourBooking(_:)``.
    public func booking(id: String, by principal: Principal) async throws -> Booking {
        let now = box.now
        return try await box.read { db in
            guard let code = try String.fetchOne(db, sql: "SELECT code FROM bookings WHERE id = ?", arguments: [id]) else {
                throw SaleError.bookingNotFound(id)
            }
            let state = try Booking.State.fetch(db, code: code)
            try state.checkAccess(by: principal)
            return try Booking.fetch(db, id: state.id, now: now)
        }
    }
}
