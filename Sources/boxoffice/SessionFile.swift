import BoxOfficeKit
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The login token of one store, in a file beside it (`<store>.session`) with mode 0600, so two
/// stores on one machine keep separate logins and other users cannot read the token.
///
/// It is a ``PrivateFile``: logging in writes a new file (replacing whatever was at the path, a
/// symbolic link included, never writing through it). A file that is a link, not a plain file or
/// another user's is refused ("remove it and log in again"); a file other users could read has its
/// login ended at the store and is removed, since someone may have copied the token.
struct SessionFile {
    let file: PrivateFile

    init(storePath: String) {
        file = PrivateFile(path: storePath + ".session", remedy: "remove it and log in again")
    }

    var path: String { file.path }

    /// Whether anything is at the path (a link too).
    var exists: Bool {
        var status = stat()
        return lstat(path, &status) == 0
    }

    /// The saved token, or `nil` when nobody is logged in; refuses a file that cannot be trusted.
    ///
    /// - Throws: ``PrivateFileError``.
    func read() throws -> String? {
        try file.read().flatMap(Self.token)
    }

    /// The saved token for `box`, or `nil` when nobody is logged in. A file other users could read
    /// has its login ended in `box` and is removed before the error says so.
    ///
    /// - Throws: ``PrivateFileError``, ending in what to do.
    func token(for box: BoxOffice) async throws -> String? {
        do {
            return try read()
        } catch let PrivateFileError.readableByOthers(path, mode, _) {
            if let token = try file.readExposed().flatMap(Self.token) {
                try? await box.accounts.logout(token: token)
            }
            file.remove()
            throw PrivateFileError.readableByOthers(
                path: path, mode: mode, remedy: "its login was ended and the file removed, as someone may have copied it: log in again")
        }
    }

    /// Saves `token` in a new file with mode 0600.
    func write(_ token: String) throws {
        try file.write(Data((token + "\n").utf8))
    }

    /// Forgets the saved token.
    func remove() {
        file.remove()
    }

    private static func token(_ data: Data) -> String? {
        let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return token.isEmpty ? nil : token
    }
}
