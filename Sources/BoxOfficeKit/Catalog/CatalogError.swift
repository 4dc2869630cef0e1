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
    /// The cinema has no showtime starting at this local date and time (`2026-11-25`, `19:30`).
    case noShowtimeAt(cinemaID: String, date: String, time: String)
    /// Several studios of the cinema have a showtime at this local date and time; name the studio.
    case showtimeAmbiguous(date: String, time: String, studios: [String])
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

    /// Not found, conflict or invalid input, which decides the CLI's exit code.
    public var kind: ErrorKind {
        switch self {
        case .cinemaNotFound, .studioNotFound, .movieNotFound, .showtimeNotFound, .noShowtimeAt,
             .paymentMethodNotFound:
            .notFound
        case .showtimeOverlaps, .studioNameTaken, .studioHasLayout:
            .conflict
        case .showtimeAmbiguous, .studioOfAnotherCinema, .layoutSpecInvalid:
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
        case let .noShowtimeAt(cinemaID, date, time): "no showtime starts at \(date) \(time) in cinema \(cinemaID)"
        case let .showtimeAmbiguous(date, time, studios):
            "several showtimes start at \(date) \(time) (\(studios.joined(separator: ", "))): name the studio"
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
        }
    }
}
