import BoxOfficeKit
import Foundation
import HTTPTypes
import Hummingbird

/// Every error the server answers, in one envelope: `{"status": false, "message": …, "errors": […]}`
/// with a real HTTP status.
///
/// Kit errors are mapped by their kind (``init(_:)``); the message is the kit's own, in a
/// cashier's words, and never holds what the caller sent (no password, code or card data).
public struct APIError: Error, Sendable, CustomStringConvertible {
    /// The HTTP status.
    public var status: HTTPResponse.Status
    /// The message for the caller.
    public var message: String
    /// Field errors (400 "Validation failed").
    public var errors: [FieldError]
    /// Extra response headers (`Retry-After`).
    public var headers: HTTPFields

    /// One field's error, as the old API listed them.
    public struct FieldError: Sendable, Encodable, Hashable {
        /// The field, named as the old API named it (`Email`) or as the body spells it.
        public var field: String
        /// What is wrong with it.
        public var message: String
    }

    /// An error with a status and message.
    public init(_ status: HTTPResponse.Status, _ message: String, errors: [FieldError] = [], headers: HTTPFields = [:]) {
        self.status = status
        self.message = message
        self.errors = errors
        self.headers = headers
    }

    /// The message, for logs.
    public var description: String { "\(status.code) \(message)" }

    /// 400 "Validation failed" naming one field.
    public static func validation(_ field: String, _ message: String) -> APIError {
        APIError(.badRequest, "Validation failed", errors: [FieldError(field: field, message: message)])
    }

    /// 401 for a request that needs a session and has none that works.
    public static func unauthorized(_ message: String = "not logged in: log in first") -> APIError {
        APIError(.unauthorized, message)
    }

    /// The answer to an error a kit call threw: the status its kind calls for.
    ///
    /// Card data is 422 (the request is well formed, and will never be taken); a locked account or
    /// a code tried too often is 429; being logged in as the wrong person is 403.
    public init(_ error: any Error) {
        switch error {
        case let error as APIError:
            self = error
        case let error as InputError:
            self = .validation(error.field, error.description)
        case SaleError.cardNumberInReference:
            self.init(.unprocessableContent, "card data is never accepted: send the payment's reference instead "
                        + "(no card number, CVV or expiry); nothing was stored")
        case let error as AccountError:
            switch error {
            case .locked(let until):
                let seconds = max(1, Int(until.timeIntervalSinceNow.rounded(.up)))
                self.init(.tooManyRequests, error.description, headers: [.retryAfter: String(seconds)])
            case .otpTooManyAttempts:
                self.init(.tooManyRequests, error.description)
            case .otpResendTooSoon(let seconds), .otpStillQueued(let seconds):
                self.init(.tooManyRequests, error.description, headers: [.retryAfter: String(seconds)])
            case .notAllowed, .notVerified:
                self.init(.forbidden, error.description)
            default:
                self.init(Self.status(of: error.kind), error.description)
            }
        case SaleError.notYourBooking:
            self.init(.forbidden, (error as? SaleError)?.description ?? "not your booking")
        case let error as any BoxOfficeError:
            self.init(Self.status(of: error.kind), error.description)
        default:
            // Not a kit error: its text may say anything, so the caller is told nothing of it.
            self.init(.internalServerError, "something went wrong on the server; the request id names it in the server's log")
        }
    }

    static func status(of kind: ErrorKind) -> HTTPResponse.Status {
        switch kind {
        case .invalidInput: .badRequest
        case .notFound: .notFound
        case .conflict: .conflict
        case .unauthorized: .unauthorized
        case .unavailable: .serviceUnavailable
        case .storeUnusable: .internalServerError
        }
    }
}

extension APIError: HTTPResponseError {
    /// The envelope as a response.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try Envelope<Empty>(status: false, message: message, errors: errors.isEmpty ? nil : errors)
            .response(status: status)
        for field in headers { response.headers.append(field) }
        return response
    }
}
