import ArgumentParser
import BoxOfficeKit

extension BoxOfficeCommand.Users {
    /// `boxoffice users add-staff`: a manager adds a cashier or another manager.
    struct AddStaff: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add-staff", abstract: "Add a cashier or manager, verified at once.")

        @OptionGroup var options: StoreOptions
        @Option(help: "Their email address.") var email: String
        @Option(help: "Their name.") var name: String
        @Option(help: "cashier or manager.") var role: Role
        @OptionGroup var password: PasswordOptions

        func run() async throws {
            let secret = try password.read(prompt: "Their password: ", confirm: true)
            let box = try options.openStore()
            let manager = try await options.principal(of: box)
            let user = try await box.accounts.addStaff(name: name, email: email, role: role, password: secret, by: manager)
            if options.json {
                try Output.json(user)
            } else {
                print("Added \(user.role.rawValue) \(user.name) <\(user.email)>.")
            }
        }
    }
}

/// A role as `--role` takes it: only staff roles, since a customer registers (`register`) and is never
/// added by staff.
extension Role: ExpressibleByArgument {
    public init?(argument: String) {
        guard let role = Role(rawValue: argument.lowercased()), role != .customer else { return nil }
        self = role
    }

    public static var allValueStrings: [String] { [Role.cashier, .manager].map(\.rawValue) }
}
