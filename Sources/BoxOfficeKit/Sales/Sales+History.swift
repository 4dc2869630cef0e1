import Foundation
import GRDB

extension Sales {
    /// A customer's bookings, newest first, one page at a time, in every state or in one.
    ///
    /// Customers see their own; staff may name any customer by email (without one, their own).
    ///
    /// ```swift
    /// let page = try await box.sales.bookings(status: .paid, page: PageRequest(page: 1, limit: 20), by: customer)
    /// let theirs = try await box.sales.bookings(of: "budi@example.com", by: cashier)
    /// ```
    ///
    /// - Parameters:
    ///   - email: Whose bookings (staff only for another customer); `nil` for the caller's own.
    ///   - status: Only bookings in this state (a hold that ran out counts as expired).
    ///   - page: Which page; pages count from 1.
    ///   - principal: Who is asking.
    /// - Returns: A page of summaries.
    /// - Throws: ``InputError`` for a bad page or email, ``AccountError/notAllowed(_:)``,
    ///   ``AccountError/userNotFound(_:)``.
    public func bookings(
        of email: String? = nil, status: BookingStatus? = nil, page: PageRequest = PageRequest(), by principal: Principal
    ) async throws -> Page<BookingSummary> {
        let page = try page.validated()
        let email = try email.map { try AccountInput.email($0) }
        let now = box.now
        return try await box.read { db in
            var userID = principal.userID
            if let email {
                guard let user = try User.filter(Column("email") == email).fetchOne(db) else {
                    if principal.role.includes(.cashier) { throw AccountError.userNotFound(email) }
                    throw AccountError.notAllowed("a customer may only see their own bookings")
                }
                if user.id != principal.userID {
                    try principal.require(.cashier, toDo: "see another customer's bookings")
                }
                userID = user.id
            }
            let effective = BookingStatus.effectiveSQL("b")
            let filter = "b.user_id = :user" + (status == nil ? "" : " AND (\(effective)) = :status")
            var arguments: StatementArguments = ["user": userID]
            if let status { arguments += ["now": now, "status": status.rawValue] }
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM bookings b WHERE \(filter)",
                                         arguments: arguments) ?? 0
            if status == nil { arguments += ["now": now] }
            arguments += ["limit": page.limit, "offset": page.offset]
            let rows = try Row.fetchAll(db, sql: """
                SELECT b.id AS booking_id, b.code, b.total, b.created_at AS booked_at, \(effective) AS effective_status,
                       (SELECT group_concat(label, ' ') FROM (
                            SELECT se.label FROM tickets t JOIN seats se ON se.id = t.seat_id
                            WHERE t.booking_id = b.id ORDER BY se.grid_row, se.grid_column)) AS seat_labels,
                       sub.*
                FROM bookings b
                JOIN (\(Showtime.selectSQL)) sub ON sub.id = b.showtime_id
                WHERE \(filter)
                ORDER BY b.created_at DESC, b.id DESC
                LIMIT :limit OFFSET :offset
                """, arguments: arguments)
            let items = try rows.map { row in
                BookingSummary(
                    id: row["booking_id"], code: row["code"],
                    status: BookingStatus(rawValue: row["effective_status"]) ?? .cancelled,
                    total: Money(rupiah: row["total"]),
                    seats: ((row["seat_labels"] as String?) ?? "").split(separator: " ").map(String.init),
                    showtime: try Showtime(row: row), createdAt: row["booked_at"])
            }
            return Page(items: items, page: page.page, limit: page.limit, total: total)
        }
    }

    /// One booking by its code, with its tickets.
    ///
    /// ```swift
    /// let booking = try await box.sales.booking(code: "K7QX2M-0042", by: cashier)
    /// ```
    ///
    /// A code printed on the receipts of two sales (a restored or copied counter issued it twice,
    /// and head office gave the later sale a new code) names both instead.
    ///
    /// - Throws: ``SaleError/bookingNotFound(_:)``, ``SaleError/notYourBooking(_:)``,
    ///   ``SaleError/codePrintedTwice(_:sales:)``.
    public func booking(code: String, by principal: Principal) async throws -> Booking {
        let now = box.now
        return try await box.read { db in
            let state = try Booking.State.fetch(db, code: code)
            try state.checkAccess(by: principal)
            return try Booking.fetch(db, id: state.id, now: now)
        }
    }
}
