import BoxOfficeKit

/// The exit codes of `boxoffice`, one per kind of failure, so scripts can tell them apart.
/// The README lists them; they follow the BSD `sysexits.h` numbers where one fits.
enum ExitStatus: Int32 {
    case success = 0
    /// The command line is wrong (an unknown option, a missing argument).
    case usage = 64
    /// A value is wrong: an empty name, a layout that does not parse, a negative price.
    case invalidInput = 65
    /// The cinema, showtime, booking or user does not exist.
    case notFound = 66
    /// The request clashes with the store: a seat is taken, showtimes overlap, an email is registered.
    case conflict = 67
    /// A server the command needs (mail, head office) is out of reach.
    case unavailable = 69
    /// The store cannot be used: made by a newer version, or damaged.
    case storeUnusable = 74
    /// Not logged in, wrong password, or not allowed.
    case unauthorized = 77

    init(_ kind: ErrorKind) {
        switch kind {
        case .invalidInput: self = .invalidInput
        case .notFound: self = .notFound
        case .conflict: self = .conflict
        case .unauthorized: self = .unauthorized
        case .unavailable: self = .unavailable
        case .storeUnusable: self = .storeUnusable
        }
    }
}
