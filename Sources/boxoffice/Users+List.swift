import ArgumentParser
import BoxOfficeKit
import Foundation

extension BoxOfficeCommand.Users {
    /// `boxoffice users list`: everyone with an account, staff first.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users: managers, cashiers, then customers.")

        @OptionGroup var options: StoreOptions
        @Option(help: "The page, from 1.") var page = 1
        @Option(help: "Users per page, 1 to 200.") var limit = 50

        func run() async throws {
            let box = try options.openStore()
            let manager = try await options.principal(of: box, requiring: .manager, toDo: "list users")
            let list = try await box.accounts.users(page: PageRequest(page: page, limit: limit), by: manager)
            if options.json {
                try Output.json(page: list)
                return
            }
            Output.table(
                ["EMAIL", "NAME", "ROLE", "PHONE", "VERIFIED"],
                list.items.map { [$0.email, $0.name, $0.role.rawValue, $0.phone ?? "", $0.isVerified ? "yes" : "no"] })
            print("\(list.items.count) of \(list.total) users")
        }
    }
}
