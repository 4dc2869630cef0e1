import BoxOfficeKit
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Logs one line per request — method, path, status, time taken and the request id — and turns
/// every error into the envelope (``APIError``) with the id in `X-Request-Id`.
///
/// Only the path is logged: never a query string, a header, a cookie or a body, so no password,
/// code, token or card data reaches the log whatever a client sends.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = ServerContext

    func handle(_ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        var response: Response
        var failure: (any Error)?
        do {
            response = try await next(request, context)
        } catch {
            failure = error
            response = try Self.envelope(for: error).response(from: request, context: context)
        }
        response.headers[.xRequestID] = context.requestID
        let elapsed = ContinuousClock.now - started
        var metadata: Logger.Metadata = [
            "method": .string(request.method.rawValue), "path": .string(request.uri.path),
            "status": .stringConvertible(response.status.code),
            "ms": .stringConvertible(Double(elapsed.components.attoseconds / 1_000_000_000_000) / 1000
                                     + Double(elapsed.components.seconds) * 1000),
        ]
        if let failure {
            if let kit = failure as? any BoxOfficeError { metadata["error"] = .string(kit.kind.rawValue) }
            else if failure is any HTTPResponseError { metadata["error"] = "request" }
            else { metadata["error"] = .string(String(reflecting: type(of: failure))) }
        }
        context.logger.log(level: response.status.code >= 500 ? .error : .info, "request", metadata: metadata)
        return response
    }

    /// The envelope of a thrown error: Hummingbird's own (404 no route, 405, 413 body too large)
    /// keep their status with a message of ours.
    static func envelope(for error: any Error) -> APIError {
        // Hummingbird's errors, and swift-nio's too-large body, say their status; APIError is ours.
        if !(error is APIError), let error = error as? any HTTPResponseError {
            switch error.status {
            case .notFound: return APIError(.notFound, "no such route")
            case .contentTooLarge:
                return APIError(.contentTooLarge, "the body is larger than \(BoxOfficeServer.Configuration.maximumBodySize) bytes")
            case .methodNotAllowed: return APIError(.methodNotAllowed, "this route does not take that method")
            default: return APIError(error.status, error.status.reasonPhrase)
            }
        }
        return APIError(error)
    }
}

extension HTTPField.Name {
    /// The request id a response carries.
    static let xRequestID = HTTPField.Name("X-Request-Id")!
    /// What a TLS-terminating proxy says the client used.
    static let xForwardedProto = HTTPField.Name("X-Forwarded-Proto")!
}
