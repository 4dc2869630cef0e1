import Crypto
import Foundation
import GRDB

/// The keys in `local_secrets`, made at random when the store was created; they never leave it.
enum LocalSecret: String {
    /// Keys the HMAC-SHA256 of one-time codes.
    case otpKey = "otp_key"
    /// Seals queued mail bodies with AES-GCM.
    case mailKey = "mail_key"

    /// The key, read in the caller's transaction.
    ///
    /// - Throws: ``StoreError/damaged(_:)`` when the store lacks it.
    func key(_ db: Database) throws -> SymmetricKey {
        guard let data = try Data.fetchOne(db, sql: "SELECT value FROM local_secrets WHERE name = ?", arguments: [rawValue]),
              data.count >= 32
        else { throw StoreError.damaged("the store has no \(rawValue)") }
        return SymmetricKey(data: data.prefix(32))
    }
}
