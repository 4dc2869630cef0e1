import ArgumentParser
import BoxOfficeKit
import Foundation
import SyncAgent

/// Where a command's PostgreSQL URL comes from: its option, standard input (the option's value
/// `-`), or an environment variable — and never, with a password in it, the command line, which
/// every user of the machine can read (`ps`, `/proc/PID/cmdline`) and the shell keeps in its history.
enum URLInput {
    /// Refuses, as a usage error, an option's URL that holds a password; `-` passes.
    ///
    /// - Parameters:
    ///   - option: The option as typed, `--central`.
    ///   - whose: Whose password it would be, `the node's`.
    ///   - alternatives: Where else the URL may come from, `$BOXOFFICE_CENTRAL_URL`.
    static func refusePassword(in value: String?, option: String, whose: String, alternatives: String) throws {
        guard let value, value != "-", !value.isEmpty else { return }
        let connection: ConnectionString
        do {
            connection = try ConnectionString(value)
        } catch {
            throw ValidationError("\(option): \(error.reason)")
        }
        guard connection.hasPassword else { return }
        throw ValidationError("""
            \(option): keep \(whose) password off the command line, where every user of this machine can read it: \
            give the URL on standard input (\(option) -) or \(alternatives) — nothing was done
            """)
    }

    /// The URL: the first line of standard input for `-`, else the option's value, else the
    /// environment variable's; `nil` when none gives one.
    static func resolve(_ value: String?, option: String, variable: String?) throws -> String? {
        if value == "-" { return try readStandardInput(for: option) }
        if let value, !value.isEmpty { return value }
        if let variable, let url = ProcessInfo.processInfo.environment[variable], !url.isEmpty { return url }
        return nil
    }

    /// Refuses two options that both want standard input.
    static func refuseTwoFromStandardInput(_ options: [(name: String, value: String?)]) throws {
        let fromInput = options.filter { $0.value == "-" }.map(\.name)
        guard fromInput.count > 1 else { return }
        throw ValidationError("\(fromInput.joined(separator: " and ")) cannot both read standard input: give one of the URLs in its environment variable")
    }

    /// One URL from standard input: asked for without echo on a terminal, else its first line.
    private static func readStandardInput(for option: String) throws -> String {
        let line = isatty(STDIN_FILENO) == 1
            ? try PasswordOptions.prompt("URL for \(option) (not shown): ")
            : readLine(strippingNewline: true)
        guard let url = line?.trimmingCharacters(in: .whitespaces), !url.isEmpty else {
            throw ValidationError("\(option) -: standard input held no URL")
        }
        return url
    }
}
