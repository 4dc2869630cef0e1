import Crypto
import Foundation

/// Email verification codes: 6 digits from the system CSPRNG, stored only as a keyed hash.
///
/// The hash is HMAC-SHA256 under the store's `otp_key`, over the purpose, the user's id and the
/// code, so a code of one user never matches another user's row, and a copy of the store file
/// without the key cannot be searched for the million possible codes.
enum OneTimeCode {
    /// How long a code may be used.
    static let lifetime: TimeInterval = 5 * 60
    /// Wrong tries after which a code is void.
    static let maximumAttempts = 5
    /// The least time between two codes for one user.
    static let resendInterval: TimeInterval = 60
    /// The purpose stored in `otp_codes.purpose`.
    static let verifyEmail = "verify_email"

    /// A new code: 6 decimal digits, uniformly drawn from the system CSPRNG.
    static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        let number = UInt32.random(in: 0..<1_000_000, using: &generator)
        let digits = String(number)
        return String(repeating: "0", count: 6 - digits.count) + digits
    }

    /// The hex HMAC-SHA256 stored for `code`.
    static func hash(_ code: String, userID: String, purpose: String = verifyEmail, key: SymmetricKey) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: message(code, userID: userID, purpose: purpose), using: key)
        return Hex.string(mac)
    }

    /// Whether `code` matches `storedHash`, compared in constant time.
    static func matches(_ code: String, storedHash: String, userID: String, purpose: String = verifyEmail, key: SymmetricKey) -> Bool {
        guard let stored = Hex.bytes(storedHash) else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(
            stored, authenticating: message(code, userID: userID, purpose: purpose), using: key)
    }

    /// Checks the shape of a typed code: exactly 6 digits once spaces are removed.
    static func normalised(_ raw: String) throws(InputError) -> String {
        let code = raw.filter { !$0.isWhitespace }
        guard code.count == 6, code.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw InputError(field: "code", reason: "must be the 6 digits from the email")
        }
        return code
    }

    private static func message(_ code: String, userID: String, purpose: String) -> Data {
        Data("\(purpose)\u{0}\(userID)\u{0}\(code)".utf8)
    }
}
