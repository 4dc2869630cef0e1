import ArgumentParser
import BoxOfficeKit
import Foundation

/// The options every command shares: which store, and whether to print JSON.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The store file.", discussion: "Default: $BOXOFFICE_DB, or ./boxoffice.sqlite.", valueName: "path"))
    var db: String?

    @Flag(name: .long, help: "Print JSON instead of text (a stable interface for scripts).")
    var json = false

    /// The store path after the environment and the default are applied.
    var storePath: String {
        if let db, !db.isEmpty { return db }
        if let fromEnvironment = ProcessInfo.processInfo.environment["BOXOFFICE_DB"], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        return "./boxoffice.sqlite"
    }

    /// Opens the store; its files are readable by their user only, or by their group too with
    /// `BOXOFFICE_STORE_ACCESS=group`. Only `init` and `demo` create one (`creating`): a mistyped
    /// `--db` is "no store", never a new empty one with a new node identity.
    func openStore(creating: Bool = false) throws -> BoxOffice {
        var configuration = BoxOffice.Configuration()
        configuration.fileAccess = try Self.fileAccess()
        if let offset = TestClock.offset { configuration.clock = { Date().addingTimeInterval(offset) } }
        return try BoxOffice.open(path: storePath, configuration: configuration, ifMissing: creating ? .create : .refuse)
    }

    /// `BOXOFFICE_STORE_ACCESS`: `owner` (the default) or `group`.
    static func fileAccess() throws -> BoxOffice.FileAccess {
        guard let value = ProcessInfo.processInfo.environment["BOXOFFICE_STORE_ACCESS"], !value.isEmpty else { return .owner }
        guard let access = BoxOffice.FileAccess(rawValue: value) else {
            throw ValidationError("BOXOFFICE_STORE_ACCESS must be owner (the store readable by its user only) or group (its group too)")
        }
        return access
    }

    /// The file that keeps this store's login token, beside the store, readable only by its user.
    var sessionFile: SessionFile { SessionFile(storePath: storePath) }

    /// The principal of the saved login, checked against the store and required to have `role`.
    ///
    /// - Throws: ``AccountError/notLoggedIn`` when nobody is logged in to this store,
    ///   ``PrivateFileError`` when the session file cannot be trusted, or the session's and role's errors.
    /// The logged-in user, for a command whose change the kit's ownership table allows or refuses.
    func principal(of box: BoxOffice) async throws -> Principal {
        guard let token = try await sessionFile.token(for: box) else { throw AccountError.notLoggedIn }
        return try await box.accounts.authenticate(token: token)
    }

    func principal(of box: BoxOffice, requiring role: Role, toDo action: String) async throws -> Principal {
        guard let token = try await sessionFile.token(for: box) else { throw AccountError.notLoggedIn }
        let principal = try await box.accounts.authenticate(token: token)
        try principal.require(role, toDo: action)
        return principal
    }
}
