import BoxOfficeKit
import Foundation
import Hummingbird

extension LegacyRoutes {
    /// `POST /api/booking` `{date, time, seatIds, payment_method}`: all the seats or none, held for
    /// payment; answers the booking's id and code.
    ///
    /// `seatIds` are old integer ids (through the import's mapping), kit seat ids or labels. The
    /// showtime is the one starting at `date` `time` in the seats' studio; with labels only, in the
    /// store's one cinema, or the `studio_id` or `cinema_id` the body names.
    func book(_ request: Request, _ context: ServerContext) async throws -> Response {
        let (principal, token) = try await session(request)
        let body = try await JSONBody.read(request, context: context)
        var errors: [APIError.FieldError] = []
        let date = try body.string("date"), time = try body.string("time"), seats = try body.references("seatIds")
        if date?.isEmpty ?? true { errors.append(.init(field: "Date", message: "Date is required")) }
        if time?.isEmpty ?? true { errors.append(.init(field: "Time", message: "Time is required")) }
        if seats?.isEmpty ?? true { errors.append(.init(field: "SeatIds", message: "SeatIds is required: at least one seat")) }
        guard errors.isEmpty, let date, let time, let seats else { throw APIError(.badRequest, "Validation failed", errors: errors) }
        if let method = try body.idOrCode("payment_method") { _ = try await paymentMethod(method) }

        var seatRefs: [String] = []
        for seat in seats { seatRefs.append(try await resolve(seat, .seats, "seat")) }
        let place: Reference
        if let showtimeID = try body.string("showtime_id") {
            return try await booked(showtime: showtimeID, seats: seatRefs, principal, token, request)
        } else if let studio = try body.idOrCode("studio_id") {
            place = studio
        } else if let known = try await firstSeatStudio(seatRefs) {
            place = .text(known)
        } else if let cinema = try body.string("cinema_id") {
            place = .text(cinema)
        } else {
            place = .text(try await box.catalog.findCinema().id)
        }
        let showtime = try await showtime(at: place, date: date, time: time)
        return try await booked(showtime: showtime.id, seats: seatRefs, principal, token, request)
    }

    private func booked(showtime: String, seats: [String], _ principal: Principal, _ token: String, _ request: Request) async throws -> Response {
        let booking = try await box.sales.book(showtime: showtime, seats: seats, by: principal)
        return try renewed(Envelope(message: "booking seat succesfully: held until paid", data: LegacyBooking(booking)), token, request)
    }

    /// The studio of the first seat named by a kit id, if any.
    private func firstSeatStudio(_ seats: [String]) async throws -> String? {
        for seat in seats { if let found = try await box.catalog.seat(id: seat) { return found.studioID } }
        return nil
    }

    /// The payment method an old integer id, a kit id or a code names.
    ///
    /// - Throws: ``APIError`` 400 naming `PaymentMethod` when there is none.
    func paymentMethod(_ reference: Reference) async throws -> PaymentMethod {
        do {
            return try await box.catalog.findPaymentMethod(try await resolve(reference, .paymentMethods, "payment method"))
        } catch let error as CatalogError {
            throw APIError.validation("PaymentMethod", error.description)
        } catch let error as APIError where error.status == .notFound {
            throw APIError.validation("PaymentMethod", error.message)
        }
    }

    /// `POST /api/payment` `{booking_id, payment_method, payment_details}`: pays the caller's own
    /// booking by its total. `payment_details` carries a `reference`; card data in it is refused
    /// (422) before anything is read or written. A customer's payment is *submitted* until staff
    /// or a provider confirm it (the kit's rule); `data.status` says which.
    func pay(_ request: Request, _ context: ServerContext) async throws -> Response {
        let (principal, token) = try await session(request)
        let body = try await JSONBody.read(request, context: context)
        let details = try PaymentDetails(try body.textObject("payment_details") ?? [:])
        var errors: [APIError.FieldError] = []
        let bookingRef = try body.idOrCode("booking_id"), methodRef = try body.idOrCode("payment_method")
        if bookingRef == nil { errors.append(.init(field: "BookingID", message: "BookingID is required")) }
        if methodRef == nil { errors.append(.init(field: "PaymentMethod", message: "PaymentMethod is required")) }
        guard errors.isEmpty, let bookingRef, let methodRef else { throw APIError(.badRequest, "Validation failed", errors: errors) }
        let amount: Money?
        switch body["amount"] {
        case nil, .null?: amount = nil
        case let .number(rupiah)? where rupiah.rounded() == rupiah && abs(rupiah) < 1e15: amount = Money(rupiah: Int(rupiah))
        default: throw APIError(.badRequest, "Invalid JSON format")
        }

        let booking = try await booking(try await resolve(bookingRef, .bookings, "booking"), by: principal)
        let method = try await paymentMethod(methodRef)
        let paid = try await box.sales.pay(code: booking.code, method: method.code, amount: amount ?? booking.total,
                                           reference: details.reference, by: principal)
        let message = paid.status == .paid
            ? "payment succesfully: paid"
            : "payment submitted: the seats are kept until staff or the provider confirm it (status pending_payment)"
        return try renewed(Envelope(message: message, data: LegacyBooking(paid)), token, request)
    }

