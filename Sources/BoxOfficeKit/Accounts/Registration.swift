import Foundation

/// A registration or a new code: the (unverified) user, and the queued mail that carries the code.
///
/// The code itself is never returned: it exists only in the sealed mail.
public struct Registration: Sendable, Hashable {
    /// The user, not yet verified.
    public let user: User
    /// The outbox id of the mail with the code; deliver it with ``MailOutbox/deliver(id:using:policy:)``.
    public let mailID: Int64
    /// When the code stops working.
    public let codeExpiresAt: Date
}
