/// What went wrong with a catalog operation, in words a cashier or manager understands.
///
/// Plain field validation (an empty name, a negative price) throws ``InputError`` instead, naming
/// the field.
///
/// ```swift
/// do {
///     try await box.catalog.addShowtime(draft, by: manager)
/// } catch let error as CatalogError {
///     print(error)   // "Studio 1 already has Dune at 2026-11-25 19:00–21:50 (…): pick another time"
/// }
/// ```
public enum CatalogError: BoxOfficeError, Hashable {
    /// No cinema has this id (or it was removed).
    case cinemaNotFound(String)
    /// No studio has this id (or it was removed).
    case studioNotFound(String)
    /// No movie has this id (or it was removed).
    case movieNotFound(String)
    /// No showtime has this id.
    case showtimeNotFound(String)
    /// The cinema (by name) has no showtime starting at this local date and time (`2026-11-25`,
    /// `19:30` or a handle such as `19:30/2`).
    case noShowtimeAt(cinema: String, date: String, time: String)
    /// Several studios of the cinema have a showtime at this local date and time; the candidates
    /// are their handles with studio and movie (`19:30/1 (Studio 1, Dune)`). Name the studio.
    case showtimeAmbiguous(date: String, time: String, candidates: [String])
    /// A name or prefix fits several rows of one kind (`cinema`, `studio`, `movie`, `payment method`,
    /// `showtime`): the candidates say which, so the person can type more of the one they mean.
    case ambiguous(_ what: String, query: String, candidates: [String])
    /// No cinema was named and the store does not have exactly one (a counter's own): name one of
    /// the candidates.
    case cinemaNeeded(candidates: [String])
    /// No payment method has this code or id.
    case paymentMethodNotFound(String)
    /// The new showtime would overlap `existing` in the same studio.
    case showtimeOverlaps(existing: Showtime)
    /// The studio belongs to another cinema than the one the showtime was entered for.
    case studioOfAnotherCinema(studio: String, cinemaID: String)
    /// The seat layout spec does not parse; the text says what is wrong and where.
    case layoutSpecInvalid(String)
    /// The cinema already has a studio with this name.
    case studioNameTaken(String)
    /// The studio has its seats already; a layout whose seats tickets may name is never replaced.
    case studioHasLayout(String)
    /// The cinema has showtimes still to come (`sold` tickets among them): removing it would leave
    /// them on sale, or their customers without a cinema.
    case cinemaHasShowtimes(cinema: String, showtimes: Int, sold: Int)
    /// Changing the cinema's time zone would move the local time of showtimes still to come.
    case timeZoneMovesShowtimes(cinema: String, showtimes: Int, example: String)
    /// The showtime would start at or before now.
    case showtimeInPast(date: String, time: String)

    /// Not found, conflict or invalid input, which decides the CLI's exit code.
    public var kind: ErrorKind {
        switch self {
        case .cinemaNotFound, .studioNotFound, .movieNotFound, .showtimeNotFound, .noShowtimeAt,
             .paymentMethodNotFound:
            .notFound
        case .showtimeOverlaps, .studioNameTaken, .studioHasLayout, .cinemaHasShowtimes, .timeZoneMovesShowtimes:
            .conflict
        case .showtimeAmbiguous, .studioOfAnotherCinema, .layoutSpecInvalid, .ambiguous, .cinemaNeeded, .showtimeInPast:
            .invalidInput
        }
    }

    /// The message for the cashier or manager, e.g. `no cinema 0193…`.
    public var description: String {
        switch self {
        case let .cinemaNotFound(id): "no cinema \(id)"
        case let .studioNotFound(id): "no studio \(id)"
        case let .movieNotFound(id): "no movie \(id)"
        case let .showtimeNotFound(id): "no showtime \(id)"
        case let .noShowtimeAt(cinema, date, time): "no showtime starts at \(time) on \(date) at \(cinema)"
        case let .showtimeAmbiguous(date, time, candidates):
            "several showtimes start at \(time) on \(date): \(candidates.joined(separator: ", ")); name the studio, e.g. "
                + (candidates.first?.split(separator: " ").first.map(String.init) ?? "\(time)/1")
        case let .ambiguous(what, query, candidates):
            "\"\(query)\" could be \(candidates.count == 2 ? "either" : "any") of these \(what == "payment method" ? "payment methods" : what + "s"): "
                + "\(candidates.joined(separator: "; ")) — type more of the one you mean"
        case let .cinemaNeeded(candidates) where candidates.isEmpty: "this store has no cinema yet"
        case let .cinemaNeeded(candidates):
            "this store has \(candidates.count) cinemas (\(candidates.joined(separator: ", "))): name the one you mean"
        case let .paymentMethodNotFound(code): "no payment method \(code)"
        case let .showtimeOverlaps(existing):
            "\(existing.studioName.isEmpty ? "the studio" : existing.studioName) already has "
                + "\(existing.movieTitle.isEmpty ? "a showtime" : existing.movieTitle) "
                + "from \(existing.localStart.date) \(existing.localStart.time) "
                + "to \(existing.localEnd.time) (showtime \(existing.id)), cleaning included: pick another time"
        case let .studioOfAnotherCinema(studio, cinemaID): "studio \(studio) is not in cinema \(cinemaID)"
        case let .layoutSpecInvalid(reason): "the seat layout does not parse: \(reason)"
        case let .studioNameTaken(name): "this cinema already has a studio called \(name)"
        case let .studioHasLayout(name): "\(name) has its seats already: its layout cannot be replaced"
        case let .cinemaHasShowtimes(cinema, showtimes, sold):
            sold > 0
                ? "\(cinema) has \(showtimes) showtime\(showtimes == 1 ? "" : "s") still to come with \(sold) ticket\(sold == 1 ? "" : "s") held or sold: refund or move \(sold == 1 ? "it" : "them") first, or remove the cinema once \(showtimes == 1 ? "it has" : "they have") played — nothing was changed"
                : "\(cinema) has \(showtimes) showtime\(showtimes == 1 ? "" : "s") still to come: remove it with --force to cancel \(showtimes == 1 ? "it" : "them") too, or once \(showtimes == 1 ? "it has" : "they have") played — nothing was changed"
        case let .timeZoneMovesShowtimes(cinema, showtimes, example):
            "changing the time zone of \(cinema) would move the local time of \(showtimes) showtime\(showtimes == 1 ? "" : "s") still to come (\(example)) — nothing was changed"
        case let .showtimeInPast(date, time): "a showtime at \(time) on \(date) would start in the past: schedule it later"
        }
    }
}
