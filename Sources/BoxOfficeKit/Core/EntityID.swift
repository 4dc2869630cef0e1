import Foundation

/// Makes the ids of rows that travel to head office: UUIDv7 text, made where the row was created.
///
/// A UUIDv7 starts with a 48-bit Unix timestamp in milliseconds, so ids sort by creation time and
/// keep SQLite's and PostgreSQL's indexes append-mostly, while 74 random bits keep two offline
/// counters from ever making the same id.
///
/// ```swift
/// let id = EntityID.make()   // "019375c2-8f3a-7b1e-9c4d-2f6a8b0e1d37"
/// ```
public enum EntityID {
    /// Returns a new lower-case UUIDv7 string.
    ///
    /// - Parameter date: The instant encoded in the id; the current time by default.
    public static func make(at date: Date = Date()) -> String {
        var generator = SystemRandomNumberGenerator()
        let millis = UInt64(max(0, date.timeIntervalSince1970 * 1000))
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<6 {
            bytes[index] = UInt8(truncatingIfNeeded: millis >> (8 * (5 - index)))
        }
        for index in 6..<16 {
            bytes[index] = UInt8.random(in: 0...255, using: &generator)
        }
        bytes[6] = (bytes[6] & 0x0F) | 0x70  // version 7
        bytes[8] = (bytes[8] & 0x3F) | 0x80  // RFC 9562 variant
        let uuid = UUID(uuid: (
            bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
            bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
        return uuid.uuidString.lowercased()
    }

    /// Whether `text` is a UUID in canonical text form (any version), as every synced id must be.
    public static func isValid(_ text: String) -> Bool {
        text.count == 36 && UUID(uuidString: text) != nil
    }
}
