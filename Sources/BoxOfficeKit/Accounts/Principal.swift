/// Who is performing an operation: a logged-in user and their role.
///
/// Obtain one from ``Accounts/authenticate(token:)`` (or from logging in) and pass it to every
/// operation that needs permission. The kit checks the role and the ownership table
/// (``Permission``, ``CounterAction``); a front end never has to.
///
/// ```swift
/// let session = try await box.accounts.login(email: "manager@demo.example", password: password)
/// let cinema = try await box.catalog.addCinema(draft, by: session.principal)
/// ```
public struct Principal: Sendable, Hashable {
    /// The user's id.
    public let userID: String
    /// The user's role when the session was checked.
    public let role: Role
    /// The cinema the user works at when the session was checked; `nil` for a customer and for
    /// chain-wide staff (a manager with no cinema acts as head office: ``actor``).
    public let cinemaID: String?

    init(userID: String, role: Role, cinemaID: String? = nil) {
        self.userID = userID
        self.role = role
        self.cinemaID = role == .customer ? nil : cinemaID
    }

    /// Throws ``AccountError/notAllowed(_:)`` unless this principal's role includes `required`.
    ///
    /// - Parameters:
    ///   - required: The least role the operation needs.
    ///   - action: What the caller tried, for the message ("add a cinema").
    public func require(_ required: Role, toDo action: String) throws(AccountError) {
        guard role.includes(required) else {
            throw AccountError.notAllowed("only a \(required.rawValue) may \(action)")
        }
    }
}
