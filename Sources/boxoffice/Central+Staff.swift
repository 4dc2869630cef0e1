import ArgumentParser
import BoxOfficeKit
import Foundation
import SyncAgent

extension BoxOfficeCommand.Central {
    /// `boxoffice central staff …`: staff accounts, made and changed online at head office.
    struct Staff: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Staff accounts of the chain: made and changed here, online; counters get them by sync.",
            discussion: """
                A counter never sends a staff account, a role or a staff password to head office: \
                they change here, and reach the counters of their cinema (or every counter, for an \
                account of the whole chain) with their next sync.
                """,
            subcommands: [Add.self, Password.self])
    }
}

extension BoxOfficeCommand.Central.Staff {
    /// `boxoffice central staff add --email E --name N --role R [--cinema ID]`.
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a cashier or manager, for one cinema or the whole chain.")

        @OptionGroup var central: CentralOptions
        @Option(help: "Their email address.") var email: String
        @Option(help: "Their name.") var name: String
        @Option(help: "cashier or manager.") var role: Role
        @Option(help: "The cinema they work at; without it, the whole chain.") var cinema: String?
        @OptionGroup var password: PasswordOptions

        func run() async throws {
            let secret = try password.read(prompt: "Their password: ", confirm: true)
            let account = try StaffAccount(name: name, email: email, role: role, cinemaID: cinema, password: secret)
            try HeadOffice(url: try central.resolvedURL()).addStaff(account)
            print("Added \(account.role.rawValue) \(account.name) <\(account.email)> for \(cinema.map { "cinema \($0)" } ?? "the whole chain");"
                  + " counters get the account at their next sync.")
        }
    }

    /// `boxoffice central staff password --email E`: the old password, then the new one.
    struct Password: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change a staff account's password (its old password is checked here).",
            discussion: "With --password-stdin, standard input holds the old password on its first line and the new one on the second.")

        @OptionGroup var central: CentralOptions
        @Option(help: "The account's email address.") var email: String
        @OptionGroup var password: PasswordOptions

        func run() async throws {
            let old = try password.read(prompt: "Old password: ")
            let new = try password.read(prompt: "New password: ", confirm: true)
            try HeadOffice(url: try central.resolvedURL()).changeStaffPassword(email: email, from: old, to: new)
            print("The password of \(email.lowercased()) is changed; counters take it at their next sync.")
        }
    }
}
