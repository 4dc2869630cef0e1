import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The files of a store on disk — the database and SQLite's `-wal` and `-shm` beside it — kept to
/// the store's ``BoxOffice/FileAccess``.
///
/// SQLite creates the `-wal` and `-shm` files lazily, with the permissions of the database file
/// (and, when run as root, its owner), whatever the umask. So the database file is made with the
/// right mode before SQLite first opens it, an existing store's files are put back to the mode
/// before SQLite opens them, and the companions are checked again once SQLite has made them.
enum StoreFiles {
    /// The files SQLite keeps beside the database in WAL mode.
    static func companions(of path: String) -> [String] { [path + "-wal", path + "-shm"] }

    /// Puts the store's existing files (database, `-wal`, `-shm`) to `access`, warning once when
    /// they could be read by more users than that.
    static func restrict(path: String, to access: BoxOffice.FileAccess, logger: Logger) {
        var loosened: [(name: String, mode: mode_t)] = []
        var unfixable: [String] = []
        for file in [path] + companions(of: path) {
            var status = stat()
            guard stat(file, &status) == 0 else { continue }
            let mode = status.st_mode & 0o777
            guard mode != access.mode else { continue }
            let wider = mode & ~access.mode != 0
            if chmod(file, access.mode) != 0 {
                if wider { unfixable.append(file) }
                continue
            }
            if wider { loosened.append((file, mode)) }
        }
        if let first = loosened.first {
            let names = loosened.map(\.name).joined(separator: ", ")
            logger.warning("""
                the store's files \(names) could be read by other users of this machine (mode \
                \(octal(first.mode))): they are now mode \(octal(access.mode))
                """)
        }
        if !unfixable.isEmpty {
            logger.warning("""
                the store's files \(unfixable.joined(separator: ", ")) can be read by other users of this machine \
                and only their owner can change that: run `chmod \(octal(access.mode).dropFirst()) FILE` as the owner
                """)
        }
    }

    /// Creates an empty database file with the mode of `access` when none exists, never through a
    /// symbolic link; SQLite then treats it as a new database.
    ///
    /// - Throws: ``StoreError/cannotOpen(path:reason:)`` when the file cannot be made.
    static func createIfMissing(path: String, access: BoxOffice.FileAccess) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, access.mode)
        guard descriptor >= 0 else {
            if errno == EEXIST { return }  // there already (or a link to one): SQLite opens what is there
            throw StoreError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        fchmod(descriptor, access.mode)  // the umask may have taken the group's bits
    }

    /// `0600`-style text of a mode.
    static func octal(_ mode: mode_t) -> String { "0" + String(mode, radix: 8) }
}
