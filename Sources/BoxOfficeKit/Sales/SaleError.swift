/// What went wrong with a seat map, a booking, a payment or a cancellation, in a cashier's words.
///
/// ```swift
/// do {
///     _ = try await box.sales.book(showtime: id, seats: ["F12", "F13"], by: customer)
/// } catch SaleError.seatTaken(let labels) {
///     print("taken: \(labels.joined(separator: ", "))")
/// }
/// ```
public enum SaleError: BoxOfficeError, Equatable {
    /// No showtime has this id.
    case showtimeNotFound(String)
    /// The showtime has started (or ended): it can no longer be booked or cancelled.
    case showtimeStarted(String)
    /// The showtime was cancelled: it cannot be booked.
    case showtimeCancelled(String)
    /// The showtime is not on sale until a manager sets its price (an imported showtime whose old
    /// price had a fraction of a rupiah, or none).
    case priceNeeded(String)
    /// The showtime's studio has no seat layout yet; its showtimes are not on sale until a manager
    /// completes it.
    case layoutNeeded(studio: String)
    /// These seats (as given) do not exist in the showtime's studio.
    case unknownSeats([String], studio: String)
    /// These seats (as given) belong to another studio than the showtime's.
    case seatsOfAnotherStudio([String], studio: String)
    /// These seats are held, sold, blocked or allotted to another counter; nothing was booked.
    case seatTaken([String])
    /// More seats than one booking may hold.
    case tooManySeats(requested: Int, limit: Int)
    /// No booking has this code.
    case bookingNotFound(String)
    /// The code was printed on receipts of more than one sale: a store restored from a backup or
    /// copied issued it again, and head office gave the later sale a new code (a
    /// ``SyncConflict/Kind/recoded`` record). Each sale as its code and seats, e.g. `K7QX2M-0042-2
    /// (J15)`; the receipt's seats say which one it is.
    case codePrintedTwice(String, sales: [String])
    /// The booking belongs to another customer.
    case notYourBooking(String)
    /// The booking's hold ran out before payment; its seats are free again. Book again.
    case holdExpired(String)
    /// The booking is paid already.
    case alreadyPaid(String)
    /// The booking is cancelled, refunded or expired: nothing more can be done with it.
    case bookingClosed(String, status: BookingStatus)
    /// No payment method has this code.
    case unknownPaymentMethod(String)
    /// The payment method is switched off in this store.
    case paymentMethodDisabled(String)
    /// The amount differs from the booking's total; payments must be exact.
    case wrongAmount(expected: Money, given: Money)
    /// A payment with this method needs an external reference (EDC approval code, QRIS reference).
    case referenceRequired(method: String)
    /// The reference looks like a card number. Card numbers, CVVs and expiry dates are never taken.
    case cardNumberInReference
    /// The booking's payment was submitted already and waits for staff to confirm it.
    case paymentAlreadySubmitted(String)
    /// The booking has no submitted payment to confirm: it is in this state.
    case nothingToConfirm(String, status: BookingStatus)
    /// The booking owes no refund: it is in this state.
    case noRefundDue(String, status: BookingStatus)
    /// These seats are allotted by head office to another counter, which alone sells them.
    case seatsAllotted([String], node: String)

    /// The broad class of the failure, which picks the CLI's exit code.
    ///
    /// ```swift
    /// SaleError.seatTaken(["F12"]).kind   // .conflict
    /// ```
    public var kind: ErrorKind {
        switch self {
        case .showtimeNotFound, .unknownSeats, .bookingNotFound, .unknownPaymentMethod:
            .notFound
        case .showtimeStarted, .showtimeCancelled, .priceNeeded, .layoutNeeded, .seatTaken, .holdExpired, .alreadyPaid, .bookingClosed,
             .paymentAlreadySubmitted, .nothingToConfirm, .noRefundDue, .seatsAllotted:
            .conflict
        case .notYourBooking:
            .unauthorized
        case .seatsOfAnotherStudio, .tooManySeats, .paymentMethodDisabled, .wrongAmount,
             .referenceRequired, .cardNumberInReference, .codePrintedTwice:
            .invalidInput
        }
    }

    /// The message in a cashier's words; it never repeats a payment reference.
    ///
    /// ```swift
    /// print(SaleError.seatTaken(["F12", "F13"]))   // seats F12, F13 are already taken: nothing was booked
    /// ```
    public var description: String {
        switch self {
        case let .showtimeNotFound(id):
            "no showtime \(id)"
        case .showtimeStarted:
            "the showtime has already started: it can no longer be booked or cancelled"
        case .showtimeCancelled:
            "the showtime was cancelled: it cannot be booked"
        case let .priceNeeded(id):
            "showtime \(id) is not on sale yet: a manager must set its price first"
        case let .layoutNeeded(studio):
            "\(studio) has no seat layout yet: a manager must complete it before its showtimes go on sale"
        case let .unknownSeats(seats, studio):
            "\(studio) has no seat \(seats.joined(separator: ", "))"
        case let .seatsOfAnotherStudio(seats, studio):
            "\(seats.joined(separator: ", ")) \(seats.count == 1 ? "is a seat" : "are seats") of another studio, not of \(studio)"
        case let .seatTaken(seats):
            "\(seats.count == 1 ? "seat" : "seats") \(seats.joined(separator: ", ")) \(seats.count == 1 ? "is" : "are") already taken: nothing was booked"
        case let .tooManySeats(requested, limit):
            "\(requested) seats is too many for one booking: at most \(limit)"
        case let .bookingNotFound(code):
            "no booking \(code)"
        case let .codePrintedTwice(code, sales):
            "booking code \(code) was printed on \(sales.count) receipts (a restored or copied counter issued it twice): "
                + "\(sales.joined(separator: ", ")); look the sale up by the code with the receipt's seats"
        case let .notYourBooking(code):
            "booking \(code) belongs to someone else"
        case let .holdExpired(code):
            "the hold on booking \(code) ran out and its seats were released: book again"
        case let .alreadyPaid(code):
            "booking \(code) is already paid"
        case let .bookingClosed(code, status):
            "booking \(code) is \(status.rawValue.replacingOccurrences(of: "_", with: " ")): nothing more can be done with it"
        case let .unknownPaymentMethod(code):
            "no payment method \(code)"
        case let .paymentMethodDisabled(code):
            "payment method \(code) is switched off"
        case let .wrongAmount(expected, given):
            "the amount must be exactly \(expected.formatted), not \(given.formatted)"
        case let .referenceRequired(method):
            "a \(method) payment needs its reference (EDC approval code or QRIS reference)"
        case .cardNumberInReference:
            "that reference looks like a card number: never enter card numbers, CVVs or expiry dates — enter the terminal's approval code"
        case let .paymentAlreadySubmitted(code):
            "the payment of booking \(code) was submitted already: it is paid once the cinema confirms it"
        case let .nothingToConfirm(code, status):
            "booking \(code) has no submitted payment to confirm: it is \(status.rawValue.replacingOccurrences(of: "_", with: " "))"
        case let .noRefundDue(code, status):
            "booking \(code) owes no refund: it is \(status.rawValue.replacingOccurrences(of: "_", with: " "))"
        case let .seatsAllotted(seats, node):
            "\(seats.count == 1 ? "seat" : "seats") \(seats.joined(separator: ", ")) \(seats.count == 1 ? "is" : "are") allotted to counter \(node): only it sells \(seats.count == 1 ? "it" : "them"), nothing was booked"
        }
    }
}
