/// Why a store could not be opened or used.
public enum StoreError: BoxOfficeError, Equatable {
    /// The file was written by a newer BoxOfficeKit, whose schema this version does not know.
    /// Nothing was changed; upgrade the program before using this store.
    case newerSchema(path: String, unknownMigrations: [String])
    /// The file could not be opened as a store (missing folder, not a database, no permission).
    case cannotOpen(path: String, reason: String)
    /// The store lacks something every store has; it was damaged or edited by hand.
    case damaged(String)

    public var kind: ErrorKind { .storeUnusable }

    public var description: String {
        switch self {
        case let .newerSchema(path, unknown):
            "the store \(path) was made by a newer version of BoxOfficeKit (schema \(unknown.joined(separator: ", "))); upgrade this program to use it — nothing was changed"
        case let .cannotOpen(path, reason):
            "cannot open the store \(path): \(reason)"
        case let .damaged(reason):
            "the store is damaged: \(reason)"
        }
    }
}
