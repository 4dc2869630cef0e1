import Foundation
import GRDB

extension Accounts {
    /// Registers a customer the way a public web form must: the answer is the same whether or not
    /// the address already has an account, so the form tells no one which addresses do.
    ///
    /// A new address is registered as `register(name:email:phone:password:)` does (unverified, a
    /// code mailed). An address that has an account already gets a mail saying so instead — at most
    /// one such mail a minute — and the account is left as it is: its name, phone and password are
    /// not changed by whoever typed the form.
    ///
    /// ```swift
    /// let mailID = try await box.accounts.registerQuietly(
    ///     name: "Siti", email: "siti@example.com", phone: "0812-3456-7890", password: password)
    /// if let mailID { _ = try await box.mail.deliver(id: mailID, using: mailer) }
    /// ```
    ///
    /// - Returns: The queued mail's id, or `nil` when an "account exists" mail went out less than a
    ///   minute ago.
    /// - Throws: ``InputError`` naming `name`, `email`, `phone` or `password` (the form's own
    ///   mistakes, which say nothing about other accounts).
    public func registerQuietly(name: String, email: String, phone: String, password: String) async throws -> Int64? {
        let checkedName = try AccountInput.name(name)
        let checkedEmail = try AccountInput.email(email)
        _ = try AccountInput.phone(phone)
        try AccountInput.checkPassword(password, email: checkedEmail)
        do {
            return try await register(name: checkedName, email: checkedEmail, phone: phone, password: password).mailID
        } catch AccountError.emailAlreadyRegistered {
            let now = box.now
            return try await box.writer.write { db -> Int64? in
                if let last = try Date.fetchOne(db, sql: """
                    SELECT created_at FROM mail_outbox WHERE recipient = ? AND subject = ? ORDER BY id DESC LIMIT 1
                    """, arguments: [checkedEmail, AccountExistsMail.subject]),
                   now.timeIntervalSince(last) < OneTimeCode.resendInterval {
                    return nil
                }
                return try MailOutbox.enqueue(
                    recipient: checkedEmail, subject: AccountExistsMail.subject,
                    text: AccountExistsMail.text, html: AccountExistsMail.html, in: db, now: now)
            }
        }
    }
}

/// The mail that answers a registration of an address that has an account already.
enum AccountExistsMail {
    static let subject = "Your BoxOffice account"

    static let text = """
        Hello,

        Someone, perhaps you, tried to register this address, but it has an account already.
        Log in with your password instead. If it was not you, ignore this mail: nothing was changed.
        """

    static let html = """
        <!DOCTYPE html>
        <html><body style="font-family: sans-serif">
        <p>Hello,</p>
        <p>Someone, perhaps you, tried to register this address, but it has an account already.<br>
        Log in with your password instead. If it was not you, ignore this mail: nothing was changed.</p>
        </body></html>
        """
}
