import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// What the terminal on standard output can show.
enum ColourOutput {
    /// Colour only on a terminal, unless `--no-color` or a non-empty `NO_COLOR` (no-color.org) says no.
    static func wantsColour(disabled: Bool) -> Bool {
        guard !disabled, isatty(STDOUT_FILENO) == 1 else { return false }
        let noColour = ProcessInfo.processInfo.environment["NO_COLOR"] ?? ""
        return noColour.isEmpty
    }
}
