/// An amount of money in whole rupiah.
///
/// The rupiah has no minor unit in practice, so an amount is an integer and arithmetic is exact.
/// The store keeps amounts as `INTEGER` columns; `Money` only adds meaning and formatting.
///
/// ```swift
/// let price: Money = 50_000
/// print(price.formatted)          // "Rp 50.000"
/// print((price * 2).rupiah)       // 100000
/// ```
public struct Money: Hashable, Comparable, Sendable, Codable, ExpressibleByIntegerLiteral, CustomStringConvertible {
    /// The amount in rupiah.
    public var rupiah: Int

    /// Creates an amount of `rupiah`.
    public init(rupiah: Int) {
        self.rupiah = rupiah
    }

    public init(integerLiteral value: Int) {
        self.rupiah = value
    }

    public init(from decoder: any Decoder) throws {
        rupiah = try decoder.singleValueContainer().decode(Int.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rupiah)
    }

    /// The amount as a cashier reads it, with Indonesian digit grouping: `Rp 1.250.000`.
    public var formatted: String {
        let digits = String(rupiah.magnitude)
        var grouped = ""
        for (offset, character) in digits.enumerated() {
            if offset > 0 && (digits.count - offset) % 3 == 0 { grouped.append(".") }
            grouped.append(character)
        }
        return (rupiah < 0 ? "-Rp " : "Rp ") + grouped
    }

    public var description: String { formatted }

    /// Reads an amount the way it is printed or typed: `50000`, `50.000`, `Rp 50.000`, `-5.000`
    /// (dots group thousands, as ``formatted`` writes them; a rupiah amount has no fraction).
    ///
    /// ```swift
    /// let price = try Money(parsing: "Rp 1.250.000")   // 1_250_000
    /// ```
    ///
    /// - Parameters:
    ///   - text: The amount.
    ///   - field: The name to give in the error.
    /// - Throws: ``InputError`` naming `field` when `text` is not a whole number of rupiah.
    public init(parsing text: String, field: String = "amount") throws(InputError) {
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        let negative = rest.hasPrefix("-")
        if negative { rest = rest.dropFirst() }
        if rest.lowercased().hasPrefix("rp") { rest = rest.dropFirst(2).drop(while: { $0 == " " || $0 == "." }) }
        let groups = rest.split(separator: ".", omittingEmptySubsequences: false)
        guard let first = groups.first, !first.isEmpty, groups.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              groups.count == 1 || (first.count <= 3 && groups.dropFirst().allSatisfy { $0.count == 3 }),
              let value = Int(groups.joined()), value <= 1_000_000_000_000
        else {
            throw InputError(field: field, reason: "must be a whole number of rupiah like 50000 or 50.000, not '\(text)'")
        }
        self.rupiah = negative ? -value : value
    }

    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.rupiah < rhs.rupiah }
    public static func + (lhs: Money, rhs: Money) -> Money { Money(rupiah: lhs.rupiah + rhs.rupiah) }
    public static func - (lhs: Money, rhs: Money) -> Money { Money(rupiah: lhs.rupiah - rhs.rupiah) }
    public static func * (lhs: Money, rhs: Int) -> Money { Money(rupiah: lhs.rupiah * rhs) }
    public static let zero: Money = 0
}
