import BoxOfficeKit
import Foundation
import HTTPTypes
import Hummingbird

/// JSON in and out of `/v1`, encoded exactly as the CLI's `--json` is: snake_case keys, UTC ISO 8601
/// times, sorted keys (`schemas/json/`).
enum V1JSON {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// `value` as a JSON response.
    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try encoder.encode(value)
        return Response(status: status, headers: [.contentType: "application/json"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The body as `T`.
    ///
    /// - Throws: ``APIError`` 400 naming the field that is missing or of the wrong type.
    static func decode<T: Decodable>(_ type: T.Type, _ request: Request, _ context: ServerContext) async throws -> T {
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        let bytes = buffer.getBytes(at: buffer.readerIndex, length: buffer.readableBytes) ?? []
        do {
            return try JSONDecoder().decode(T.self, from: Data(bytes))
        } catch let DecodingError.keyNotFound(key, _) {
            throw APIError.validation(key.stringValue, "\(key.stringValue): is required")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw APIError.validation(field, "\(field): has the wrong type")
        } catch {
            throw APIError(.badRequest, "the body is not a JSON object")
        }
    }
}

/// A list that is never paged, in the CLI's list envelope: one page, `limit` `null`.
struct WholeList<Item: Encodable & Sendable>: Encodable, Sendable {
    var items: [Item]

    init(_ items: [Item]) { self.items = items }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(items, forKey: .items)
        try container.encode(1, forKey: .page)
        try container.encodeNil(forKey: .limit)
        try container.encode(items.count, forKey: .total)
    }

    enum CodingKeys: String, CodingKey { case items, page, limit, total }
}

/// `POST /v1/sessions`.
struct V1Login: Decodable, Sendable {
    var email: String
    var password: String
}

/// What `POST /v1/sessions` answers (`schemas/json/login.schema.json`).
struct V1LoginOutput: Encodable, Sendable {
    var user: User
    var expiresAt: Date
}

/// What `DELETE /v1/sessions` answers (`schemas/json/logout.schema.json`).
struct V1LogoutOutput: Encodable, Sendable {
    var loggedOut: Bool
}

/// `POST /v1/bookings`.
struct V1BookingRequest: Decodable, Sendable {
    var showtimeID: String
    var seats: [String]
    /// Staff holding seats for a registered customer; absent: the caller's own booking.
    var customerEmail: String?
    enum CodingKeys: String, CodingKey { case showtimeID = "showtime_id", seats, customerEmail = "customer_email" }
}

/// `POST /v1/bookings/{code}/payment`.
struct V1PaymentRequest: Decodable, Sendable {
    var method: String
    var amount: Int
    var reference: String?
}

/// `POST /v1/sales` (staff).
struct V1SaleRequest: Decodable, Sendable {
    var showtimeID: String
    var seats: [String]
    var method: String
    var reference: String?
    var customerEmail: String?
    var customerName: String?
    enum CodingKeys: String, CodingKey {
        case showtimeID = "showtime_id", seats, method, reference, customerEmail = "customer_email", customerName = "customer_name"
    }
}

/// `POST /v1/conflicts/{id}/resolution`: exactly one of another seat, a refund, or closing it.
struct V1ResolutionRequest: Decodable, Sendable {
    var seat: String?
    var refund: Bool?
    var close: Bool?

    /// The one resolution the body asks for.
    ///
    /// - Throws: ``APIError`` 400 naming `seat` unless exactly one is given.
    func resolution() throws(APIError) -> ConflictResolution {
        switch (seat, refund ?? false, close ?? false) {
        case let (seat?, false, false): return .seat(seat)
        case (nil, true, false): return .refund
        case (nil, false, true): return .close
        default: throw APIError.validation("seat", "give exactly one of seat, refund: true or close: true")
        }
    }
}
