import BoxOfficeKit
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// `boxoffice serve`: the counter screen (`/`, the page of `web/counter/` embedded at build time),
/// the old system's REST API (`/api/…`) and the kit's JSON API (`/v1/…`, described by
/// `schemas/openapi.yaml`) over one store, on Hummingbird 2.
///
/// Every route translates HTTP to calls of the kit's public API and back; no business rule lives
/// here, nor in the screen, which calls `/v1` like any client. Runs until SIGTERM or SIGINT, then
/// finishes the requests in flight and stops.
///
/// ```swift
/// let box = try BoxOffice.open(path: "counter.sqlite")
/// let server = BoxOfficeServer(box: box, configuration: .init(host: "127.0.0.1", port: 8080))
/// try await server.run()
/// ```
///
/// ## Topics
///
/// ### Running
/// - ``run(onListening:)``
/// - ``Configuration``
///
/// ### Head office
/// - ``ConflictResolver``
/// - ``ConflictResolution``
///
/// ### Answers
/// - ``Envelope``
/// - ``APIError``
public struct BoxOfficeServer: Sendable {
    /// Where the server listens and how it treats cookies.
    public struct Configuration: Sendable, Hashable {
        /// The largest request body taken, in bytes; a larger one is 413.
        public static let maximumBodySize = 64 * 1024

        /// The address to listen on: loopback unless told otherwise.
        public var host: String
        /// The port; 0 picks a free one (``run(onListening:)`` says which).
        public var port: Int
        /// Mark the session cookie `Secure` on every answer: the server is always reached through TLS.
        public var secureCookies: Bool
        /// Mark it `Secure` when a proxy in front says `X-Forwarded-Proto: https`; only for a proxy
        /// that sets the header itself (a client could send it too).
        public var trustForwardedProto: Bool
        /// How often queued mail (verification codes) is handed to the mail server.
        public var mailInterval: Duration

        /// A configuration.
        public init(host: String = "127.0.0.1", port: Int = 8080, secureCookies: Bool = false,
                    trustForwardedProto: Bool = false, mailInterval: Duration = .seconds(1)) {
            self.host = host
            self.port = port
            self.secureCookies = secureCookies
            self.trustForwardedProto = trustForwardedProto
            self.mailInterval = mailInterval
        }
    }

    /// The store the server fronts.
    public let box: BoxOffice
    /// Where it listens.
    public let configuration: Configuration
    /// Who sends the outbox's mail; `nil` leaves it queued.
    public let mailer: (any Mailer)?
    /// Where request lines go.
    public let logger: Logger
    /// Services that run beside the server and stop with it (the sync agent of `serve --sync`).
    public let services: [any Service]
    /// Head office, for resolving sync conflicts from `/v1` and the counter screen; `nil`: refused (503).
    public let conflictResolver: (any ConflictResolver)?

    /// A server over `box`.
    ///
    /// - Parameters:
    ///   - box: The store.
    ///   - configuration: Address, port, cookies.
    ///   - mailer: The mail server for verification codes, or `nil` to leave them queued.
    ///   - logger: The request log.
    ///   - services: Services to run beside the server in its service group, stopped with it.
    ///   - conflictResolver: Who resolves sync conflicts at head office, or `nil` when this server cannot.
    public init(box: BoxOffice, configuration: Configuration = Configuration(), mailer: (any Mailer)? = nil,
                logger: Logger = Logger(label: "boxoffice.serve"), services: [any Service] = [],
                conflictResolver: (any ConflictResolver)? = nil) {
        self.box = box
        self.configuration = configuration
        self.mailer = mailer
        self.logger = logger
        self.services = services
        self.conflictResolver = conflictResolver
    }

    /// Serves until SIGTERM or SIGINT (or the task is cancelled), then lets the requests in flight
    /// finish and returns.
    ///
    /// ```swift
    /// try await server.run { host, port in print("listening on http://\(host):\(port)") }
    /// ```
    ///
    /// - Parameter onListening: Called once the socket is bound, with the address and the port
    ///   (the one picked when ``Configuration/port`` is 0).
    /// - Throws: When the address cannot be bound.
    public func run(onListening: @escaping @Sendable (String, Int) async -> Void = { _, _ in }) async throws {
        let host = configuration.host
        var services = services
        if let mailer { services.append(MailDelivery(box: box, mailer: mailer, interval: configuration.mailInterval, logger: logger)) }
        let application = Application(
            router: makeRouter(),
            configuration: ApplicationConfiguration(address: .hostname(host, port: configuration.port), serverName: "boxoffice"),
            services: services,
            onServerRunning: { channel in await onListening(host, channel.localAddress?.port ?? 0) },
            logger: logger)
        try await application.runService(gracefulShutdownSignals: [.sigterm, .sigint])
    }

    /// Every route, behind the request log.
    func makeRouter() -> Router<ServerContext> {
        let router = Router(context: ServerContext.self)
        router.middlewares.add(RequestLogMiddleware())
        let cookie = SessionCookie(configuration: configuration)
        LegacyRoutes(box: box, cookie: cookie).add(to: router.group("api"))
        V1Routes(box: box, cookie: cookie, resolver: conflictResolver).add(to: router.group("v1"))
        CounterScreenRoutes().add(to: router)
        return router
    }
}
