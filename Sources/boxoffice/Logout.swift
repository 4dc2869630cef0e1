import ArgumentParser
import BoxOfficeKit

extension BoxOfficeCommand {
    /// `boxoffice logout`: ends the saved session and forgets its token.
    struct Logout: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Log out: the saved session stops working.")

        @OptionGroup var options: StoreOptions

        func run() async throws {
            guard options.sessionFile.exists else {
                print("Not logged in.")
                return
            }
            let box = try options.openStore()
            guard let token = try await options.sessionFile.token(for: box) else {
                print("Not logged in.")
                return
            }
            try await box.accounts.logout(token: token)
            options.sessionFile.remove()
            print("Logged out.")
        }
    }
}
