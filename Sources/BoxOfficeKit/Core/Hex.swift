import Foundation

/// Lower-case hexadecimal text of bytes, as the store keeps digests and keyed hashes.
enum Hex {
    /// `bytes` as two lower-case hex digits each, e.g. `[0x0f, 0xa0]` → `"0fa0"`.
    static func string(_ bytes: some Sequence<UInt8>) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    /// The bytes that `text` spells, or `nil` when it is not an even run of hex digits.
    static func bytes(_ text: String) -> [UInt8]? {
        let characters = Array(text.utf8)
        guard characters.count % 2 == 0 else { return nil }
        var result = [UInt8]()
        result.reserveCapacity(characters.count / 2)
        for index in stride(from: 0, to: characters.count, by: 2) {
            guard let byte = UInt8(String(decoding: characters[index...index + 1], as: UTF8.self), radix: 16) else {
                return nil
            }
            result.append(byte)
        }
        return result
    }
}
