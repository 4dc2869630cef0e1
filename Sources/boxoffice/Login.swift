import ArgumentParser
import BoxOfficeKit
import Foundation

extension BoxOfficeCommand {
    /// `boxoffice login`: starts a session and keeps its token beside the store (mode 0600).
    struct Login: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Log in; the session is kept in <store>.session, readable only by you.",
            discussion: "The password is asked for without echo, or read from standard input with --password-stdin.")

        @OptionGroup var options: StoreOptions
        @Option(help: "Your email address.") var email: String
        @OptionGroup var password: PasswordOptions

        func run() async throws {
            let secret = try password.read()
            let box = try options.openStore()
            let session = try await box.accounts.login(email: email, password: secret)
            try options.sessionFile.write(session.token)
            try LoginOutput.print(session, options: options, verb: "Logged in")
        }
    }
}

/// What `login`, `verify` and `whoami` print: who is logged in, never the token.
struct LoginOutput: Encodable {
    var user: User
    var expiresAt: Date?

    static func print(_ session: LoginSession, options: StoreOptions, verb: String) throws {
        if options.json {
            try Output.json(LoginOutput(user: session.user, expiresAt: session.expiresAt))
        } else {
            Swift.print("\(verb) as \(session.user.name) <\(session.user.email)>, \(session.user.role.rawValue).")
        }
    }
}
