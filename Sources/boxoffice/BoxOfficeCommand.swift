import ArgumentParser
import BoxOfficeKit
import Foundation
import Logging

/// The `boxoffice` command: a thin front over BoxOfficeKit and the sync agent.
@main
struct BoxOfficeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "boxoffice",
        abstract: "An offline-first cinema box office on a local SQLite store.",
        discussion: """
            Every command works on the store given by --db (default ./boxoffice.sqlite, or $BOXOFFICE_DB).
            Start with `boxoffice demo` for a store full of sample data.
            """,
        version: "0.1.0",
        subcommands: [
            Init.self,
            Register.self, Verify.self, ResendOTP.self, Login.self, Logout.self, WhoAmI.self, Users.self, Mail.self,
            Demo.self, Cinemas.self, Studios.self, Movies.self, Showtimes.self, PaymentMethods.self,
            Seats.self, Book.self, Pay.self, ConfirmPayment.self, Sell.self, Cancel.self, Refund.self, Bookings.self,
            PrintReceipt.self,
            Sync.self, Conflicts.self, Central.self, ImportLegacy.self, Serve.self,
        ]
    )

    /// Runs the command and turns every failure into one clear line and a distinct exit code.
    static func main() async {
        // A cashier's terminal shows results and errors, not the kit's routine log lines;
        // BOXOFFICE_LOG_LEVEL=info (or debug) brings them back on standard error.
        let level = ProcessInfo.processInfo.environment["BOXOFFICE_LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0) } ?? .warning
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            let code = exitCode(for: error)
            if code == .success { exit(withError: error) }  // --help, --version and the like: printed as usual
            ErrorLine.write(ErrorLine.oneLine(message(for: error)) + helpHint(for: error))
            Foundation.exit(code.rawValue)
        }
        do {
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as any BoxOfficeError {
            ErrorLine.write(ErrorLine.message(for: error))
            Foundation.exit(ExitStatus(error.kind).rawValue)
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success { exit(withError: error) }
            ErrorLine.write(ErrorLine.oneLine(message(for: error)))
            Foundation.exit(code.rawValue)
        }
    }

    /// ` (see `boxoffice sell --help`)`: where the argument parser would send the reader, if anywhere.
    private static func helpHint(for error: any Error) -> String {
        let full = fullMessage(for: error)
        guard let start = full.range(of: "See '"), let end = full[start.upperBound...].firstIndex(of: "'") else { return "" }
        return " (see `\(full[start.upperBound..<end])`)"
    }
}
