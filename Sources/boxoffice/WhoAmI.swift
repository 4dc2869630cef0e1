import ArgumentParser
import BoxOfficeKit

extension BoxOfficeCommand {
    /// `boxoffice whoami`: who the saved session belongs to (and keeps it alive).
    struct WhoAmI: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "whoami", abstract: "Show who is logged in to this store.")

        @OptionGroup var options: StoreOptions

        func run() async throws {
            let box = try options.openStore()
            let principal = try await options.principal(of: box, requiring: .customer, toDo: "use the box office")
            let user = try await box.accounts.user(id: principal.userID)
            if options.json {
                try Output.json(LoginOutput(user: user, expiresAt: nil))
            } else {
                print("\(user.name) <\(user.email)>, \(user.role.rawValue)")
            }
        }
    }
}
