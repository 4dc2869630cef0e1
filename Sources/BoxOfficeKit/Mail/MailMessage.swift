import Foundation

/// One email, as handed to a ``Mailer``: who it is for, what it says in plain text and HTML.
public struct MailMessage: Sendable, Hashable {
    /// The `Message-ID` without angle brackets, unique per message (`id@host`).
    public var messageID: String
    /// The recipient's address.
    public var recipient: String
    /// The subject line. It is stored unsealed in the outbox, so it never carries a secret.
    public var subject: String
    /// The plain-text body.
    public var text: String
    /// The HTML body.
    public var html: String
    /// When the message was written (its `Date` header).
    public var date: Date

    public init(messageID: String, recipient: String, subject: String, text: String, html: String, date: Date) {
        self.messageID = messageID
        self.recipient = recipient
        self.subject = subject
        self.text = text
        self.html = html
        self.date = date
    }
}

/// Sends one message. ``SMTPMailer`` is the real one; an embedding app may supply another.
///
/// ```swift
/// let mailer = SMTPMailer(configuration: try SMTPMailer.Configuration(
///     url: "smtp://mailer:secret@mail.example.com:587", startTLS: .required, from: "tickets@example.com"))
/// let report = try await box.mail.deliverDue(using: mailer)
/// ```
public protocol Mailer: Sendable {
    /// Hands `message` to the mail server, returning once it accepted it.
    ///
    /// - Throws: ``MailError/deliveryFailed(_:)`` when the server did not accept it.
    func send(_ message: MailMessage) async throws
}
