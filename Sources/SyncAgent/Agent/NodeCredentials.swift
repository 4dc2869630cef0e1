import BoxOfficeKit
import Foundation

/// How a counter keeps its way into head office: the node's sync URL **without** its password in
/// the store, and the password in a libpq passfile beside the store (`<store>.pgpass`, mode 0600),
/// which the sync agent names to libpq (`passfile`) whenever the URL itself sets no password.
///
/// The store holds customers' data and is copied for backups and support; the password is the key
/// to the node's PostgreSQL role. Keeping them apart means a copied store opens no door at head
/// office, and a new password (after `central rotate-node`) is one file to rewrite.
///
/// ```swift
/// let credentials = NodeCredentials(box: box)
/// try await credentials.remember(nodeURL)               // password → counter.sqlite.pgpass, URL → store
/// let url = try await credentials.rememberedURL()       // "postgresql://node_braga@hq.example/boxoffice"
/// try await SyncAgent(box: box, centralURL: url!).syncOnce()   // libpq reads the password from the passfile
/// ```
///
/// A store in memory keeps no password: only the URL without it.
public struct NodeCredentials: Sendable {
    /// The store whose credentials these are.
    public let box: BoxOffice

    /// What to do about a passfile that cannot be trusted.
    static let remedy = "remove it and give the node's sync URL with its password again (boxoffice sync --central -)"

    /// The credentials of `box`; nothing is read until asked.
    public init(box: BoxOffice) {
        self.box = box
    }

    /// The node's passfile, `<store>.pgpass`; `nil` for a store in memory.
    public var passfile: PrivateFile? {
        box.path.map { PrivateFile(path: $0 + ".pgpass", remedy: Self.remedy) }
    }

    /// Remembers `url` for later syncs: its password, if it has one, in the passfile (replacing the
    /// file, so a new password simply takes the old one's place), and the URL without it in the store.
    ///
    /// - Throws: ``InputError`` when `url` is no PostgreSQL URL, ``PrivateFileError`` when the
    ///   passfile cannot be written, and the store's errors.
    public func remember(_ url: String) async throws {
        let connection = try ConnectionString(url)
        if let password = connection.password, let passfile {
            let contents = Data(try Passfile(for: connection, password: password).text.utf8)
            // A file that is unsafe (a link, another user's) is replaced, never written through.
            if (try? passfile.read()) != contents { try passfile.write(contents) }
        }
        try await box.replica.rememberCentralURL(connection.withoutPassword)
    }

    /// The URL remembered from the last sync, without its password.
    ///
    /// A store an earlier build wrote may hold the whole URL, password and all: the password moves
    /// to the passfile and the store keeps the rest, once, here.
    public func rememberedURL() async throws -> String? {
        guard let url = try await box.replica.state().centralURL else { return nil }
        guard let connection = try? ConnectionString(url), connection.options["password"] != nil else { return url }
        try await remember(url)
        return connection.withoutPassword
    }

    /// The passfile libpq should read for `url`: none when the URL sets its own password or there
    /// is no passfile.
    ///
    /// - Throws: ``PrivateFileError`` when the passfile is there but cannot be trusted (a link,
    ///   another user's, readable by others), which libpq would otherwise read or silently skip.
    func passfilePath(for url: String) throws -> String? {
        guard let passfile, (try? ConnectionString(url))?.hasPassword != true else { return nil }
        guard try passfile.read() != nil else { return nil }
        return passfile.path
    }
}
