import Foundation

/// How an import reads the old database's values.
///
/// ```swift
/// var options = LegacyImportOptions()
/// options.timeZone = "Asia/Makassar"          // the old timestamps are Bali wall-clock times
/// let plan = try LegacyImportPlan(snapshot, mapping: mapping, options: options)
/// ```
public struct LegacyImportOptions: Sendable, Hashable {
    /// The IANA zone the old zone-less timestamps are read in: `Asia/Jakarta`, the zone the old
    /// application asked its database for.
    public var timeZone = "Asia/Jakarta"
    /// The zone the imported cinemas get; `nil` means ``timeZone``.
    public var cinemaTimeZone: String?
    /// "Now" for the import: unpaid bookings of showtimes that started before it are expired, the
    /// others held from it for ``holdDuration``.
    public var now = Date()
    /// How long an unpaid old booking of a future showtime stays held.
    public var holdDuration: Duration = BoxOffice.Configuration().holdDuration
    /// The cleaning time after a movie: an imported showtime ends at its start plus the movie's
    /// duration plus this (the old `end_time` is not kept consistent and is not used).
    public var cleaningBuffer: Duration = BoxOffice.Configuration().cleaningBuffer

    /// The defaults: old timestamps and cinemas in `Asia/Jakarta`, now, the store's default hold
    /// and cleaning buffer.
    public init() {}

    /// The zone the imported cinemas get.
    public var resolvedCinemaTimeZone: String { cinemaTimeZone ?? timeZone }

    /// The options with every zone checked and written as the system names it.
    ///
    /// - Throws: ``LegacyImportError/unknownTimeZone(_:)``.
    public func validated() throws(LegacyImportError) -> LegacyImportOptions {
        var options = self
        options.timeZone = try Self.zone(timeZone)
        options.cinemaTimeZone = try cinemaTimeZone.map(Self.zone)
        return options
    }

    private static func zone(_ text: String) throws(LegacyImportError) -> String {
        do {
            return try CatalogInput.timeZone(text)
        } catch {
            throw .unknownTimeZone(text)
        }
    }
}
