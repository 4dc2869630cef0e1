import BoxOfficeKit

/// What went wrong at head office's side of sync, beyond a PostgreSQL error.
public enum CentralError: BoxOfficeError, Equatable {
    /// Head office's database was set up by a newer version of BoxOfficeKit (these migrations or
    /// rules); nothing was changed.
    case newerSchema([String])
    /// Head office's database was set up by an earlier development build whose layout cannot be
    /// upgraded; nothing was changed. Create a new database and sync the counters to it.
    case madeByEarlierBuild
    /// Head office runs a rule of this version with other text than this build's: the rule file
    /// changed without a new version number. Nothing was changed.
    case ruleEdited(rule: String, version: Int)
    /// The old password given to change a staff account's password is not its password, or head
    /// office has no staff account of that email (the two are not told apart).
    case wrongStaffPassword(email: String)

    public var kind: ErrorKind {
        switch self {
        case .newerSchema, .madeByEarlierBuild, .ruleEdited: .storeUnusable
        case .wrongStaffPassword: .unauthorized
        }
    }

    public var description: String {
        switch self {
        case let .newerSchema(versions):
            "head office's database was set up by a newer version (\(versions.joined(separator: ", "))); upgrade this program — nothing was changed"
        case .madeByEarlierBuild:
            "head office's database was set up by an earlier development build and cannot be upgraded: re-create it (a new database, then boxoffice central init) and sync the counters again — nothing was changed"
        case let .ruleEdited(rule, version):
            "head office runs rule \(rule) version \(version) with other text than this program's: the rule changed without a new version number — nothing was changed"
        case let .wrongStaffPassword(email):
            "the old password of \(email) is not right (or head office has no staff account \(email)): nothing was changed"
        }
    }
}
