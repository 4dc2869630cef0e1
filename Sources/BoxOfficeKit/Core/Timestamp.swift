import Foundation

/// Reading the text forms of an instant that the stores write: SQLite's `2026-12-01 08:29:34.322`
/// (UTC), PostgreSQL's `2026-12-01 08:29:34.322+00`, and ISO 8601 `2026-12-01T08:29:34.322Z` or
/// `…+07:00`.
enum Timestamp {
    /// The instant `text` denotes, or `nil` when it is none of the forms above. A time without an
    /// offset is UTC.
    static func parse(_ text: String) -> Date? {
        let pattern = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/
        guard let match = text.trimmingCharacters(in: .whitespaces).wholeMatch(of: pattern) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        let components = DateComponents(
            year: Int(match.1), month: Int(match.2), day: Int(match.3),
            hour: Int(match.4), minute: Int(match.5), second: match.6.flatMap { Int($0) } ?? 0)
        guard var date = calendar.date(from: components) else { return nil }
        if let fraction = match.7, let value = Double("0." + fraction) { date += value }
        if let zone = match.8, zone != "Z" {
            let digits = zone.dropFirst().filter(\.isNumber)
            let hours = Int(digits.prefix(2)) ?? 0, minutes = Int(digits.dropFirst(2)) ?? 0
            let offset = TimeInterval(hours * 3600 + minutes * 60)
            date -= zone.hasPrefix("-") ? -offset : offset
        }
        return date
    }
}
