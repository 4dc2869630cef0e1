import Foundation
import Testing
@testable import BoxOfficeKit

/// What the fuzz target `hlc` (`Fuzz/HLCFuzz.swift`) found in the stamp's text form and clock.
struct HLCTests {
    /// Found with the fuzz target's order property (`Fuzz/regressions/hlc/canonically-equal-nodes.txt`):
    /// stamps compared node ids as Swift strings, for which a composed é and a decomposed one are the
    /// same; SQLite and PostgreSQL compare the text byte by byte, so two different stamps were equal in
    /// Swift, and stamps sorted otherwise than their text.
    @Test func stampsCompareAsTheirTextDoesByteByByte() throws {
        let composed = try #require(HLC("000000000000001-00000-\u{E9}"))
        let decomposed = try #require(HLC("000000000000001-00000-e\u{301}"))
        let plain = try #require(HLC("000000000000001-00000-f"))
        #expect(composed != decomposed)
        #expect(Set([composed, decomposed]).count == 2)
        // In UTF-8, "e\u{301}" < "f" < "\u{E9}".
        #expect(decomposed < plain && plain < composed)
        #expect(!(composed < decomposed) && decomposed < composed)
    }
}
