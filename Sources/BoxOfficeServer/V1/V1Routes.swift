import BoxOfficeKit
import Foundation
import HTTPTypes
import Hummingbird

/// The kit's own JSON API under `/v1`, described by `schemas/openapi.yaml`: the shapes of the CLI's
/// `--json` (`schemas/json/`), errors in the one envelope (``APIError``). Customers and staff
/// authenticate with a session: the `session` cookie from `POST /v1/sessions`, or the same token as
/// `Authorization: Bearer`.
struct V1Routes: Sendable {
    let box: BoxOffice
    let cookie: SessionCookie
    /// Head office, for resolving conflicts; `nil` when this server has no way to reach it.
    let resolver: (any ConflictResolver)?

    func add(to v1: RouterGroup<ServerContext>) {
        v1.post("sessions") { request, context in try await login(request, context) }
        v1.delete("sessions") { request, _ in try await logout(request) }
        v1.get("cinemas") { request, _ in try V1JSON.response(try await box.catalog.cinemas(page: try Self.page(request))) }
        v1.get("cinemas/:cinema") { _, context in
            try V1JSON.response(try await box.catalog.cinema(id: try context.parameters.require("cinema")))
        }
        v1.get("cinemas/:cinema/showtimes") { request, context in try await showtimes(request, context) }
        v1.get("showtimes/:showtime") { _, context in
            try V1JSON.response(try await box.catalog.showtime(id: try context.parameters.require("showtime")))
        }
        v1.get("showtimes/:showtime/seats") { _, context in
            try V1JSON.response(try await box.sales.seatMap(showtime: try context.parameters.require("showtime")))
        }
        v1.get("payment-methods") { _, _ in
            try V1JSON.response(WholeList(try await box.catalog.paymentMethods(includingDisabled: false)))
        }
        v1.post("bookings") { request, context in try await book(request, context) }
        v1.get("bookings") { request, _ in try await bookings(request) }
        v1.get("bookings/:code") { request, context in
            try V1JSON.response(try await box.sales.booking(code: try context.parameters.require("code"), by: try await principal(request)))
        }
        v1.post("bookings/:code/payment") { request, context in try await pay(request, context) }
        v1.post("bookings/:code/cancel") { request, context in
            try V1JSON.response(try await box.sales.cancel(code: try context.parameters.require("code"), by: try await principal(request)))
        }
        v1.get("bookings/:code/receipt") { request, context in
            try V1JSON.response(try await box.sales.receipt(code: try context.parameters.require("code"), by: try await principal(request)))
        }
        v1.post("bookings/:code/refund") { request, context in
            try V1JSON.response(try await box.sales.settleRefund(code: try context.parameters.require("code"), by: try await principal(request)))
        }
        v1.post("sales") { request, context in try await sell(request, context) }
        v1.get("customers") { request, _ in
            let query = request.uri.queryParameters["q"].map(String.init) ?? ""
            return try V1JSON.response(try await box.accounts.customers(matching: query, by: try await principal(request)))
        }
        v1.post("conflicts/:id/resolution") { request, context in try await resolve(request, context) }
        v1.get("conflicts") { request, _ in
            try await principal(request).require(.cashier, toDo: "see the sync conflicts")
            let all = request.uri.queryParameters["all"] == "true"
            return try V1JSON.response(WholeList(try await box.replica.conflicts(includeResolved: all)))
        }
        v1.get("sync/status") { request, _ in
            try await principal(request).require(.cashier, toDo: "see the sync status")
            return try V1JSON.response(try await box.replica.state())
        }
    }

