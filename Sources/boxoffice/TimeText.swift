import BoxOfficeKit
import Foundation

/// Times as a person reads them: local, and marked with their zone.
///
/// Times of one cinema (holds, showtimes, receipts) are in its zone; times of the store or the
/// chain (mail, sync, conflicts, lockouts) are in the zone of the store's only cinema, else in the
/// machine's. `--json` keeps UTC ISO 8601 (and the `local_*` fields).
enum TimeText {
    /// `2026-12-01 15:24 (Asia/Jakarta)`.
    static func text(_ date: Date, in zone: TimeZone) -> String {
        "\(LocalDateTime(date, timeZone: zone)) (\(zone.identifier))"
    }

    /// The zone for the store's own times: its only cinema's (a counter's), else the machine's.
    static func zone(of box: BoxOffice) async -> TimeZone {
        (try? await box.catalog.findCinema().zone) ?? .current
    }
}
