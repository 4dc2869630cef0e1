import ArgumentParser
import BoxOfficeKit

extension BoxOfficeCommand {
    /// `boxoffice logout`: ends the saved session and forgets its token.
    struct Logout: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Log out: the saved session stops working.")

        @OptionGroup var options: StoreOptions

        func run() async throws {
            guard options.sessionFile.exists else {
                return options.json ? try Output.json(LogoutOutput(loggedOut: false)) : print("Not logged in.")
            }
            let box = try options.openStore()
            guard let token = try await options.sessionFile.token(for: box) else {
                return options.json ? try Output.json(LogoutOutput(loggedOut: false)) : print("Not logged in.")
            }
            try await box.accounts.logout(token: token)
            options.sessionFile.remove()
            options.json ? try Output.json(LogoutOutput(loggedOut: true)) : print("Logged out.")
        }
    }
}

/// What `logout --json` prints.
struct LogoutOutput: Encodable {
    var loggedOut: Bool
}
