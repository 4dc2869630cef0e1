/// The broad class of a failure, which decides how a front end reports it.
///
/// The `boxoffice` CLI maps each kind to its own exit code (see the README).
public enum ErrorKind: String, Sendable, Hashable {
    /// The input is wrong: a field is missing, malformed or out of range. Retrying will not help.
    case invalidInput
    /// The thing asked for does not exist (or is not visible to the caller).
    case notFound
    /// The request clashes with the current state: a seat is taken, a showtime overlaps.
    case conflict
    /// The caller is not logged in, not allowed, or their credentials are wrong.
    case unauthorized
    /// Something the kit needs is out of reach right now: a mail server, head office.
    case unavailable
    /// The store itself is unusable: made by a newer version, or damaged.
    case storeUnusable
}

/// An error of the kit: it says what went wrong in words a cashier understands, and of which kind.
///
/// Every public error type of BoxOfficeKit conforms, so a front end can report any of them the same
/// way: print its `description` and choose a response from ``kind``.
public protocol BoxOfficeError: Error, CustomStringConvertible, Sendable {
    /// The broad class of this failure.
    var kind: ErrorKind { get }
}

/// Bad input to any operation: names the field and what is wrong with it.
///
/// ```swift
/// throw InputError(field: "limit", reason: "must be between 1 and 200")
/// // prints: limit: must be between 1 and 200
/// ```
public struct InputError: BoxOfficeError, Hashable {
    /// The field as the caller named it, in snake_case (`time_zone`, `base_price`).
    public var field: String
    /// What is wrong with it, as a phrase that completes "field: …".
    public var reason: String

    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }

    public var kind: ErrorKind { .invalidInput }
    public var description: String { "\(field): \(reason)" }
}
