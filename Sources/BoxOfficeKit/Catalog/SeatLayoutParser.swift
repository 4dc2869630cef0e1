import Foundation

/// Reads the clauses of a ``SeatLayout`` spec; ``SeatLayout/init(parsing:)`` checks how they fit.
struct SeatLayoutParser {
    /// Why a spec does not parse, in the words ``CatalogError/layoutSpecInvalid(_:)`` gives the manager.
    ///
    /// The parser and ``SeatLayout/init(validating:)`` throw this rather than ``CatalogError``, whose
    /// other cases reach into the store, so that this file and `SeatLayout.swift` compile on their own
    /// for the fuzz build (`scripts/fuzz.sh`); ``SeatLayout/init(parsing:)`` maps it.
    struct Invalid: Error, Equatable {
        /// What is wrong and where, e.g. `'vip K' names a row that is not in rows A-J`.
        let reason: String

        init(_ reason: String) { self.reason = reason }
    }

    /// One target of a kind clause: a row, rows, a seat or seats of one row.
    struct Target {
        enum Shape {
            case rows(String, String)
            case seats(row: String, from: Int, to: Int)
        }

        let shape: Shape
        /// The target as typed, for messages.
        let text: String

        /// The seat labels the target names, or an error when it reaches outside the layout.
        func labels(rows: [String], numbers: ClosedRange<Int>) throws(Invalid) -> [String] {
            switch shape {
            case let .rows(first, last):
                guard let from = rows.firstIndex(of: first), let to = rows.firstIndex(of: last) else {
                    throw Invalid("'\(text)' names a row that is not in rows \(rows.first!)-\(rows.last!)")
                }
                guard from <= to else { throw Invalid("'\(text)' runs backwards; write \(last)-\(first)") }
                return rows[from...to].flatMap { row in numbers.map { "\(row)\($0)" } }
            case let .seats(row, from, to):
                guard rows.contains(row) else {
                    throw Invalid("'\(text)' names row \(row), which is not in rows \(rows.first!)-\(rows.last!)")
                }
                guard numbers.contains(from), numbers.contains(to) else {
                    throw Invalid("'\(text)' names a seat outside seats \(numbers.lowerBound)-\(numbers.upperBound)")
                }
                guard from <= to else { throw Invalid("'\(text)' runs backwards") }
                return (from...to).map { "\(row)\($0)" }
            }
        }
    }

    private(set) var rows: [String]?
    private(set) var seatNumbers: ClosedRange<Int>?
    private(set) var aislesAfter: [Int] = []
    private(set) var kindTargets: [(SeatKind, Target)] = []

    static let letters = (UnicodeScalar("A").value...UnicodeScalar("Z").value).map { String(UnicodeScalar($0)!) }

    mutating func parse(_ spec: String) throws(Invalid) {
        let clauses = spec.split(whereSeparator: { $0 == ";" || $0.isNewline })
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        guard !clauses.isEmpty else {
            throw Invalid("it is empty; write e.g. 'rows A-J; seats 1-20; aisles after 4,16'")
        }
        for clause in clauses { try parseClause(clause) }
    }

    private mutating func parseClause(_ clause: String) throws(Invalid) {
        let words = clause.split(separator: " ", maxSplits: 1).map(String.init)
        let keyword = words[0].lowercased()
        let rest = words.count > 1 ? words[1].trimmingCharacters(in: .whitespaces) : ""
        switch keyword {
        case "rows", "row":
            guard rows == nil else { throw Invalid("'\(clause)': rows are given twice") }
            rows = try parseRows(rest, clause: clause)
        case "seats", "seat":
            guard seatNumbers == nil else { throw Invalid("'\(clause)': seats are given twice") }
            seatNumbers = try parseNumbers(rest, clause: clause)
        case "aisles", "aisle":
            let parts = rest.split(separator: " ", maxSplits: 1).map(String.init)
            guard parts.count == 2, parts[0].lowercased() == "after" else {
                throw Invalid("'\(clause)': write aisles as 'aisles after 4,16'")
            }
            for item in parts[1].split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
                guard let number = Int(item), number > 0 else {
                    throw Invalid("'\(clause)': '\(item)' is not a seat number")
                }
                guard !aislesAfter.contains(number) else {
                    throw Invalid("'\(clause)': the aisle after \(number) is given twice")
                }
                aislesAfter.append(number)
            }
        case "vip", "couple", "wheelchair":
            let kind = SeatKind(rawValue: keyword)!
            let items = rest.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            guard !items.isEmpty, !items.contains(where: \.isEmpty) else {
                throw Invalid("'\(clause)': name rows or seats, e.g. '\(keyword) E-F' or '\(keyword) A1-A2'")
            }
            for item in items { kindTargets.append((kind, try parseTarget(item, clause: clause))) }
        default:
            throw Invalid(
                "'\(clause)': unknown clause '\(words[0])'; use rows, seats, aisles after, vip, couple or wheelchair")
        }
    }

    private func parseRows(_ text: String, clause: String) throws(Invalid) -> [String] {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces).uppercased() }
        guard (1...2).contains(parts.count),
              let first = Self.letters.firstIndex(of: parts[0]),
              let last = Self.letters.firstIndex(of: parts.last!)
        else { throw Invalid("'\(clause)': write rows as letters, e.g. 'rows A-J'") }
        guard first <= last else { throw Invalid("'\(clause)': rows run backwards; write \(parts.last!)-\(parts[0])") }
        return Array(Self.letters[first...last])
    }

    private func parseNumbers(_ text: String, clause: String) throws(Invalid) -> ClosedRange<Int> {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let first = Int(parts[0]), let last = Int(parts[1]) else {
            throw Invalid("'\(clause)': write seats as a range of numbers, e.g. 'seats 1-20'")
        }
        guard first >= 1, last <= 99, first <= last else {
            throw Invalid("'\(clause)': seat numbers must run upwards from 1 to at most 99")
        }
        return first...last
    }

    /// `J`, `E-F`, `A1` or `A1-A4`.
    private func parseTarget(_ item: String, clause: String) throws(Invalid) -> Target {
        let parts = item.split(separator: "-", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces).uppercased() }
        let ends = parts.map(Self.splitSeat)
        guard (1...2).contains(parts.count), ends.allSatisfy({ $0 != nil }) else {
            throw Invalid("'\(clause)': '\(item)' is not a row (J), rows (E-F), a seat (A1) or seats (A1-A4)")
        }
        let first = ends[0]!, last = ends[ends.count - 1]!
        switch (first.number, last.number) {
        case (nil, nil):
            return Target(shape: .rows(first.row, last.row), text: item)
        case let (from?, to?) where first.row == last.row:
            return Target(shape: .seats(row: first.row, from: from, to: to), text: item)
        case (.some, .some):
            throw Invalid("'\(clause)': '\(item)' spans two rows; a seat range stays in one row, e.g. A1-A4")
        default:
            throw Invalid("'\(clause)': '\(item)' mixes a row and a seat; write E-F or A1-A4")
        }
    }

    /// `A12` → (A, 12); `A` → (A, nil); anything else → nil.
    private static func splitSeat(_ text: String) -> (row: String, number: Int?)? {
        guard let first = text.first, letters.contains(String(first)) else { return nil }
        let digits = text.dropFirst()
        if digits.isEmpty { return (String(first), nil) }
        guard digits.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(digits) else { return nil }
        return (String(first), number)
    }
}
