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

    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.rupiah < rhs.rupiah }
    public static func + (lhs: Money, rhs: Money) -> Money { Money(rupiah: lhs.rupiah + rhs.rupiah) }
    public static func - (lhs: Money, rhs: Money) -> Money { Money(rupiah: lhs.rupiah - rhs.rupiah) }
    public static func * (lhs: Money, rhs: Int) -> Money { Money(rupiah: lhs.rupiah * rhs) }
    public static let zero: Money = 0
}
