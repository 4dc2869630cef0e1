import ArgumentParser

extension BoxOfficeCommand {
    /// `boxoffice users`: staff management, for managers.
    struct Users: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Manage users (a logged-in manager only).", subcommands: [AddStaff.self, List.self])
    }
}
