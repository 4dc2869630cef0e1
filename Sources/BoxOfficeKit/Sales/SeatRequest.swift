import Foundation

/// The seats a caller asked for, checked for what can be checked without the store: labels, ids,
/// and ranges of one row (`B1-B4`, ``SeatRange``) expanded.
struct SeatRequest: Sendable {
    /// The seats as given, trimmed, ranges expanded.
    let tokens: [String]

    init(_ seats: [String], limit: Int) throws {
        let tokens = try seats.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { token throws(InputError) in
            SeatRange.isRangeOrList(token) ? try SeatRange.expand(token) : [token]
        }
        guard !tokens.isEmpty else { throw InputError(field: "seats", reason: "choose at least one seat") }
        guard !tokens.contains(where: \.isEmpty) else {
            throw InputError(field: "seats", reason: "a seat must not be empty")
        }
        guard tokens.count <= limit else { throw SaleError.tooManySeats(requested: tokens.count, limit: limit) }
        var seen = Set<String>()
        for token in tokens where !seen.insert(token.uppercased()).inserted {
            throw InputError(field: "seats", reason: "\(token) is given more than once")
        }
        self.tokens = tokens
    }
}
