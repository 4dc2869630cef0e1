// libFuzzer target: the HLC parser and clock (Sources/BoxOfficeKit/ChangeLog/HLC.swift). Stamps
// arrive in feed rows and push outcomes, written by head office from what any counter sent.
// Built and run by scripts/fuzz.sh.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func hlcFuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let text = fuzzText(start, count)
    if let stamp = HLC(text) { HLCProperties.check(stamp, text: text) }
    // Two stamps on two lines: their text order must be their order (SQLite compares the text).
    let lines = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
    if lines.count == 2, let first = HLC(String(lines[0])), let second = HLC(String(lines[1])) {
        HLCProperties.checkOrder(first, second)
    }
    return 0
}

enum HLCProperties {
    /// The node the fuzzed clock runs as, and two wall clocks: one long before any parsed stamp can
    /// be (the stamp is ahead of the clock) and one on a real day.
    static let node = "019375c2-7d4e-7000-8000-00000000f022"
    static let clocks = [Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: 1_764_547_200.123)]

    static func check(_ stamp: HLC, text: String) {
        // A stamp reads back as itself, byte for byte: it is stored and compared as this text.
        require(stamp.description.utf8.elementsEqual(text.utf8), "\(text.debugDescription) reads back as \(stamp.description.debugDescription)")
        require(HLC(stamp.description) == stamp, "\(text.debugDescription) does not parse again")
        // Its Codable form (push outcomes, `--json`) is the same text.
        let encoded = try? JSONEncoder().encode(stamp)
        require(encoded.flatMap { try? JSONDecoder().decode(HLC.self, from: $0) } == stamp, "\(text.debugDescription) does not survive Codable")
        for now in clocks {
            checkLater(HLC.next(after: stamp, now: now, node: node), than: stamp, "next after")
            checkLater(HLC.receive(stamp, after: nil, now: now, node: node), than: stamp, "receive of")
        }
    }

    /// What the clock makes after `stamp` is later, and stays a stamp whose text sorts after it; at
    /// the very end of the clock (`HLC.maximumWallMillis`, `HLC.maximumCounter`) it stays there, a
    /// stamp still, rather than wrap round to an earlier one.
    static func checkLater(_ later: HLC, than stamp: HLC, _ what: String) {
        require(HLC(later.description) == later, "\(what) \(stamp) is \(later.description.debugDescription), which is not a stamp")
        if stamp.wallMillis == HLC.maximumWallMillis && stamp.counter == HLC.maximumCounter {
            require(later.wallMillis == stamp.wallMillis && later.counter == stamp.counter, "\(what) \(stamp) is \(later), off the end")
            return
        }
        require(later > stamp, "\(what) \(stamp) is \(later), not later")
        require(stamp.description.utf8.lexicographicallyPrecedes(later.description.utf8),
                "\(what) \(stamp) is \(later.description.debugDescription), which sorts before it as text")
    }

    static func checkOrder(_ first: HLC, _ second: HLC) {
        let textOrder = first.description.utf8.lexicographicallyPrecedes(second.description.utf8)
        let textEqual = first.description.utf8.elementsEqual(second.description.utf8)
        require((first < second) == textOrder, "\(first) < \(second) is \(first < second) but their text says \(textOrder)")
        require((first == second) == textEqual, "\(first) == \(second) is \(first == second) but their text says \(textEqual)")
    }
}
