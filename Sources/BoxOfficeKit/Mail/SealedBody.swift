import Crypto
import Foundation

/// The bodies of a queued mail, sealed with AES-GCM under the store's `mail_key`.
///
/// The seal authenticates the message id too, so a body cannot be moved to another row unnoticed.
struct SealedBody: Codable {
    var text: String
    var html: String

    func sealed(messageID: String, key: SymmetricKey) throws -> Data {
        let plain = try JSONEncoder().encode(self)
        let box = try AES.GCM.seal(plain, using: key, authenticating: Data(messageID.utf8))
        guard let combined = box.combined else { throw StoreError.damaged("cannot seal a mail body") }
        return combined
    }

    static func opened(_ sealed: Data, messageID: String, key: SymmetricKey) throws -> SealedBody {
        do {
            let box = try AES.GCM.SealedBox(combined: sealed)
            let plain = try AES.GCM.open(box, using: key, authenticating: Data(messageID.utf8))
            return try JSONDecoder().decode(SealedBody.self, from: plain)
        } catch {
            throw StoreError.damaged("the body of mail \(messageID) cannot be opened")
        }
    }
}
