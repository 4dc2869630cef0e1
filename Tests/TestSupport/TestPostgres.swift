import Foundation
import SyncAgent

/// The PostgreSQL server that `scripts/test.sh` starts on 127.0.0.1 for the tests.
///
/// Its admin URL comes from `BOXOFFICE_TEST_POSTGRES_URL`. Each test makes its own database with a
/// unique name, so tests run in parallel without seeing each other.
public enum TestPostgres {
    public static let adminURL = ProcessInfo.processInfo.environment["BOXOFFICE_TEST_POSTGRES_URL"]

    /// Whether a server was given; tests that need one are enabled only then (and CI requires it).
    public static var isAvailable: Bool { adminURL != nil }

    /// Whether the server makes roles other than the superuser log in with a password, as the one
    /// `scripts/postgres.sh` starts does: only then does a test prove that a node's password reached
    /// libpq (a server that trusts every local connection would let a node in without one).
    public static let requiresPasswords: Bool = {
        guard let adminURL, let connection = try? PostgresConnection(url: adminURL) else { return false }
        let rules = try? connection.query("""
            SELECT count(*) FROM pg_hba_file_rules
            WHERE type = 'host' AND auth_method IN ('scram-sha-256', 'md5', 'password') AND 'all' = ANY (user_name)
            """).scalar
        return (rules.flatMap { Int($0) } ?? 0) > 0
    }()

    /// Creates a fresh database (on the shared test server, or on `server`) and returns its URL.
    public static func makeDatabase(on server: String? = nil) throws -> String {
        guard let adminURL = server ?? adminURL else { throw PostgresError(message: "BOXOFFICE_TEST_POSTGRES_URL is not set") }
        let name = "test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let admin = try PostgresConnection(url: adminURL)
        try admin.execute("CREATE DATABASE \(name)")
        return databaseURL(adminURL, name: name)
    }

    /// `url` with its database name replaced by `name`.
    public static func databaseURL(_ url: String, name: String) -> String {
        guard var components = URLComponents(string: url) else { return url }
        components.path = "/" + name
        return components.string ?? url
    }
}
