import Hummingbird
import Logging

/// What the server knows about one request while it is handled: Hummingbird's own context (with
/// the request id in its logger) and the size limit of its body.
public struct ServerContext: RequestContext {
    /// Hummingbird's storage: the logger, the route's parameters.
    public var coreContext: CoreRequestContextStorage

    /// Creates the context of a new request.
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    /// Bodies past this many bytes are refused (413) before they are read: nothing this API takes
    /// is near it.
    public var maxUploadSize: Int { BoxOfficeServer.Configuration.maximumBodySize }

    /// The request's id, as its log lines and the `X-Request-Id` response header carry it.
    public var requestID: String { id }
}
