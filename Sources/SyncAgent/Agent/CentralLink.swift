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

    init(url: String, connectTimeout: Duration) {
        self.url = url
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
        let fresh = try PostgresConnection(url: url, connectTimeout: connectTimeout, applicationName: "boxoffice-sync")
        connection = fresh
        return fresh
    }
}