    /// A booking by its kit id or its code.
    private func booking(_ reference: String, by principal: Principal) async throws -> Booking {
        do {
            return try await box.sales.booking(id: reference, by: principal)
        } catch SaleError.bookingNotFound {
            return try await box.sales.booking(code: reference, by: principal)
        }
    }

    /// `GET /api/user/bookings?page=N`: the caller's submitted and paid bookings, newest first, with their state.
    func bookings(_ request: Request, _ context: ServerContext) async throws -> Response {
        let (principal, token) = try await session(request)
        let page = try Self.page(of: request)
        var listed: [BookingSummary] = []
        for status in [BookingStatus.paid, .pendingPayment] {
            // Both states, merged by date: a customer's own history, so the whole of it is read.
            var next = PageRequest(page: 1, limit: PageRequest.maximumLimit)
            while true {
                let chunk = try await box.sales.bookings(status: status, page: next, by: principal)
                listed += chunk.items
                guard chunk.hasMore, next.page < 50 else { break }
                next.page += 1
            }
        }
        listed.sort { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) }
        let items = Array(listed.dropFirst(page.offset).prefix(page.limit))
        var locations: [String: String] = [:]
        var data: [LegacyHistoryItem] = []
        for item in items {
            if locations[item.showtime.cinemaID] == nil {
                locations[item.showtime.cinemaID] = (try? await box.catalog.cinema(id: item.showtime.cinemaID))?.address ?? ""
            }
            data.append(LegacyHistoryItem(item, location: locations[item.showtime.cinemaID] ?? ""))
        }
        let pagination = Envelope<[LegacyHistoryItem]>.Pagination(Page(items: items, page: page.page, limit: page.limit, total: listed.count))
        return try renewed(Envelope(message: "get booking history succesfully", data: data, pagination: pagination), token, request)
    }
}

/// A booking as `/api/booking` and `/api/payment` answer it: its id (the `booking_id` to pay
/// with), its code, its state and its seats.
struct LegacyBooking: Encodable, Sendable {
    var id: String
    var code: String
    var status: BookingStatus
    var submitted: Bool
    var total: Money
    var seats: [String]
    var showtimeID: String
    var holdExpiresAt: Date?
    var paymentMethod: String?

    init(_ booking: Booking) {
        id = booking.id
        code = booking.code
        status = booking.status
        submitted = booking.status == .pendingPayment
        total = booking.total
        seats = booking.seats
        showtimeID = booking.showtimeID
        holdExpiresAt = booking.holdExpiresAt
        paymentMethod = booking.paymentMethod
    }

    enum CodingKeys: String, CodingKey {
        case id, code, status, submitted, total, seats, showtimeID = "showtime_id", holdExpiresAt = "hold_expires_at"
        case paymentMethod = "payment_method"
    }
}

/// One booking of the history with the old item keys, plus its id, code, seats and state.
struct LegacyHistoryItem: Encodable, Sendable {
    var id: String
    var code: String
    var status: BookingStatus
    var seats: [String]
    var total: Money
    var movieTitle: String
    var duration: Int
    var showTime: Date
    var cinemaName: String
    var location: String

    init(_ summary: BookingSummary, location: String) {
        id = summary.id
        code = summary.code
        status = summary.status
        seats = summary.seats
        total = summary.total
        movieTitle = summary.showtime.movieTitle
        duration = summary.showtime.movieDurationMinutes
        showTime = summary.showtime.startsAt
        cinemaName = summary.showtime.cinemaName
        self.location = location
    }

    enum CodingKeys: String, CodingKey {
        case id, code, status, seats, total, movieTitle = "MovieTitle", duration = "Duration", showTime = "ShowTime"
        case cinemaName = "CinemaName", location = "Location"
    }
}
