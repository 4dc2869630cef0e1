/// Why a store could not be opened or used.
public enum StoreError: BoxOfficeError, Equatable {
    /// The file was written by a newer BoxOfficeKit, whose schema (these migrations or rules) this
    /// version does not know. Nothing was changed; upgrade the program before using this store.
    case newerSchema(path: String, parts: [String])
    /// The file was made by an earlier development build of BoxOfficeKit, whose schema layout cannot
    /// be upgraded. Nothing was changed; create the store again and sync it.
    case madeByEarlierBuild(path: String)
    /// The store runs a rule (`schemas/sqlite/rules/`) of this version but with other text than this
    /// build's: the rule changed without a new version number. Nothing was changed.
    case ruleEdited(path: String, rule: String, version: Int)
    /// The file could not be opened as a store (missing folder, not a database, no permission).
    case cannotOpen(path: String, reason: String)
    /// The store lacks something every store has; it was damaged or edited by hand.
    case damaged(String)
    /// No store exists at this path, and the caller asked not to create one (a mistyped path
    /// must not become a new, empty store with a new node identity).
    case notFound(path: String)

    public var kind: ErrorKind {
        switch self {
        case .notFound: .notFound
        default: .storeUnusable
        }
    }

    public var description: String {
        switch self {
        case let .newerSchema(path, parts):
            "the store \(path) was made by a newer version of BoxOfficeKit (schema \(parts.joined(separator: ", "))); upgrade this program to use it — nothing was changed"
        case let .madeByEarlierBuild(path):
            "the store \(path) was made by an earlier development build of BoxOfficeKit and cannot be upgraded: re-create it (boxoffice init) and sync it again — nothing was changed"
        case let .ruleEdited(path, rule, version):
            "the store \(path) runs rule \(rule) version \(version) with other text than this program's: the rule changed without a new version number — nothing was changed"
        case let .cannotOpen(path, reason):
            "cannot open the store \(path): \(reason)"
        case let .damaged(reason):
            "the store is damaged: \(reason)"
        case let .notFound(path):
            "there is no store \(path): check --db (or BOXOFFICE_DB), or create one with boxoffice init"
        }
    }
}
