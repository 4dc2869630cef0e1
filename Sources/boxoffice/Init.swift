import ArgumentParser
import BoxOfficeKit
import Foundation

extension BoxOfficeCommand {
    /// `boxoffice init`: creates (or migrates) the store, and optionally its first manager.
    struct Init: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create the store (or bring an older one up to date).",
            discussion: "With --manager-email and --manager-name, also create the store's first manager, verified.")

        @OptionGroup var options: StoreOptions
        @Option(help: "The first manager's email (needs --manager-name).") var managerEmail: String?
        @Option(help: "The first manager's name (needs --manager-email).") var managerName: String?
        @OptionGroup var password: PasswordOptions

        func validate() throws {
            guard (managerEmail == nil) == (managerName == nil) else {
                throw ValidationError("--manager-email and --manager-name go together")
            }
            if managerEmail == nil && password.passwordStdin {
                throw ValidationError("--password-stdin is for the first manager: add --manager-email and --manager-name")
            }
        }

        func run() async throws {
            let secret = try managerEmail.map { _ in try password.read(prompt: "Manager password: ", confirm: true) }
            let box = try options.openStore(creating: true)
            var manager: User?
            if let managerEmail, let managerName, let secret {
                manager = try await box.accounts.createFirstManager(name: managerName, email: managerEmail, password: secret)
            }
            if options.json {
                try Output.json(InitOutput(path: options.storePath, nodeId: box.nodeID, manager: manager))
            } else {
                print("Store ready at \(options.storePath) (node \(box.nodeID)).")
                if let manager { print("Manager \(manager.name) <\(manager.email)> created; log in with `boxoffice login`.") }
            }
        }
    }
}

/// What `init --json` prints.
struct InitOutput: Encodable {
    var path: String
    var nodeId: String
    var manager: User?
}
