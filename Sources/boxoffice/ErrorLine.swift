import ArgumentParser
import BoxOfficeKit
import Foundation

/// Every failure as one line on standard error, `error: …`, whoever found it: the argument parser,
/// a command's checks, or the kit.
enum ErrorLine {
    /// The option or argument a cashier typed for a field the kit names (`base_price` → `--price`).
    static let options: [String: String] = [
        "base_price": "--price", "price_modifiers": "--modifier", "duration_minutes": "--duration",
        "poster_url": "--poster-url", "release_date": "--release-date", "time_zone": "--time-zone",
        "seats": "seats", "password": "password", "amount": "--amount", "reference": "--ref",
        "payment_reference": "--ref", "layout": "--layout",
    ]

    /// The kit's error in the CLI's words: an input error names the option, not the field.
    static func message(for error: any BoxOfficeError) -> String {
        guard let input = error as? InputError else { return error.description }
        let option = options[input.field] ?? "--" + input.field.replacingOccurrences(of: "_", with: "-")
        return "\(option): \(input.reason)"
    }

    /// Any error as the CLI tells it, without `error:`.
    static func describe(_ error: any Error) -> String {
        if let error = error as? any BoxOfficeError { return message(for: error) }
        return oneLine(String(describing: error))
    }

    /// An argument parser's message (several lines, with usage) as one line.
    static func oneLine(_ message: String) -> String {
        let lines = message.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("Usage:") && !$0.hasPrefix("See '") && !$0.hasPrefix("Help:") }
        var text = lines.joined(separator: "; ")
        if text.hasPrefix("Error: ") { text.removeFirst("Error: ".count) }
        return text.isEmpty ? "the command line is wrong" : text
    }

    /// Writes `error: TEXT` on standard error.
    static func write(_ text: String) {
        FileHandle.standardError.write(Data("error: \(text)\n".utf8))
    }
}
