import Foundation
import TestSupport
import Testing
@testable import BoxOfficeKit
@testable import SyncAgent

/// The HLC text format exists twice — `HLC` (Swift) and head office's `rules/hlc.sql` — and both
/// read, write and advance stamps alike, the edges included.
@Suite(.enabled(if: TestPostgres.isAvailable, "needs the PostgreSQL server started by scripts/test.sh"))
struct HLCAgreementTests {
    let central: PostgresConnection

    init() throws {
        let url = try TestPostgres.makeDatabase()
        try HeadOffice(url: url).initialise()
        central = try PostgresConnection(url: url)
    }

    static let texts = [
        "001732550400123-00001-019375c2-aaaa", "000000000000000-00000-x", "999999999999999-99999-node",
        "001732550400123-00001-", "001732550400123-00001", "1732550400123-00001-x", "0017325504001230-00001-x",
        "001732550400123-0001-x", "+00173255040012-00001-x", "00173255040012 -00001-x", "001732550400123-+0001-x",
        "٠٠١٧٣٢٥٥٠٤٠٠١٢٣-00001-x", "001732550400123-00001-central", "001732550400123-00001-node-with-dashes",
        "", "-", "--", "001732550400123--x", "abcdefghijklmno-00001-x", "001732550400123-00001-x\ny",
    ]

    @Test func bothReadTheSameTextsAsStamps() throws {
        for text in Self.texts {
            let postgres = try central.query("SELECT central.hlc_valid($1)", [text]).scalar
            #expect(postgres == (HLC(text) != nil ? "t" : "f"), "\(text.debugDescription): Swift \(HLC(text).map(\.description) ?? "invalid")")
            if let stamp = HLC(text) { #expect(stamp.description == text, "\(text) reads back as itself") }
        }
    }

    @Test func bothWriteAStampAlike() throws {
        for (wall, counter, node) in [(Int64(0), 0, "x"), (1_732_550_400_123, 1, "019375c2-aaaa"), (999_999_999_999_999, 99_999, "central")] {
            let stamp = HLC(wallMillis: wall, counter: counter, nodeID: node)
            #expect(try central.query("SELECT central.hlc_format($1, $2, $3)", [String(wall), String(counter), node]).scalar
                    == stamp.description)
        }
    }

    @Test func bothAdvanceAStampAlikeTheCounterLimitIncluded() throws {
        let now: Int64 = 1_732_550_400_123
        let lasts: [String?] = [
            nil, "001732550400000-00007-other", "001732550400123-00007-other", "001732550400999-00007-other",
            "001732550400999-99998-other", "001732550400999-99999-other", "not a stamp",
            "999999999999999-99998-other", "999999999999999-99999-other",
        ]
        for last in lasts {
            let swift = HLC.next(after: last.flatMap(HLC.init), now: Date(timeIntervalSince1970: Double(now) / 1000), node: "central")
            let postgres = try central.query("SELECT central.hlc_next($1, $2, 'central')", [last, String(now)]).scalar
            #expect(postgres == swift.description, "after \(last ?? "nothing")")
            guard let last, let previous = HLC(last) else { continue }
            if previous.wallMillis == HLC.maximumWallMillis && previous.counter == HLC.maximumCounter {
                // The end of the clock: the stamp stays there, never wraps round to an earlier one.
                #expect(swift.wallMillis == previous.wallMillis && swift.counter == previous.counter, "after \(last)")
            } else {
                #expect(swift > previous, "after \(last)")
            }
        }
    }
}
