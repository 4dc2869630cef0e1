import Foundation
import GRDB

extension BoxOffice {
    /// Cinemas, studios and their seats, movies, showtimes and payment methods.
    ///
    /// ```swift
    /// let page = try await box.catalog.cinemas(page: PageRequest(page: 1, limit: 20))
    /// ```
    public var catalog: Catalog { Catalog(box: self) }
}

/// What a cinema offers: its studios and seat layouts, the movies, the showtimes and how people pay.
///
/// Reading needs no login; every change needs a manager's ``Principal``. Each change is one
/// transaction: it is journalled in the change log for head office, or, when it fails, nothing of it
/// is written.
///
/// ```swift
/// let session = try await box.accounts.login(email: "manager@demo.example", password: "demo-pass-123")
/// let cinema = try await box.catalog.addCinema(
///     CinemaDraft(name: "Cinema Senayan", city: "Jakarta"), by: session.principal)
/// let studio = try await box.catalog.addStudio(
///     cinemaID: cinema.id, name: "Studio 1", layout: "rows A-J; seats 1-20; aisles after 4,16",
///     by: session.principal)
/// ```
///
/// ## Topics
///
/// ### Cinemas
/// - ``addCinema(_:by:)``
/// - ``editCinema(id:_:by:)``
/// - ``removeCinema(id:cancellingShowtimes:by:)``
/// - ``showtimesToCome(cinemaID:)``
/// - ``cinema(id:)``
/// - ``cinemas(page:)``
///
/// ### Studios and seats
/// - ``addStudio(cinemaID:name:layout:by:)``
/// - ``completeLayout(studioID:layout:by:)``
/// - ``studios(cinemaID:)``
/// - ``studio(id:)``
/// - ``seats(studioID:)``
/// - ``SeatLayout``
///
/// ### Movies
/// - ``addMovie(_:by:)``
/// - ``movie(id:)``
/// - ``movies(page:)``
///
/// ### Showtimes
/// - ``addShowtime(_:by:)``
/// - ``addShowtimes(_:by:)``
/// - ``setPrice(showtimeID:basePrice:priceModifiers:by:)``
/// - ``showtime(id:)``
/// - ``showtimes(cinemaID:on:)``
/// - ``today(cinemaID:)``
/// - ``showtime(cinemaID:date:time:studioID:)``
///
/// ### Payment methods
/// - ``paymentMethods(includingDisabled:)``
/// - ``setPaymentMethod(_:enabled:by:)``
public struct Catalog: Sendable {
    let box: BoxOffice
}

/// Validation of what managers type into catalog forms; each failure names its field.
enum CatalogInput {
    /// `raw` trimmed, or an error naming `field` when it is empty, longer than `maximum` or not
    /// ``HumanText``.
    static func text(_ raw: String, field: String, maximum: Int = 200) throws(InputError) -> String {
        try HumanText.checked(raw, field: field, maximum: maximum)
    }

    /// `raw` trimmed, which may be empty, at most `maximum` characters of ``HumanText``.
    static func optionalText(_ raw: String, field: String, maximum: Int = 2000) throws(InputError) -> String {
        try HumanText.checked(raw, field: field, maximum: maximum, allowsEmpty: true)
    }

    /// The IANA identifier, or an error when the system does not know it.
    static func timeZone(_ raw: String) throws(InputError) -> String {
        let identifier = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !identifier.isEmpty, identifier.contains("/") || identifier == "UTC",
              let zone = TimeZone(identifier: identifier)
        else {
            throw InputError(field: "time_zone", reason: "must be an IANA time zone like Asia/Jakarta, not '\(raw)'")
        }
        return zone.identifier
    }

    /// Encodes `value` as compact JSON text for a JSON column.
    static func jsonText<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
