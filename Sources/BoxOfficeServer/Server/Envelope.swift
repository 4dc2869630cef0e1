import Foundation
import HTTPTypes
import Hummingbird

/// The one JSON envelope of every answer, the old API's: `status`, `message`, and `data`,
/// `errors` or `pagination` where they apply (absent, not `null`, where they do not).
public struct Envelope<Payload: Encodable & Sendable>: Encodable, Sendable {
    /// `true` on success.
    public var status: Bool
    /// What happened, in words.
    public var message: String
    /// The answer's data.
    public var data: Payload?
    /// Field errors.
    public var errors: [APIError.FieldError]?
    /// Where a page stands in its list.
    public var pagination: Pagination?

    /// An envelope.
    public init(status: Bool = true, message: String, data: Payload? = nil, errors: [APIError.FieldError]? = nil,
                pagination: Pagination? = nil) {
        self.status = status
        self.message = message
        self.data = data
        self.errors = errors
        self.pagination = pagination
    }

    /// The page keys of the old cinema list, and the total the old one lacked.
    public struct Pagination: Encodable, Sendable, Hashable {
        /// The page given.
        public var currentPage: Int
        /// The page size.
        public var limit: Int
        /// How many pages there are.
        public var totalPages: Int
        /// How many items there are.
        public var total: Int

        enum CodingKeys: String, CodingKey {
            case currentPage = "current_page", limit, totalPages = "total_pages", total
        }
    }

    /// The envelope as a JSON response with this status.
    public func response(status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        var data = try encoder.encode(self)
        data.append(0x0A)   // the old server ended every body with a newline
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// No data.
public struct Empty: Encodable, Sendable {}
