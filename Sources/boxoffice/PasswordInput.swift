import ArgumentParser
import BoxOfficeKit
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// How commands read a password: never from an argument (it would show in `ps` and shell history),
/// but from standard input with `--password-stdin`, or from a prompt that does not echo.
struct PasswordOptions: ParsableArguments {
    @Flag(name: .long, help: "Read the password from the first line of standard input (for scripts).")
    var passwordStdin = false

    /// The password, from standard input or a no-echo prompt on the terminal.
    ///
    /// - Parameter confirm: On a terminal, ask twice and insist both match (for new passwords).
    func read(prompt: String = "Password: ", confirm: Bool = false) throws -> String {
        if passwordStdin {
            guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                throw InputError(field: "password", reason: "standard input held none (--password-stdin)")
            }
            return line
        }
        guard isatty(STDIN_FILENO) == 1 else {
            // A usage error (exit 64): the command line must say where the password comes from.
            throw ValidationError("there is no terminal to ask for the password: use --password-stdin")
        }
        let password = try Self.prompt(prompt)
        if confirm, try Self.prompt("Repeat the password: ") != password {
            throw InputError(field: "password", reason: "the two entries differ")
        }
        return password
    }

    /// Prints `text` on standard error and reads a line from the terminal with echo turned off.
    static func prompt(_ text: String) throws -> String {
        FileHandle.standardError.write(Data(text.utf8))
        var saved = termios()
        guard tcgetattr(STDIN_FILENO, &saved) == 0 else { throw InputError(field: "password", reason: "cannot turn off echo on this terminal") }
        var silent = saved
        silent.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent)
        defer {
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        return readLine(strippingNewline: true) ?? ""
    }
}
