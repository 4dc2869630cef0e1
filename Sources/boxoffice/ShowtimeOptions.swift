import ArgumentParser
import BoxOfficeKit

/// Where a showtime handle (`19:30/2`) is read: the cinema and its local day. Shared by every
/// command that takes a showtime.
struct ShowtimeOptions: ParsableArguments {
    /// The help of a showtime argument.
    static let argumentHelp = ArgumentHelp(
        "The showtime: its handle from `showtimes list` (19:30/2, or 19:30 when only one starts then), or its id.",
        valueName: "showtime")

    @Option(help: "The cinema, by name, a prefix of it or its id (default: the store's only cinema).")
    var cinema: String?

    @Option(help: "The local date of the handle, YYYY-MM-DD (default: today at the cinema).")
    var date: String?

    /// The showtime `reference` names (``Catalog/findShowtime(_:cinema:on:)``).
    func showtime(_ reference: String, in box: BoxOffice) async throws -> Showtime {
        try await box.catalog.findShowtime(reference, cinema: cinema, on: date)
    }
}

/// The help of an option or argument that names a catalog row.
enum NameHelp {
    static let cinema = "The cinema, by name, a prefix of it or its id (default: the store's only cinema)."
    static let studio = "The studio, by name (Studio 2), a prefix of it or its id."
    static let movie = "The movie, by title, a prefix of it or its id."
}
