import Foundation

/// What went wrong with an account, a login, a verification code or a permission.
public enum AccountError: BoxOfficeError, Equatable {
    /// The email or password is wrong (deliberately not saying which).
    case wrongCredentials
    /// The account has not verified its email yet; verify with the code that was mailed.
    case notVerified(email: String)
    /// Too many failed logins: the account is locked until the given instant (printed in the
    /// machine's time zone, marked).
    case locked(until: Date)
    /// No session: the caller must log in first.
    case notLoggedIn
    /// The session ran out; log in again.
    case sessionExpired
    /// The session was ended by logging out; log in again.
    case sessionRevoked
    /// The user's role does not allow the operation.
    case notAllowed(String)
    /// No user has that email or id.
    case userNotFound(String)
    /// A user with that email already exists.
    case emailAlreadyRegistered(String)
    /// The store already has a manager; use an existing manager to add staff.
    case alreadyInitialised
    /// The verification code is wrong; the code stays valid for `attemptsLeft` more tries.
    case otpWrong(attemptsLeft: Int)
    /// The verification code is too old (or none was sent); ask for a new one.
    case otpExpired
    /// The code was entered wrongly too often and no longer works; ask for a new one.
    case otpTooManyAttempts
    /// A new code was sent moments ago; another may be asked for after `retryAfterSeconds`.
    case otpResendTooSoon(retryAfterSeconds: Int)
    /// A new code was made moments ago but its mail is still queued (no mail server reached yet);
    /// another may be asked for after `retryAfterSeconds`.
    case otpStillQueued(retryAfterSeconds: Int)
    /// The email is verified already; just log in.
    case alreadyVerified(email: String)

    public var kind: ErrorKind {
        switch self {
        case .userNotFound: .notFound
        case .emailAlreadyRegistered, .alreadyInitialised, .alreadyVerified, .otpResendTooSoon, .otpStillQueued: .conflict
        case .wrongCredentials, .notVerified, .locked, .notLoggedIn, .sessionExpired, .sessionRevoked, .notAllowed,
             .otpWrong, .otpExpired, .otpTooManyAttempts:
            .unauthorized
        }
    }

    public var description: String {
        switch self {
        case .wrongCredentials: "wrong email or password"
        case let .notVerified(email): "\(email) is not verified yet: enter the code we emailed (or ask for a new one)"
        case let .locked(until):
            "too many failed logins: this account is locked until \(LocalDateTime(until, timeZone: .current)) (\(TimeZone.current.identifier))"
        case .notLoggedIn: "not logged in: log in first"
        case .sessionExpired: "your session has expired: log in again"
        case .sessionRevoked: "you have logged out: log in again"
        case let .notAllowed(reason): "not allowed: \(reason)"
        case let .userNotFound(who): "no user \(who)"
        case let .emailAlreadyRegistered(email): "\(email) is already registered"
        case .alreadyInitialised: "this store already has a manager"
        case let .otpWrong(attemptsLeft) where attemptsLeft == 1:
            "that code is wrong: you have 1 more try before you need a new code"
        case let .otpWrong(attemptsLeft): "that code is wrong: you have \(attemptsLeft) more tries before you need a new code"
        case .otpExpired: "that code has expired: ask for a new one"
        case .otpTooManyAttempts: "that code was entered wrongly too many times and no longer works: ask for a new one"
        case let .otpResendTooSoon(seconds):
            "a code was mailed moments ago: check your mail, or ask for a new one in \(seconds) second\(seconds == 1 ? "" : "s")"
        case let .otpStillQueued(seconds):
            "a code was made moments ago but its mail has not gone out yet: ask for a new one in \(seconds) second\(seconds == 1 ? "" : "s")"
        case let .alreadyVerified(email): "\(email) is already verified: just log in"
        }
    }
}
