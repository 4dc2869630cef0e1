import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A one-line progress bar on standard error, redrawn in place — only on a terminal: never in a
/// pipe, a log file or CI's output.
final class ProgressBar: Sendable {
    /// A bar when standard error is a terminal and `CI` is not set (and `TERM` is not `dumb`).
    static func onTerminal() -> ProgressBar? {
        let environment = ProcessInfo.processInfo.environment
        guard isatty(STDERR_FILENO) == 1, (environment["CI"] ?? "").isEmpty, environment["TERM"] != "dumb" else { return nil }
        return ProgressBar()
    }

    /// Draws `label [#####-----] 50%` with `detail` after it.
    func draw(_ label: String, fraction: Double, detail: String = "") {
        let width = 30
        let part = min(1, max(0, fraction))
        let filled = Int(part * Double(width))
        let line = "\r\(label.padding(toLength: 24, withPad: " ", startingAt: 0)) ["
            + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
            + "] \(Int(part * 100))%" + (detail.isEmpty ? "" : "  \(detail)") + "\u{1B}[K"
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// Removes the bar, so that the next line starts clean.
    func clear() {
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
