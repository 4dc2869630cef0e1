import BoxOfficeKit
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The login token of one store, in a file beside it (`<store>.session`) with mode 0600, so two
/// stores on one machine keep separate logins and other users cannot read the token.
struct SessionFile {
    let path: String

    init(storePath: String) {
        path = storePath + ".session"
    }

    /// The saved token, or `nil` when nobody is logged in.
    func read() throws -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return token.isEmpty ? nil : token
    }

    /// Saves `token`, creating the file with mode 0600 before any byte is written.
    func write(_ token: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard descriptor >= 0 else {
            throw StoreError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        fchmod(descriptor, 0o600)
        let bytes = Array((token + "\n").utf8)
        guard Glibc.write(descriptor, bytes, bytes.count) == bytes.count else {
            throw StoreError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
    }

    /// Forgets the saved token.
    func remove() {
        unlink(path)
    }
}
