import ArgumentParser
import BoxOfficeKit

extension BoxOfficeCommand {
    /// `boxoffice resend-otp`: mails a new verification code, voiding the old one.
    struct ResendOTP: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "resend-otp",
            abstract: "Mail a new verification code (at most one a minute); the old one stops working.")

        @OptionGroup var options: StoreOptions
        @Option(help: "The email you registered.") var email: String

        func run() async throws {
            let mailer = try await MailSettings.mailer()
            let box = try options.openStore()
            // The same answer whether or not the address has an account waiting for its code:
            // this command must not tell anyone who is registered.
            if let registration = try await box.accounts.resendCode(email: email) {
                _ = try await MailSettings.sendNow(registration.mailID, of: box, to: registration.user.email, using: mailer)
            }
            let address = email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            let note = "If \(address) has an account waiting for its code, a new code is on its way there; the old one no longer works."
            if options.json {
                try Output.json(CodeRequestOutput(email: address, note: note))
            } else {
                print(note)
            }
        }
    }
}

/// What `resend-otp --json` prints.
struct CodeRequestOutput: Encodable {
    var email: String
    var note: String
}
