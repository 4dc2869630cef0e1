import Foundation
import GRDB

extension Sales {
    /// Pays a held booking: an enabled method, the exact total and the payment's external reference.
    ///
    /// Who pays decides what the payment is (the ownership table's action rows, ``CounterAction``):
    /// - **staff** take the money themselves, so their payment is `paid` at once;
    /// - **a customer** paying their own booking by a self-service method (QRIS, an e-wallet, a
    ///   virtual account) gives a reference nobody has checked: the booking becomes *payment
    ///   submitted* (``BookingStatus/pendingPayment``), keeps its seats for its hold, and is paid
    ///   only when staff confirm it (``confirmPayment(code:by:)``);
    /// - cash and the card terminal are counter-only: a customer cannot pay by them.
    ///
    /// The reference is the EDC terminal's approval code or the QRIS reference (optional for cash).
    /// A reference that holds card data is refused: no card number, CVV or expiry is ever
    /// accepted, stored or logged. A paid sale is stamped with the transaction's HLC (`sold_hlc`).
    ///
    /// ```swift
    /// let submitted = try await box.sales.pay(code: "K7QX2M-0042", method: "qris", amount: 100_000,
    ///                                         reference: "QR-88123", by: customer)
    /// submitted.status   // .pendingPayment, until a cashier confirms it
    /// ```
    ///
    /// - Parameters:
    ///   - code: The booking code.
    ///   - method: The payment method's code: `cash`, `debit_card`, `credit_card`, `qris`, `gopay`, …
    ///   - amount: Exactly the booking's total.
    ///   - reference: The external reference; required except for cash.
    ///   - principal: The booking's customer, or staff.
    /// - Returns: The paid booking, or the submitted one (a customer's).
    /// - Throws: ``SaleError/holdExpired(_:)``, ``SaleError/wrongAmount(expected:given:)``,
    ///   ``SaleError/paymentMethodDisabled(_:)``, ``SaleError/unknownPaymentMethod(_:)``,
    ///   ``SaleError/referenceRequired(method:)``, ``SaleError/cardNumberInReference``,
    ///   ``SaleError/alreadyPaid(_:)``, ``SaleError/bookingClosed(_:status:)``,
    ///   ``SaleError/notYourBooking(_:)``, ``SaleError/bookingNotFound(_:)``,
    ///   ``SaleError/priceNeeded(_:)`` while the showtime waits for its price,
    ///   ``AccountError/notAllowed(_:)`` for a customer paying by cash or card.
    public func pay(
        code: String, method: String, amount: Money, reference: String? = nil, by principal: Principal
    ) async throws -> Booking {
        let reference = try PaymentReference.validated(reference)
        let now = box.now
        let trusted = principal.may(.pay)
        return log(trusted ? "booking paid" : "payment submitted", try await box.write { db, stamp in
            let booking = try Booking.State.fetch(db, code: code)
            try booking.checkChange(by: principal)
            let owns = booking.userID == principal.userID
            let method = try PaymentMethod.forPayment(db, code: method)
            if method.isCounterOnly { try principal.require(.payAtCounter, owns: owns) }
            if !trusted { try principal.require(.submitPayment, owns: owns) }
            let next: BookingStatus = trusted ? .paid : .pendingPayment
            if next == .pendingPayment, booking.status(at: now) == .pendingPayment {
                throw SaleError.paymentAlreadySubmitted(booking.code)
            }
            try booking.checkMove(to: next, at: now)
            // A hold made before the showtime lost its price (an imported one) is not paid until it has one.
            guard try !Showtime.forSale(db, id: booking.showtimeID).priceNeeded else {
                throw SaleError.priceNeeded(booking.showtimeID)
            }
            guard amount == booking.total else { throw SaleError.wrongAmount(expected: booking.total, given: amount) }
            try method.checkReference(reference)
            if next == .paid {
                try db.execute(sql: """
                    UPDATE bookings SET status = 'paid', payment_method_id = ?, payment_reference = ?, sold_at = ?,
                        sold_hlc = ?, hold_expires_at = NULL, updated_at = ?, hlc = ?
                    WHERE id = ?
                    """, arguments: [method.id, reference, now, stamp.description, now, stamp.description, booking.id])
            } else {
                // Submitted: the seats stay held until the hold runs out; nothing is sold yet.
                try db.execute(sql: """
                    UPDATE bookings SET status = 'pending_payment', payment_method_id = ?, payment_reference = ?,
                        updated_at = ?, hlc = ?
                    WHERE id = ?
                    """, arguments: [method.id, reference, now, stamp.description, booking.id])
            }
            return try Booking.fetch(db, id: booking.id, now: now)
        })
    }

    /// Confirms a submitted payment (``BookingStatus/pendingPayment``): staff checked the money
    /// arrived, so the booking is paid and its seats sold.
    ///
    /// ```swift
    /// let paid = try await box.sales.confirmPayment(code: "K7QX2M-0042", by: cashier)
    /// ```
    ///
    /// - Parameters:
    ///   - code: The booking code.
    ///   - principal: Staff (``CounterAction/confirmPayment``).
    /// - Returns: The paid booking.
    /// - Throws: ``AccountError/notAllowed(_:)`` for a customer; ``SaleError/nothingToConfirm(_:status:)``
    ///   for a booking whose payment was not submitted (or whose hold ran out: it is expired);
    ///   ``SaleError/bookingNotFound(_:)``.
    public func confirmPayment(code: String, by principal: Principal) async throws -> Booking {
        try principal.require(.confirmPayment)
        let now = box.now
        return log("payment confirmed", try await box.write { db, stamp in
            let booking = try Booking.State.fetch(db, code: code)
            try booking.checkChange(by: principal)
            let status = booking.status(at: now)
            guard status == .pendingPayment else { throw SaleError.nothingToConfirm(booking.code, status: status) }
            try db.execute(sql: """
                UPDATE bookings SET status = 'paid', sold_at = ?, sold_hlc = ?, hold_expires_at = NULL, updated_at = ?, hlc = ?
                WHERE id = ?
                """, arguments: [now, stamp.description, now, stamp.description, booking.id])
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
        try principal.require(.insert(.bookings, of: .customer(nil), doing: "sell at the counter"))
        try principal.require(.pay)
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
