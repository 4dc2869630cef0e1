import Foundation

/// A hybrid logical clock stamp: wall-clock milliseconds, a counter, and the node that made it.
///
/// Stamps order every change across all counters: totally (ties broken by node id), causally (a
/// stamp is always later than every stamp its node has seen), and robustly against a counter whose
/// clock is off, because a node never moves its clock backwards and catches up with any later stamp
/// it receives. Their text form, `WWWWWWWWWWWWWWW-CCCCC-NODE`, sorts in the same order as the stamps,
/// so SQLite and PostgreSQL can compare them as plain text. Head office's `rules/hlc.sql` is the
/// same format and the same clock in PostgreSQL; a test proves they agree.
///
/// ```swift
/// let first = HLC.next(after: nil, now: Date(), node: nodeID)
/// let second = HLC.next(after: first, now: Date(), node: nodeID)
/// assert(first < second)
/// print(second)   // "001732550400123-00001-019375c2-…"
/// ```
public struct HLC: Hashable, Comparable, Sendable, LosslessStringConvertible, Codable {
    /// Milliseconds since 1970 of the latest wall clock this stamp has seen.
    public var wallMillis: Int64
    /// Orders stamps made within one millisecond.
    public var counter: Int
    /// The node that made the stamp.
    public var nodeID: String

    public init(wallMillis: Int64, counter: Int, nodeID: String) {
        self.wallMillis = wallMillis
        self.counter = counter
        self.nodeID = nodeID
    }

    /// The largest counter the text form holds; the stamp after it moves the wall clock on instead.
    public static let maximumCounter = 99_999

    /// The largest wall clock the text form holds (fifteen digits of milliseconds, the year 33658).
    public static let maximumWallMillis: Int64 = 999_999_999_999_999

    /// Parses the text form `WWWWWWWWWWWWWWW-CCCCC-NODE` (fifteen and five ASCII digits, and a node
    /// id of at least one character); `nil` when it is not one.
    public init?(_ description: String) {
        let parts = description.split(separator: "-", maxSplits: 2, omittingEmptySubsequences: false)
        func digits(_ part: Substring, _ count: Int) -> Bool {
            part.utf8.count == count && part.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
        }
        guard parts.count == 3, digits(parts[0], 15), digits(parts[1], 5), !parts[2].isEmpty,
              let wall = Int64(parts[0]), let counter = Int(parts[1])
        else { return nil }
        self.init(wallMillis: wall, counter: counter, nodeID: String(parts[2]))
    }

    /// The text form; fixed-width numbers make text order equal stamp order.
    public var description: String {
        let wall = String(wallMillis)
        let count = String(counter)
        return String(repeating: "0", count: max(0, 15 - wall.count)) + wall + "-"
            + String(repeating: "0", count: max(0, 5 - count.count)) + count + "-" + nodeID
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let stamp = HLC(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an HLC stamp: \(text)"))
        }
        self = stamp
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    // Stamps compare as SQLite and PostgreSQL compare their text: node ids byte by byte, not as Swift
    // strings, for which a composed é and a decomposed one are equal (found by fuzzing).

    /// Whether two stamps are the same: the same text.
    public static func == (lhs: HLC, rhs: HLC) -> Bool {
        lhs.wallMillis == rhs.wallMillis && lhs.counter == rhs.counter && lhs.nodeID.utf8.elementsEqual(rhs.nodeID.utf8)
    }

    /// Hashes what `==` compares.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(wallMillis)
        hasher.combine(counter)
        var node = nodeID
        node.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }

    /// Whether `lhs` is earlier: by wall clock, then counter, then node id, as their text sorts.
    public static func < (lhs: HLC, rhs: HLC) -> Bool {
        guard lhs.wallMillis == rhs.wallMillis, lhs.counter == rhs.counter else {
            return (lhs.wallMillis, lhs.counter) < (rhs.wallMillis, rhs.counter)
        }
        return lhs.nodeID.utf8.lexicographicallyPrecedes(rhs.nodeID.utf8)
    }

    /// The stamp for a local event: later than `last` and than the wall clock.
    ///
    /// A counter at ``maximumCounter`` moves the wall clock on by a millisecond instead, so the
    /// counter never outgrows its five digits and text order stays stamp order; at the very end of
    /// the clock (``maximumWallMillis`` and ``maximumCounter``, a stamp no honest node makes) the
    /// stamp stays where it is rather than wrap round to an earlier one.
    ///
    /// - Parameters:
    ///   - last: The latest stamp this node has made or seen, if any.
    ///   - now: The node's wall clock.
    ///   - node: This node's id.
    public static func next(after last: HLC?, now: Date, node: String) -> HLC {
        let wall = Int64((now.timeIntervalSince1970 * 1000).rounded(.down))
        guard let last, last.wallMillis >= wall else {
            return HLC(wallMillis: wall, counter: 0, nodeID: node)
        }
        guard last.counter < maximumCounter else {
            guard last.wallMillis < maximumWallMillis else {
                return HLC(wallMillis: maximumWallMillis, counter: maximumCounter, nodeID: node)
            }
            return HLC(wallMillis: last.wallMillis + 1, counter: 0, nodeID: node)
        }
        return HLC(wallMillis: last.wallMillis, counter: last.counter + 1, nodeID: node)
    }

    /// The stamp after receiving `remote`: later than both `last` and `remote`, so whatever this node
    /// does next is ordered after what it has just learned.
    public static func receive(_ remote: HLC, after last: HLC?, now: Date, node: String) -> HLC {
        let newest = max(last ?? remote, remote)
        return next(after: newest, now: now, node: node)
    }
}
