/// Seat lists as people type them: `F12`, `A1-A20` (one row), separated by commas or spaces.
///
/// ```swift
/// try SeatRange.expand("A1-A3,B7")   // ["A1", "A2", "A3", "B7"]
/// ```
public enum SeatRange {
    /// The seat labels `text` names, upper-cased, in order.
    ///
    /// - Throws: ``CentralError/badSeatRange(_:)``.
    public static func expand(_ text: String) throws(CentralError) -> [String] {
        var labels: [String] = []
        for part in text.split(whereSeparator: { $0 == "," || $0 == " " }) {
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false)
            guard (1...2).contains(bounds.count), let first = parse(bounds[0]) else {
                throw .badSeatRange(String(part))
            }
            guard bounds.count == 2 else {
                labels.append(first.row + String(first.number))
                continue
            }
            guard let last = parse(bounds[1]), last.row == first.row, last.number >= first.number,
                  last.number - first.number < 1000
            else { throw .badSeatRange(String(part)) }
            labels += (first.number...last.number).map { first.row + String($0) }
        }
        guard !labels.isEmpty else { throw .badSeatRange(text) }
        return labels
    }

    private static func parse(_ label: Substring) -> (row: String, number: Int)? {
        let row = label.prefix(while: \.isLetter).uppercased()
        guard !row.isEmpty, let number = Int(label.dropFirst(row.count)), number > 0 else { return nil }
        return (row, number)
    }
}
