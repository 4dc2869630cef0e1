/// Why a ``PrivateFile`` (a login token, a node's passfile) was not trusted, read or written.
///
/// Each message ends with what to do (the file's ``PrivateFile/remedy``). A file that is a link,
/// another user's or readable by others is a credential someone else may have planted or copied:
/// its ``kind`` is ``ErrorKind/unauthorized``. A file that cannot be read or written for want of
/// space or permission is ``ErrorKind/storeUnusable``.
public enum PrivateFileError: BoxOfficeError, Equatable {
    /// The path is a symbolic link: a secret is never read or written through one.
    case symbolicLink(path: String, remedy: String)
    /// The path is a folder, a device or a pipe, not a plain file.
    case notAFile(path: String, remedy: String)
    /// The file belongs to another user (`owner` is their uid): someone else may have put it there.
    case ownedByAnotherUser(path: String, owner: Int, remedy: String)
    /// Other users could read the file (`mode` is its permission bits, e.g. `0o644`).
    case readableByOthers(path: String, mode: Int, remedy: String)
    /// The file is there but could not be read.
    case cannotRead(path: String, reason: String)
    /// The file could not be written (the folder is missing, full or not writable).
    case cannotWrite(path: String, reason: String)

    public var kind: ErrorKind {
        switch self {
        case .symbolicLink, .notAFile, .ownedByAnotherUser, .readableByOthers: .unauthorized
        case .cannotRead, .cannotWrite: .storeUnusable
        }
    }

    public var description: String {
        switch self {
        case let .symbolicLink(path, remedy):
            "\(path) is a symbolic link, and a file holding a secret is never read or written through one: \(remedy)"
        case let .notAFile(path, remedy):
            "\(path) is not a plain file: \(remedy)"
        case let .ownedByAnotherUser(path, owner, remedy):
            "\(path) belongs to another user (uid \(owner)), so what it holds cannot be trusted: \(remedy)"
        case let .readableByOthers(path, mode, remedy):
            "\(path) could be read by other users of this machine (mode 0\(String(mode, radix: 8))): \(remedy)"
        case let .cannotRead(path, reason):
            "cannot read \(path): \(reason)"
        case let .cannotWrite(path, reason):
            "cannot write \(path): \(reason)"
        }
    }
}
