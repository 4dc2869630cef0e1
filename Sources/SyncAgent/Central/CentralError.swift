import BoxOfficeKit

/// What went wrong at head office's side of sync, beyond a PostgreSQL error.
public enum CentralError: BoxOfficeError, Equatable {
    /// Head office's database was set up by a newer version of BoxOfficeKit.
    case newerSchema([String])
    /// A seat list like `A1-A20` that does not parse.
    case badSeatRange(String)

    public var kind: ErrorKind {
        switch self {
        case .newerSchema: .storeUnusable
        case .badSeatRange: .invalidInput
        }
    }

    public var description: String {
        switch self {
        case let .newerSchema(versions):
            "head office's database was set up by a newer version (\(versions.joined(separator: ", "))); upgrade this program"
        case let .badSeatRange(text):
            "seats: \"\(text)\" is not a seat or a range like A1-A20"
        }
    }
}
