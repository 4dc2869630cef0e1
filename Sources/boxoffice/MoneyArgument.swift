import ArgumentParser
import BoxOfficeKit

/// Reads rupiah amounts in options as every output prints them: `50000`, `50.000` or `Rp 50.000`.
enum MoneyArgument {
    /// The amount, or a message for the option's error line.
    static func parse(_ text: String) throws -> Money {
        do {
            return try Money(parsing: text)
        } catch {
            throw ValidationError("use a whole number of rupiah like 50000 or 50.000")
        }
    }

    /// `KIND=RUPIAH` surcharges (`vip=25.000`), by seat kind.
    static func modifiers(_ items: [String]) throws -> [SeatKind: Money] {
        var result: [SeatKind: Money] = [:]
        for item in items {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let kind = SeatKind(rawValue: parts[0].lowercased().trimmingCharacters(in: .whitespaces)),
                  let amount = try? Money(parsing: parts[1])
            else {
                throw ValidationError("--modifier must be KIND=RUPIAH like vip=25000 (kinds: vip, couple, wheelchair), not '\(item)'")
            }
            result[kind] = amount
        }
        return result
    }
}
