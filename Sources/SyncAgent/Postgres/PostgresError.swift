import Foundation
import BoxOfficeKit

/// A failure talking to head office's PostgreSQL, with the server's SQLSTATE when it sent one.
///
/// ```swift
/// do { try connection.execute("INSERT …") }
/// catch let error as PostgresError where error.sqlState == PostgresError.uniqueViolation
///     && error.constraint == "bookings_code_key" { … }
/// ```
///
/// Recognise a refusal by its SQLSTATE and constraint name, never by the wording of its message.
public struct PostgresError: BoxOfficeError, Equatable {
    /// The five-character SQLSTATE code (`23505`), or `nil` for a client-side failure.
    public var sqlState: String?
    /// The server's (or libpq's) primary message.
    public var message: String
    /// The server's detail line, if any.
    public var detail: String?
    /// The name of the constraint the statement broke, when it broke one.
    public var constraint: String?
    /// Whether the failure was reaching the server rather than a statement being refused.
    public var isConnectionFailure: Bool

    /// Creates an error; the connection makes them from the server's answer.
    public init(
        sqlState: String? = nil, message: String, detail: String? = nil, constraint: String? = nil,
        isConnectionFailure: Bool = false
    ) {
        self.sqlState = sqlState
        self.message = message
        self.detail = detail
        self.constraint = constraint
        self.isConnectionFailure = isConnectionFailure
    }

    /// `23505`: a unique constraint refused the row.
    public static let uniqueViolation = "23505"
    /// SQLSTATE `foreign_key_violation`: head office's functions raise it for a row that does not exist.
    public static let foreignKeyViolation = "23503"
    /// `42501`: the role lacks the privilege.
    public static let insufficientPrivilege = "42501"
    /// `40001`: a serializable transaction lost a race; retry it.
    public static let serializationFailure = "40001"
    /// `40P01`: a deadlock was broken by aborting this transaction; retry it.
    public static let deadlockDetected = "40P01"
    /// `28P01`: the server refused the role's password (a rotated or revoked node, a mistyped URL).
    public static let invalidPassword = "28P01"
    /// `BX001` (head office's own): the counter and head office speak different sync protocols.
    public static let protocolMismatch = "BX001"
    /// `BX003` (head office's own): a pulling store numbers its changes below what head office holds
    /// of its node — it was restored from a backup or copied; the detail is the first number it may use.
    public static let storeBehind = "BX003"

    /// Whether retrying the same work later may succeed: the server was out of reach, is starting
    /// or shutting down, or the transaction lost a race.
    public var isTransient: Bool {
        if isConnectionFailure { return true }
        guard let sqlState else { return false }
        return sqlState.hasPrefix("08")     // connection exception
            || sqlState.hasPrefix("57P")    // operator intervention: shutdown, cannot connect now
            || sqlState.hasPrefix("53")     // insufficient resources
            || sqlState == Self.serializationFailure || sqlState == Self.deadlockDetected
    }

    public var kind: ErrorKind {
        // Head office cannot be used until one side is upgraded; the counter keeps selling.
        if isTransient || sqlState == Self.protocolMismatch { return .unavailable }
        if sqlState == Self.insufficientPrivilege || sqlState?.hasPrefix("28") == true { return .unauthorized }
        // Head office says "no such row" (a node, a conflict, a showtime) as a foreign-key violation.
        if sqlState == Self.foreignKeyViolation { return .notFound }
        if sqlState?.hasPrefix("23") == true { return .conflict }
        return .invalidInput
    }

    public var description: String {
        let prefix = isConnectionFailure ? "head office is unreachable" : "head office refused the request"
        // libpq spreads some messages over several lines; a cashier gets one.
        let oneLine = message.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        var text = "\(prefix): \(oneLine)"
        if let sqlState { text += " (SQLSTATE \(sqlState))" }
        if let detail, !detail.isEmpty { text += " — \(detail)" }
        return text
    }
}
