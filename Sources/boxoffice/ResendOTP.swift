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
            let box = try options.openStore()
            let registration = try await box.accounts.resendCode(email: email)
            let (entry, note) = try await MailSettings.sendNow(registration.mailID, of: box, to: registration.user.email)
            if options.json {
                try Output.json(RegisterOutput(user: registration.user, mail: entry, codeExpiresAt: registration.codeExpiresAt))
            } else {
                print(note)
            }
        }
    }
}
