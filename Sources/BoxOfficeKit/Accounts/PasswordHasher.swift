import CCrypt
import Crypto
import Foundation

/// Hashes and verifies passwords with libxcrypt: yescrypt for new hashes, and the old system's
/// bcrypt (`$2a$`/`$2b$`/`$2y$`) still verified so that those users can log in and be rehashed.
enum PasswordHasher {
    /// A new yescrypt hash of `password` with a fresh random salt.
    static func hash(_ password: String) throws -> String {
        try hash(password, settingPrefix: "$y$", cost: 0)
    }

    /// A bcrypt hash, as the old Go system wrote them; used to test legacy logins.
    static func legacyBcryptHash(_ password: String, cost: Int = 10) throws -> String {
        try hash(password, settingPrefix: "$2b$", cost: cost)
    }

    /// Whether `password` matches `storedHash`, compared in constant time.
    static func verify(_ password: String, against storedHash: String) -> Bool {
        guard let computed = crypt(password, setting: storedHash) else { return false }
        let lhs = Array(computed.utf8), rhs = Array(storedHash.utf8)
        guard lhs.count == rhs.count else { return false }
        return zip(lhs, rhs).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// Whether a stored hash should be replaced by a yescrypt one at the next successful login.
    static func needsRehash(_ storedHash: String) -> Bool {
        !storedHash.hasPrefix("$y$")
    }

    private static func hash(_ password: String, settingPrefix: String, cost: Int) throws -> String {
        guard let settingPointer = crypt_gensalt_ra(settingPrefix, UInt(cost), nil, 0) else {
            throw StoreError.damaged("the system cannot make a password salt")
        }
        defer { free(settingPointer) }
        guard let hashed = crypt(password, setting: String(cString: settingPointer)) else {
            throw StoreError.damaged("the system cannot hash passwords")
        }
        return hashed
    }

    private static func crypt(_ password: String, setting: String) -> String? {
        var data: UnsafeMutableRawPointer? = nil
        var size: Int32 = 0
        defer { if let data { free(data) } }
        guard let result = crypt_ra(password, setting, &data, &size) else { return nil }
        let text = String(cString: result)
        // libxcrypt signals some failures with a "*" token rather than NULL.
        return text.hasPrefix("*") ? nil : text
    }
}
