#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension BoxOffice {
    /// Who may read and write a store's files — the database and SQLite's `-wal` and `-shm` beside
    /// it: its user only (the default), or also the users of its group.
    ///
    /// The store holds password hashes, the keys that seal queued mail and hash codes, and every
    /// customer's bookings, so by default only its user can read it. Give a group access only when
    /// another user of that group must open the same store (a `boxoffice serve` run as its own
    /// user); see `docs/counter-credentials.md`.
    ///
    /// ```swift
    /// var configuration = BoxOffice.Configuration()
    /// configuration.fileAccess = .ownerAndGroup   // 0660: the folder's group may sell from it too
    /// let box = try BoxOffice.open(path: "/srv/boxoffice/counter.sqlite", configuration: configuration)
    /// ```
    public enum FileAccess: String, Sendable, Hashable, CaseIterable {
        /// Mode 0600: only the file's user reads and writes it.
        case owner
        /// Mode 0660: the file's group reads and writes it too. Put the store in a folder of that
        /// group with the set-group-id bit (`chmod 2770`), so the `-wal` and `-shm` files SQLite makes
        /// belong to the group as well.
        case ownerAndGroup = "group"

        /// The permission bits the store's files get.
        public var mode: mode_t {
            switch self {
            case .owner: 0o600
            case .ownerAndGroup: 0o660
            }
        }
    }
}
