import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A small file that holds a secret and only its user may read: a login token (`<store>.session`),
/// a node's libpq passfile (`<store>.pgpass`).
///
/// It is never read or written through a symbolic link. Reading refuses a file that is a link, is
/// not a plain file, belongs to another user, or could be read by other users, so a planted or
/// exposed file is never trusted. Writing makes a new file with mode 0600 beside the old one and
/// renames it over it, so a reader sees the old contents or the new, a link at the path is
/// replaced rather than followed, and no byte is ever in a file others can read.
///
/// ```swift
/// let file = PrivateFile(path: storePath + ".session", remedy: "remove it and log in again")
/// try file.write(Data((token + "\n").utf8))
/// let saved = try file.read()   // nil when there is no file
/// ```
public struct PrivateFile: Sendable, Hashable {
    /// Where the file is.
    public let path: String
    /// What to do when the file cannot be trusted, in the words of its owner's task, e.g.
    /// "remove it and log in again"; ends every ``PrivateFileError`` about it.
    public let remedy: String

    /// A private file at `path`; nothing is read or written until asked.
    public init(path: String, remedy: String) {
        self.path = path
        self.remedy = remedy
    }

    /// The file's contents, or `nil` when there is no file.
    ///
    /// - Throws: ``PrivateFileError`` when the file is a symbolic link, not a plain file, another
    ///   user's, readable by other users (its group or everyone), or cannot be read.
    public func read() throws(PrivateFileError) -> Data? {
        try load(requiringPrivateMode: true)
    }

    /// The contents of a file that other users could read, to end what it grants (a login that
    /// may have been copied); links and other users' files are refused as ``read()`` refuses them.
    ///
    /// - Throws: ``PrivateFileError``, as ``read()`` but never ``PrivateFileError/readableByOthers(path:mode:remedy:)``.
    public func readExposed() throws(PrivateFileError) -> Data? {
        try load(requiringPrivateMode: false)
    }

    /// Replaces the file with `contents`, in a new file with mode 0600.
    ///
    /// - Throws: ``PrivateFileError/cannotWrite(path:reason:)`` when the folder cannot take it.
    public func write(_ contents: Data) throws(PrivateFileError) {
        var random = SystemRandomNumberGenerator()
        let temporary = path + ".new-" + String(random.next() as UInt64, radix: 36)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .cannotWrite(path: path, reason: Self.reason()) }
        var failure: String?
        if fchmod(descriptor, 0o600) != 0 { failure = Self.reason() }
        if failure == nil {
            let written = contents.withUnsafeBytes { bytes in
                bytes.isEmpty ? 0 : systemWrite(descriptor, bytes.baseAddress, bytes.count)
            }
            if written != contents.count || fsync(descriptor) != 0 { failure = Self.reason() }
        }
        close(descriptor)
        if failure == nil, rename(temporary, path) != 0 { failure = Self.reason() }
        if let failure {
            unlink(temporary)
            throw .cannotWrite(path: path, reason: failure)
        }
    }

    /// Removes the file (a link at the path is removed, never what it points to).
    ///
    /// - Returns: Whether there was a file to remove.
    @discardableResult
    public func remove() -> Bool {
        unlink(path) == 0
    }

    private func load(requiringPrivateMode: Bool) throws(PrivateFileError) -> Data? {
        // O_NONBLOCK: a FIFO planted at the path must not hang the reader before fstat refuses it.
        let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else {
            switch errno {
            case ENOENT: return nil
            case ELOOP: throw .symbolicLink(path: path, remedy: remedy)
            default: throw .cannotRead(path: path, reason: Self.reason())
            }
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .cannotRead(path: path, reason: Self.reason()) }
        guard status.st_mode & S_IFMT == S_IFREG else { throw .notAFile(path: path, remedy: remedy) }
        guard status.st_uid == geteuid() else {
            throw .ownedByAnotherUser(path: path, owner: Int(status.st_uid), remedy: remedy)
        }
        let mode = Int(status.st_mode & 0o777)
        if requiringPrivateMode, mode & 0o077 != 0 {
            throw .readableByOthers(path: path, mode: mode, remedy: remedy)
        }
        var contents = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = systemRead(descriptor, &buffer, buffer.count)
            if count < 0 {
                if errno == EINTR { continue }
                throw .cannotRead(path: path, reason: Self.reason())
            }
            if count == 0 { return contents }
            contents.append(contentsOf: buffer[..<count])
        }
    }

    private static func reason() -> String { String(cString: strerror(errno)) }
}

// The system calls by other names: `PrivateFile` has a `read()` and a `write(_:)` of its own.
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.read(descriptor, buffer, count)
    #else
    Darwin.read(descriptor, buffer, count)
    #endif
}

private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.write(descriptor, buffer, count)
    #else
    Darwin.write(descriptor, buffer, count)
    #endif
}