    /// Who the request's session names: the `session` cookie, or `Authorization: Bearer TOKEN`.
    ///
    /// - Throws: ``APIError`` 401 without a session that works.
    func principal(_ request: Request) async throws -> Principal {
        var token = SessionCookie.token(of: request)
        if let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") {
            token = String(header.dropFirst("bearer ".count)).trimmingCharacters(in: .whitespaces)
        }
        guard let token, !token.isEmpty else { throw APIError.unauthorized() }
        do {
            return try await box.accounts.authenticate(token: token)
        } catch let error as AccountError {
            throw APIError.unauthorized(error.description)
        }
    }

    /// `page` and `limit` (defaults 1 and 20), each a whole number in range.
    static func page(_ request: Request) throws(APIError) -> PageRequest {
        func number(_ name: String, default value: Int) throws(APIError) -> Int {
            guard let text = request.uri.queryParameters[Substring(name)] else { return value }
            guard let number = Int(text) else { throw APIError.validation(name, "\(name): must be a whole number") }
            return number
        }
        return PageRequest(page: try number("page", default: 1), limit: try number("limit", default: 20))
    }

    func login(_ request: Request, _ context: ServerContext) async throws -> Response {
        let body = try await V1JSON.decode(V1Login.self, request, context)
        let session = try await box.accounts.login(email: body.email, password: body.password)
        var response = try V1JSON.response(V1LoginOutput(user: session.user, expiresAt: session.expiresAt), status: .created)
        response.setCookie(cookie.setting(session.token, for: request))
        return response
    }

    func logout(_ request: Request) async throws -> Response {
        let token = SessionCookie.token(of: request)
        if let token { try await box.accounts.logout(token: token) }
        var response = try V1JSON.response(V1LogoutOutput(loggedOut: token != nil))
        response.setCookie(cookie.clearing(for: request))
        return response
    }

    func showtimes(_ request: Request, _ context: ServerContext) async throws -> Response {
        let cinema = try context.parameters.require("cinema")
        var date = request.uri.queryParameters["date"].map(String.init) ?? ""
        if date.isEmpty { date = try await box.catalog.today(cinemaID: cinema) }
        return try V1JSON.response(WholeList(try await box.catalog.showtimes(cinemaID: cinema, on: date)))
    }

    func book(_ request: Request, _ context: ServerContext) async throws -> Response {
        let principal = try await principal(request)
        let body = try await V1JSON.decode(V1BookingRequest.self, request, context)
        let customer: BookingCustomer = body.customerEmail.map { .account(email: $0) } ?? .me
        let booking = try await box.sales.book(showtime: body.showtimeID, seats: body.seats, for: customer, by: principal)
        return try V1JSON.response(booking, status: .created)
    }

    func bookings(_ request: Request) async throws -> Response {
        let principal = try await principal(request)
        var status: BookingStatus?
        if let text = request.uri.queryParameters["status"] {
            guard let given = BookingStatus(rawValue: String(text)) else {
                throw APIError.validation("status", "status: must be one of \(BookingStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            status = given
        }
        let email = request.uri.queryParameters["email"].map(String.init)
        return try V1JSON.response(try await box.sales.bookings(of: email, status: status, page: try Self.page(request), by: principal))
    }

    func pay(_ request: Request, _ context: ServerContext) async throws -> Response {
        let principal = try await principal(request)
        let body = try await V1JSON.decode(V1PaymentRequest.self, request, context)
        let paid = try await box.sales.pay(code: try context.parameters.require("code"), method: body.method,
                                           amount: Money(rupiah: body.amount), reference: body.reference, by: principal)
        return try V1JSON.response(paid)
    }

    func sell(_ request: Request, _ context: ServerContext) async throws -> Response {
        let principal = try await principal(request)
        let body = try await V1JSON.decode(V1SaleRequest.self, request, context)
        let customer: BookingCustomer = body.customerEmail.map { .account(email: $0) } ?? .walkIn(name: body.customerName)
        let sold = try await box.sales.sell(showtime: body.showtimeID, seats: body.seats, for: customer, method: body.method,
                                            reference: body.reference, by: principal)
        return try V1JSON.response(sold, status: .created)
    }

    func resolve(_ request: Request, _ context: ServerContext) async throws -> Response {
        let principal = try await principal(request)
        try principal.require(.cashier, toDo: "resolve a sync conflict")
        let id = try context.parameters.require("id")
        let resolution = try await V1JSON.decode(V1ResolutionRequest.self, request, context).resolution()
        guard try await box.replica.conflicts(includeResolved: true).contains(where: { $0.id == id }) else {
            throw APIError(.notFound, "no conflict \(id) at this counter")
        }
        guard let resolver else {
            throw APIError(.serviceUnavailable, "this counter has no head office to resolve conflicts with: "
                            + "run `boxoffice sync --central -` once, then serve again")
        }
        let person = try await box.accounts.user(id: principal.userID).email
        try await resolver.resolve(conflict: id, as: resolution, by: person)
        guard let resolved = try await box.replica.conflicts(includeResolved: true).first(where: { $0.id == id }) else {
            throw APIError(.notFound, "no conflict \(id) at this counter")
        }
        return try V1JSON.response(resolved)
    }
}
