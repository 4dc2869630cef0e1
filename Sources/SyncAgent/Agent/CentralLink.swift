import BoxOfficeKit
import Dispatch
import Foundation

/// A node's connection to head office, used from async code.
///
/// libpq blocks while the server works, so every call runs on the link's own serial queue rather
/// than on Swift's cooperative threads.
final class CentralLink: @unchecked Sendable {
    // @unchecked: `connection` is touched only on `queue`, one call at a time.
    private let queue = DispatchQueue(label: "boxoffice.central-link")
    private var connection: PostgresConnection?
    private let url: String
    private let connectTimeout: Duration
    private let credentials: NodeCredentials

    init(url: String, credentials: NodeCredentials, connectTimeout: Duration) {
        self.url = url
        self.credentials = credentials
        self.connectTimeout = connectTimeout
    }

    /// Runs `body` with a connection, connecting first (again, after a failure) when needed.
    @discardableResult
    func run<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                do {
                    let connection = try self.connected()
                    do {
                        continuation.resume(returning: try body(connection))
                    } catch let error as PostgresError where error.isConnectionFailure || !connection.isHealthy {
                        self.connection = nil
                        continuation.resume(throwing: error)
                    }
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    /// Drops the connection; the next call reconnects.
    func disconnect() {
        queue.sync { connection = nil }
    }

    private func connected() throws -> PostgresConnection {
        if let connection, connection.isHealthy { return connection }
        // The node's password: in the URL, or in the store's passfile (read again at every connection,
        // so a rewritten passfile takes effect without a restart).
        let passfile = try credentials.passfilePath(for: url)
        let fresh = try PostgresConnection(url: url, connectTimeout: connectTimeout, applicationName: "boxoffice-sync",
                                           passfile: passfile)
        connection = fresh
        return fresh
    }
}
