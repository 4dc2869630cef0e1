import ArgumentParser
import BoxOfficeKit
import Foundation

extension BoxOfficeCommand {
    /// `boxoffice register`: a customer creates an account and is mailed a verification code.
    struct Register: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register as a customer; a verification code is mailed to you.",
            discussion: "The password is asked for without echo, or read from standard input with --password-stdin.")

        @OptionGroup var options: StoreOptions
        @Option(help: "Your name.") var name: String
        @Option(help: "Your email address; the code is sent there.") var email: String
        @Option(help: "Your mobile number, 08… or +62….") var phone: String
        @OptionGroup var password: PasswordOptions

        func run() async throws {
            // A mail setting that does not read is refused before the account exists, so a retry
            // after fixing it is not "already registered".
            let mailer = try await MailSettings.mailer()
            let secret = try password.read(confirm: true)
            let box = try options.openStore()
            let registration = try await box.accounts.register(name: name, email: email, phone: phone, password: secret)
            let (entry, note) = try await MailSettings.sendNow(registration.mailID, of: box, to: registration.user.email, using: mailer)
            if options.json {
                try Output.json(RegisterOutput(user: registration.user, mail: entry, codeExpiresAt: registration.codeExpiresAt))
            } else {
                print("Registered \(registration.user.email). \(note)")
                print("Then run: boxoffice verify --email \(registration.user.email) --code <code>")
            }
        }
    }
}

/// What `register --json` and `resend-otp --json` print.
struct RegisterOutput: Encodable {
    var user: User
    var mail: MailOutbox.Entry
    var codeExpiresAt: Date
}
