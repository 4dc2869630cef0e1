import BoxOfficeKit
import Foundation

/// The mail server the CLI uses, if one is configured: `BOXOFFICE_SMTP_URL`,
/// `BOXOFFICE_SMTP_STARTTLS` and `BOXOFFICE_MAIL_FROM` from the environment, `./.env`, or the JSON
/// file named by `BOXOFFICE_CONFIG_FILE` (first found wins, in that order).
enum MailSettings {
    /// The mailer, or `nil` when `BOXOFFICE_SMTP_URL` is not set.
    ///
    /// - Throws: ``MailError`` for a bad setting or an unreadable settings file.
    static func mailer() async throws -> SMTPMailer? {
        let environment = ProcessInfo.processInfo.environment
        let jsonFile = environment["BOXOFFICE_CONFIG_FILE"].flatMap { $0.isEmpty ? nil : $0 }
        return try await SMTPMailer.Configuration.load(environment: environment, environmentFilePath: ".env", jsonFilePath: jsonFile)
            .map(SMTPMailer.init(configuration:))
    }

    /// Tries to send one queued mail now with `mailer` (read by ``mailer()`` before anything was
    /// written, so a bad setting changes nothing); returns a line for the user.
    static func sendNow(
        _ mailID: Int64, of box: BoxOffice, to recipient: String, using mailer: SMTPMailer?
    ) async throws -> (entry: MailOutbox.Entry, note: String) {
        guard let mailer else {
            return (try await box.mail.entry(id: mailID),
                    "No mail server is configured: the code waits in the outbox until one is (a manager sees it with `boxoffice mail list`).")
        }
        let entry = try await box.mail.deliver(id: mailID, using: mailer)
        if entry.status == .sent {
            return (entry, "A 6-digit code was mailed to \(recipient); it works for 5 minutes.")
        }
        return (entry, "The mail server did not take the code (\(entry.lastError ?? "unknown error")); it stays queued and `boxoffice mail send` retries it.")
    }
}
