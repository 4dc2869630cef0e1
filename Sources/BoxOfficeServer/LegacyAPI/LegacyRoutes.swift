import BoxOfficeKit
import Foundation
import Hummingbird

/// The old system's REST API under `/api`, compatible with its clients: the same routes, methods,
/// query parameters, bodies (keys in any case), envelope and item keys — plus an `id` on every item —
/// with its defects fixed (`docs/legacy-api-compatibility.md` says what changed and why).
///
/// Every handler reads the request, calls the kit, and writes the answer; the rules (codes,
/// sessions, seats, payments, card data) are the kit's.
struct LegacyRoutes: Sendable {
    let box: BoxOffice
    let cookie: SessionCookie

    func add(to api: RouterGroup<ServerContext>) {
        api.post("register") { request, context in try await register(request, context) }
        api.post("verify-otp") { request, context in try await verifyOTP(request, context) }
        api.post("login") { request, context in try await login(request, context) }
        api.post("logout") { request, context in try await logout(request, context) }
        api.get("cinemas") { request, context in try await cinemas(request, context) }
        api.get("cinemas/:cinema") { request, context in try await cinema(request, context) }
        api.get("cinemas/:cinema/seats") { request, context in try await seats(request, context) }
        api.get("payment-methods") { request, context in try await paymentMethods(request, context) }
        api.post("booking") { request, context in try await book(request, context) }
        api.post("payment") { request, context in try await pay(request, context) }
        api.get("user/bookings") { request, context in try await bookings(request, context) }
    }

    /// Who the `session` cookie names; the answer then carries the cookie again, extended 24 h.
    ///
    /// - Throws: ``APIError`` 401 with no cookie, or one whose session is unknown, expired or ended.
    func session(_ request: Request) async throws -> (principal: Principal, token: String) {
        guard let token = SessionCookie.token(of: request) else {
            throw APIError.unauthorized("Unauthorized: no session cookie: log in first")
        }
        do {
            return (try await box.accounts.authenticate(token: token), token)
        } catch let error as AccountError {
            throw APIError.unauthorized(error.description)
        }
    }

    /// A success answer that renews the session cookie.
    func renewed<Payload>(_ envelope: Envelope<Payload>, _ token: String, _ request: Request) throws -> Response {
        var response = try envelope.response()
        response.setCookie(cookie.setting(token, for: request))
        return response
    }

    /// `page` (required, from 1) and `limit` (5 unless given, as old clients expect) of a list.
    static func page(of request: Request) throws(APIError) -> PageRequest {
        guard let text = request.uri.queryParameters["page"], let page = Int(text), page >= 1,
              page <= PageRequest.maximumPage else {
            throw APIError(.badRequest, "Invalid page")
        }
        guard let limitText = request.uri.queryParameters["limit"], !limitText.isEmpty else {
            return PageRequest(page: page, limit: 5)
        }
        guard let limit = Int(limitText), (1...PageRequest.maximumLimit).contains(limit) else {
            throw APIError(.badRequest, "Invalid limit: from 1 to \(PageRequest.maximumLimit)")
        }
        return PageRequest(page: page, limit: limit)
    }

    /// The kit id an old integer id (through the import's mapping) or a kit id names.
    ///
    /// - Throws: ``APIError`` 404 for an old id this store never imported.
    func resolve(_ reference: Reference, _ entity: LegacyEntity, _ what: String) async throws -> String {
        switch reference {
        case let .text(text):
            return text
        case let .legacy(number):
            guard let id = try await box.legacyImport.newID(of: entity, legacyID: number) else {
                throw APIError(.notFound, "no \(what) with the old id \(number): this store holds no such row of the old system")
            }
            return id
        }
    }
}

extension Envelope.Pagination {
    /// The pagination of a kit page.
    init<Item>(_ page: Page<Item>) {
        self.init(currentPage: page.page, limit: page.limit,
                  totalPages: (page.total + page.limit - 1) / page.limit, total: page.total)
    }
}
