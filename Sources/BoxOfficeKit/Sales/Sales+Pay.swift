import Foundation
import GRDB

extension Sales {
    /// Pays a held booking: an enabled method, the exact total and the payment's external reference.
    ///
    /// The reference is the EDC terminal's approval code or the QRIS reference (optional for cash).
    /// A reference that looks like a card number is refused: no card number, CVV or expiry is ever
    /// accepted, stored or logged. The sale is stamped with the transaction's HLC (`sold_hlc`).
    ///
    /// ```swift
    /// let paid = try await box.sales.pay(code: "K7QX2M-0042", method: "qris", amount: 100_000,
    ///                                    reference: "QR-88123", by: customer)
    /// ```
    ///
    /// - Parameters:
    ///   - code: The booking code.
    ///   - method: The payment method's code: `cash`, `debit_card`, `credit_card`, `qris`, `gopay`, …
    ///   - amount: Exactly the booking's total.
    ///   - reference: The external reference; required except for cash.
    ///   - principal: The booking's customer, or staff.
    /// - Returns: The paid booking.
    /// - Throws: ``SaleError/holdExpired(_:)``, ``SaleError/wrongAmount(expected:given:)``,
    ///   ``SaleError/paymentMethodDisabled(_:)``, ``SaleError/unknownPaymentMethod(_:)``,
    ///   ``SaleError/referenceRequired(method:)``, ``SaleError/cardNumberInReference``,
    ///   ``SaleError/alreadyPaid(_:)``, ``SaleError/bookingClosed(_:status:)``,
    ///   ``SaleError/notYourBooking(_:)``, ``SaleError/bookingNotFound(_:)``,
    ///   ``SaleError/priceNeeded(_:)`` while the showtime waits for its price.
    public func pay(
        code: String, method: String, amount: Money, reference: String? = nil, by principal: Principal
    ) async throws -> Booking {
        let reference = try PaymentReference.validated(reference)
        let now = box.now
        return log("booking paid", try await box.write { db, stamp in
            let booking = try Booking.State.fetch(db, code: code)
            try booking.checkAccess(by: principal)
            try booking.checkMove(to: .paid, at: now)
            // A hold made before the showtime lost its price (an imported one) is not paid until it has one.
            guard try !Showtime.forSale(db, id: booking.showtimeID).priceNeeded else {
                throw SaleError.priceNeeded(booking.showtimeID)
            }
            let method = try PaymentMethod.forPayment(db, code: method)
            guard amount == booking.total else { throw SaleError.wrongAmount(expected: booking.total, given: amount) }
            try method.checkReference(reference)
            try db.execute(sql: """
                UPDATE bookings SET status = 'paid', payment_method_id = ?, payment_reference = ?, sold_at = ?,
                    sold_hlc = ?, hold_expires_at = NULL, updated_at = ?, hlc = ?
                WHERE id = ?
                """, arguments: [method.id, reference, now, stamp.description, now, stamp.description, booking.id])
            return try Booking.fetch(db, id: booking.id, now: now)
        })
    }

    /// The counter's one-step sale: books the seats and pays for them in one transaction.
    ///
    /// Either the seats are sold and paid, or nothing at all is written.
    ///
    /// ```swift
    /// let booking = try await box.sales.sell(showtime: showtimeID, seats: ["F12", "F13"], method: "cash", by: cashier)
    /// print(try await box.sales.receipt(code: booking.code, by: cashier).text)
    /// ```
    ///
    /// - Parameters:
    ///   - showtime: The showtime's id.
    ///   - seats: Seat labels or ids of the showtime's studio.
    ///   - customer: A walk-in by default; or a registered customer by email.
    ///   - method: The payment method's code.
    ///   - reference: The external reference; required except for cash.
    ///   - principal: A cashier or manager.
    /// - Returns: The paid booking.
    /// - Throws: Everything ``book(showtime:seats:for:by:)`` and ``pay(code:method:amount:reference:by:)``
    ///   throw, and ``AccountError/notAllowed(_:)`` for a customer.
    public func sell(
        showtime: String, seats: [String], for customer: BookingCustomer = .walkIn(name: nil),
        method: String, reference: String? = nil, by principal: Principal
    ) async throws -> Booking {
        try principal.require(.cashier, toDo: "sell at the counter")
        let reference = try PaymentReference.validated(reference)
        let request = try SeatRequest(seats, limit: box.configuration.maximumSeatsPerBooking)
        let customer = try CustomerRequest(customer, by: principal)
        let now = box.now
        let node = box.nodeID
        return log("seats sold", try await box.write { db, stamp in
            let method = try PaymentMethod.forPayment(db, code: method)
            try method.checkReference(reference)
            let placement = Placement(now: now, stamp: stamp, node: node, principal: principal)
            let id = try placement.place(db, showtime: showtime, request: request, customer: customer,
                                         outcome: .paid(methodID: method.id, reference: reference))
            return try Booking.fetch(db, id: id, now: now)
        })
    }
}
