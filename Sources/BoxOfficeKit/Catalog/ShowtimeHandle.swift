/// The short name of a showtime on its cinema's local day: its start time, and the studio when
/// more than one showtime starts then — `19:30/2`, `19:30/Studio 2`, or just `19:30`.
///
/// Every showtime prints its full handle (``Showtime/handle``): the local start `HH:MM`, a `/`, and
/// its studio's ``Showtime/studioKey`` (the number its name ends with, `2` for `Studio 2`, unless
/// another studio of the cinema ends with the same number; then the studio's name). A studio never
/// has two showtimes at once, so no two showtimes of a cinema's day share a handle, and a handle
/// never changes, since neither its start nor its studio does. A handle names a showtime of one
/// local day of one cinema: today unless a date is given.
///
/// Read back, the studio part may also be the studio's name or an unambiguous prefix of it, in any
/// case, and it may be left out when only one showtime starts at that time.
///
/// ```swift
/// let handle = ShowtimeHandle("19:30/2")          // time "19:30", studio "2"
/// let showtime = try await box.catalog.findShowtime("19:30/2", cinema: "Braga")
/// ```
public struct ShowtimeHandle: Sendable, Hashable, CustomStringConvertible {
    /// The local start time, `HH:MM`.
    public var time: String
    /// The studio part, if given.
    public var studio: String?

    /// A handle of a local start time and a studio key.
    public init(time: String, studio: String?) {
        self.time = time
        self.studio = studio
    }

    /// Reads a handle a person typed, or `nil` when `text` is not one (`19:30`, `9:05/2`, `19:30/imax`).
    public init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let parts = trimmed.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let first = parts.first, (try? LocalDateTime.parseTime(String(first))) != nil else { return nil }
        let (hour, minute) = (try? LocalDateTime.parseTime(String(first))) ?? (0, 0)
        time = String(format: "%02d:%02d", hour, minute)
        if parts.count == 2 {
            let studio = parts[1].trimmingCharacters(in: .whitespaces)
            guard !studio.isEmpty else { return nil }
            self.studio = studio
        } else {
            studio = nil
        }
    }

    /// `19:30/2`, or `19:30` without a studio.
    public var description: String { studio.map { "\(time)/\($0)" } ?? time }

    /// Whether a showtime that starts at this handle's time matches its studio part: the studio's
    /// key, name or (by the catalog's lookup rule) a prefix of its name.
    func matchesStudio(of showtime: Showtime) -> Bool {
        guard let studio else { return true }
        let key = studio.lowercased()
        return showtime.studioKey.lowercased() == key || showtime.studioName.lowercased() == key
            || showtime.studioName.lowercased().hasPrefix(key)
    }

    /// The SQL expression of the ``Showtime/studioKey`` of studio `s`: the digits its name ends
    /// with, unless another open studio of its cinema ends with the same digits; else its name.
    static func studioKeySQL(studio s: String) -> String {
        func digits(_ t: String) -> String { "substr(\(t).name, length(rtrim(\(t).name, '0123456789')) + 1)" }
        return """
            CASE WHEN \(digits(s)) <> '' AND NOT EXISTS (
                SELECT 1 FROM studios other WHERE other.cinema_id = \(s).cinema_id AND other.id <> \(s).id
                  AND other.deleted_at IS NULL AND \(digits("other")) = \(digits(s)))
            THEN \(digits(s)) ELSE \(s).name END
            """
    }
}
