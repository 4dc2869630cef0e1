import Foundation

/// A wall-clock date and time in a cinema's time zone, as people type and read them.
///
/// The store keeps UTC instants; a showtime shows its start and end as `LocalDateTime`s of its
/// cinema's zone.
///
/// ```swift
/// let start = try LocalDateTime(date: "2026-11-25", time: "19:30", timeZone: "Asia/Jakarta")
/// print(start.instant)   // 2026-11-25 12:30:00 +0000
/// print(start.iso8601)   // "2026-11-25T19:30:00+07:00"
/// ```
public struct LocalDateTime: Hashable, Sendable, CustomStringConvertible {
    /// The local date, `YYYY-MM-DD`.
    public let date: String
    /// The local time, `HH:MM` (24-hour).
    public let time: String
    /// The IANA time zone of the date and time.
    public let timeZone: String
    /// The UTC instant this local date and time denote.
    public let instant: Date

    /// Reads a date and time that a person typed in `timeZone`.
    ///
    /// ```swift
    /// let start = try LocalDateTime(date: "2026-11-25", time: "19:30", timeZone: "Asia/Makassar")
    /// ```
    ///
    /// - Parameters:
    ///   - date: `YYYY-MM-DD`.
    ///   - time: `HH:MM`, 24-hour.
    ///   - timeZone: An IANA time zone identifier.
    /// - Throws: ``InputError`` naming `date`, `time` or `time_zone`; also when the time does not
    ///   exist on that day (skipped by a daylight-saving change).
    public init(date: String, time: String, timeZone: String) throws(InputError) {
        guard let zone = TimeZone(identifier: timeZone) else {
            throw InputError(field: "time_zone", reason: "must be an IANA time zone like Asia/Jakarta, not '\(timeZone)'")
        }
        let (year, month, day) = try Self.parseDate(date)
        let (hour, minute) = try Self.parseTime(time)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute)
        guard let instant = calendar.date(from: components) else {
            throw InputError(field: "date", reason: "\(date) \(time) is not a time in \(timeZone)")
        }
        let check = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: instant)
        guard check.year == year, check.month == month, check.day == day else {
            throw InputError(field: "date", reason: "\(date) is not a day of the calendar")
        }
        guard check.hour == hour, check.minute == minute else {
            throw InputError(field: "time", reason: "\(time) does not exist on \(date) in \(timeZone) (the clocks skip it)")
        }
        self.init(instant, timeZone: zone)
    }

    /// The local date and time of `instant` in `timeZone`.
    ///
    /// ```swift
    /// let local = LocalDateTime(Date(), timeZone: TimeZone(identifier: "Asia/Jakarta")!)
    /// ```
    public init(_ instant: Date, timeZone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: instant)
        self.date = String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
        self.time = String(format: "%02d:%02d", parts.hour ?? 0, parts.minute ?? 0)
        self.timeZone = timeZone.identifier
        self.instant = instant
    }

    /// ISO 8601 with the zone's offset: `2026-11-25T19:30:00+07:00`.
    public var iso8601: String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: timeZone) ?? .gmt
        return formatter.string(from: instant)
    }

    /// `2026-11-25 19:30`.
    public var description: String { "\(date) \(time)" }

    /// The UTC instants at which the local day `date` begins and ends in `timeZone`.
    static func day(_ date: String, timeZone: TimeZone) throws(InputError) -> Range<Date> {
        let start = try LocalDateTime(date: date, time: "00:00", timeZone: timeZone.identifier).instant
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let end = calendar.date(byAdding: .day, value: 1, to: start) ?? start.addingTimeInterval(86_400)
        return start..<end
    }

    static func parseDate(_ text: String) throws(InputError) -> (Int, Int, Int) {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1...12).contains(month), (1...31).contains(day)
        else { throw InputError(field: "date", reason: "must be a date like 2026-11-25, not '\(text)'") }
        return (year, month, day)
    }

    static func parseTime(_ text: String) throws(InputError) -> (Int, Int) {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let hour = Int(parts[0]), let minute = Int(parts[1]), (0...23).contains(hour), (0...59).contains(minute)
        else { throw InputError(field: "time", reason: "must be a 24-hour time like 19:30, not '\(text)'") }
        return (hour, minute)
    }
}
