/// Seat lists as people type them: `F12`, or a range of one row, `A1-A20`, separated by commas or
/// spaces. `boxoffice sell`, `book` and `central allot` all read seats this way.
///
/// ```swift
/// try SeatRange.expand("A1-A3,B7")   // ["A1", "A2", "A3", "B7"]
/// ```
public enum SeatRange {
    /// The seat labels `text` names, upper-cased, in order.
    ///
    /// ```swift
    /// let labels = try SeatRange.expand("b1-b4")   // ["B1", "B2", "B3", "B4"]
    /// ```
    ///
    /// - Parameter text: Seats and ranges of one row each.
    /// - Returns: The labels, ranges expanded.
    /// - Throws: ``InputError`` naming `seats` for a part that is neither a seat nor a range of one
    ///   row (`A3-A1`, `A1-B2`, `12`).
    public static func expand(_ text: String) throws(InputError) -> [String] {
        var labels: [String] = []
        for part in text.split(whereSeparator: { $0 == "," || $0 == " " }) {
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false)
            guard (1...2).contains(bounds.count), let first = parse(bounds[0]) else { throw bad(part) }
            guard bounds.count == 2 else {
                labels.append(first.row + String(first.number))
                continue
            }
            guard let last = parse(bounds[1]), last.row == first.row, last.number >= first.number,
                  last.number - first.number < 1000
            else { throw bad(part) }
            labels += (first.number...last.number).map { first.row + String($0) }
        }
        guard !labels.isEmpty else { throw bad(Substring(text)) }
        return labels
    }

    /// Whether `token` is written as a range (`A1-A4`) or a list (`A1,A2`) rather than one seat or a
    /// seat id.
    static func isRangeOrList(_ token: String) -> Bool {
        !EntityID.isValid(token) && (token.contains("-") || token.contains(","))
    }

    private static func bad(_ part: Substring) -> InputError {
        InputError(field: "seats", reason: "\"\(part)\" is not a seat or a range of one row like A1-A20")
    }

    private static func parse(_ label: Substring) -> (row: String, number: Int)? {
        let row = label.prefix(while: \.isLetter).uppercased()
        guard !row.isEmpty, let number = Int(label.dropFirst(row.count)), number > 0 else { return nil }
        return (row, number)
    }
}
