import Foundation

/// Local wall-clock times of a cinema.
enum SalesTime {
    /// `date` in `timeZone` as `YYYY-MM-DD HH:MM` (UTC when the zone is unknown).
    static func format(_ date: Date, timeZone: String) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: timeZone) ?? .gmt
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        func two(_ value: Int?) -> String { value.map { $0 < 10 ? "0\($0)" : "\($0)" } ?? "00" }
        return "\(parts.year ?? 0)-\(two(parts.month))-\(two(parts.day)) \(two(parts.hour)):\(two(parts.minute))"
    }

    /// The instant of local `date` (`YYYY-MM-DD`) and `time` (`HH:MM`) in `timeZone`.
    static func instant(date: String, time: String, timeZone: String) throws(InputError) -> Date {
        let day = date.split(separator: "-").compactMap { Int($0) }
        guard date.count == 10, day.count == 3 else {
            throw InputError(field: "date", reason: "must be a date like 2026-01-31")
        }
        let clock = time.split(separator: ":").compactMap { Int($0) }
        guard (4...5).contains(time.count), clock.count == 2, (0...23).contains(clock[0]), (0...59).contains(clock[1]) else {
            throw InputError(field: "time", reason: "must be a time like 19:30")
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: timeZone) ?? .gmt
        let components = DateComponents(year: day[0], month: day[1], day: day[2], hour: clock[0], minute: clock[1])
        guard components.isValidDate(in: calendar), let instant = calendar.date(from: components) else {
            throw InputError(field: "date", reason: "must be a date like 2026-01-31")
        }
        return instant
    }
}
