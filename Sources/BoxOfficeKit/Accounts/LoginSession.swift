import Foundation

/// A successful login: the secret token to present on later calls, and who it belongs to.
///
/// The token is shown once, here; the store keeps only its SHA-256. Keep it as secret as a
/// password (the CLI writes it to a file only its user can read).
public struct LoginSession: Sendable, Hashable {
    /// 256 random bits, base64url-encoded. Present it to ``Accounts/authenticate(token:)``.
    public let token: String
    /// Who is logged in.
    public let principal: Principal
    /// The user as of the login.
    public let user: User
    /// When the session ends unless it is used before then.
    public let expiresAt: Date
}
