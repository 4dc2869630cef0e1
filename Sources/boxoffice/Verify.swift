import ArgumentParser
import BoxOfficeKit

extension BoxOfficeCommand {
    /// `boxoffice verify`: enter the mailed code; verifies the account and logs in.
    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Verify your email with the mailed code, and log in.")

        @OptionGroup var options: StoreOptions
        @Option(help: "The email you registered.") var email: String
        @Option(help: "The 6-digit code from the mail.") var code: String

        func run() async throws {
            let box = try options.openStore()
            let session = try await box.accounts.verify(email: email, code: code)
            try options.sessionFile.write(session.token)
            try LoginOutput.print(session, options: options, verb: "Verified")
        }
    }
}
