/// Why an import of the old system's database did not run; nothing was written.
///
/// ```swift
/// do { _ = try await importer.run(into: .store(box)) }
/// catch let error as LegacyImportError { print(error) }   // "the old database cannot be reached: …"
/// ```
public enum LegacyImportError: BoxOfficeError, Equatable {
    /// A time zone given for the old timestamps or the cinemas is not an IANA zone.
    case unknownTimeZone(String)
    /// The old database cannot be reached (address, password, network).
    case sourceUnreachable(String)
    /// The database given is not the old system's: it lacks these tables or columns.
    case notAnOldDatabase(missing: [String])
    /// The old database refused to be read.
    case sourceRefused(String)
    /// Head office's schema predates the import: run `boxoffice central init` first.
    case headOfficeNotReady
    /// Head office has no node that serves every cinema to own the imported customers' accounts.
    case noCustomersNode
    /// Head office has several nodes that serve every cinema: the import must be told which one
    /// the customers' accounts belong to.
    case severalCustomersNodes([String])
    /// No node of head office has this name.
    case customersNodeNotFound(String)
    /// The store or head office refused a row the import planned; nothing was written.
    case targetRefused(String)

    /// Which kind of failure this is, which picks the CLI's exit code.
    public var kind: ErrorKind {
        switch self {
        case .unknownTimeZone, .notAnOldDatabase, .severalCustomersNodes: .invalidInput
        case .sourceUnreachable, .sourceRefused: .unavailable
        case .headOfficeNotReady: .storeUnusable
        case .noCustomersNode, .customersNodeNotFound: .notFound
        case .targetRefused: .conflict
        }
    }

    /// The message, in a migrating manager's words.
    public var description: String {
        switch self {
        case let .unknownTimeZone(zone):
            "'\(zone)' is not a time zone: give an IANA zone like Asia/Jakarta"
        case let .sourceUnreachable(reason):
            "the old database cannot be reached: \(reason)"
        case let .notAnOldDatabase(missing):
            "that database is not the old system's: it has no \(missing.joined(separator: ", "))"
        case let .sourceRefused(reason):
            "the old database could not be read: \(reason)"
        case .headOfficeNotReady:
            "head office's database predates the import: run `boxoffice central init` on it first"
        case .noCustomersNode:
            "head office has no node serving every cinema to keep the imported customers' accounts: "
                + "register one (`boxoffice central add-node hq --all`) or name a node with --customers-node"
        case let .severalCustomersNodes(names):
            "head office has several nodes serving every cinema (\(names.joined(separator: ", "))): "
                + "choose the one for the customers' accounts with --customers-node"
        case let .customersNodeNotFound(name):
            "head office has no node \(name)"
        case let .targetRefused(reason):
            "the import was refused and nothing was written: \(reason)"
        }
    }
}
