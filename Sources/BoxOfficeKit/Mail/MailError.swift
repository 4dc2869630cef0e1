/// What went wrong with mail: its settings, its delivery, or a queued message.
public enum MailError: BoxOfficeError, Equatable {
    /// A mail setting is missing or malformed; names the setting (e.g. `BOXOFFICE_SMTP_URL`).
    case invalidSetting(name: String, reason: String)
    /// The mail settings could not be read (an unreadable `.env` or JSON file).
    case cannotReadSettings(String)
    /// The mail server could not take the message; it stays queued and is tried again later.
    case deliveryFailed(String)
    /// No queued mail has that id.
    case mailNotFound(Int64)

    public var kind: ErrorKind {
        switch self {
        case .invalidSetting, .cannotReadSettings: .invalidInput
        case .deliveryFailed: .unavailable
        case .mailNotFound: .notFound
        }
    }

    public var description: String {
        switch self {
        case let .invalidSetting(name, reason): "mail setting \(name): \(reason)"
        case let .cannotReadSettings(reason): "cannot read the mail settings: \(reason)"
        case let .deliveryFailed(reason): "the mail server did not take the message (it stays queued): \(reason)"
        case let .mailNotFound(id): "no mail \(id) in the outbox"
        }
    }
}
