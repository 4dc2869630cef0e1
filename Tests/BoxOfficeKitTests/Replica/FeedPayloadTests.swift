import Foundation
import GRDB
import Testing
@testable import BoxOfficeKit

/// A pulled payload is read once in Swift; every value must be what SQLite's `->>` gives for it,
/// because that is what the apply statements used to read and what the tables expect.
struct FeedPayloadTests {
    /// Payloads as PostgreSQL's `jsonb::text` writes them, and some it could.
    static let payloads = [
        #"{"id": "01a2", "hlc": "009000000000001-00000-central", "price": 50000, "status": "active"}"#,
        #"{"total": -12, "ratio": 1.5, "big": 1e3, "neg": -0.25, "huge": 123456789012345678901234567890, "zero": 0}"#,
        #"{"enabled": true, "deleted": false, "deleted_at": null}"#,
        #"{"name": "Café \"Lumière\" \\ \/ \b\f\n\r\t", "emoji": "\ud83c\udfac film", "tab": "\u0009"}"#,
        #"{"layout_spec": {"rows": ["A", "B"], "aisles": [3, 7], "vip": {"from": "E", "price": 75000.5}}, "list": [], "empty": {}}"#,
        #"{"node_side": {"ticket": {"id": "t", "seat_id": "s"}, "booking": null}, "central_side": [1, "two", [true, false, null]]}"#,
        "{ \"spaced\" :\n\t\"out\" , \"n\" : 7 }",
        #"{}"#,
        #"{"city": "東京", "poster_url": "https://example.com/a.png?x=1&y=2"}"#,
    ]

    @Test(arguments: payloads)
    func everyValueIsWhatSQLiteArrowArrowGives(_ json: String) throws {
        let payload = try FeedPayload(json)
        let database = try DatabaseQueue()
        for (key, value) in payload.members {
            let expected = try database.read { db in
                try DatabaseValue.fetchOne(db, sql: "SELECT ? ->> ?", arguments: [json, key])!
            }
            switch value {
            case .null: #expect(expected.isNull, "\(key)")
            case .integer(let integer): #expect(expected == integer.databaseValue, "\(key)")
            case .real(let real): #expect(expected == real.databaseValue, "\(key)")
            case .text(let text):
                // Nested values compare as JSON (SQLite writes them minified, like this reader).
                if text.first == "{" || text.first == "[" {
                    let same = try database.read { db in
                        try Bool.fetchOne(db, sql: "SELECT json(?) = json(?)", arguments: [text, expected])!
                    }
                    #expect(same, "\(key): \(text) against \(expected)")
                } else {
                    #expect(expected == text.databaseValue, "\(key)")
                }
            }
        }
        let keys = try DatabaseQueue().read { db in try String.fetchAll(db, sql: "SELECT key FROM json_each(?)", arguments: [json]) }
        #expect(payload.members.map(\.key) == keys)
    }

    @Test(arguments: [
        "", "[]", #""text""#, "{", #"{"a"}"#, #"{"a": }"#, #"{"a": 1,}"#, #"{"a": tru}"#, #"{"a": 01x}"#,
        #"{"a": "unterminated}"#, #"{"a": "\x"}"#, #"{"a": "\ud83c"}"#, #"{"a": [1, 2}"#, #"{"a": {"b" 1}}"#,
        #"{"a": 1} trailing"#, "{\"a\": \"raw\ncontrol\"}", #"{"a": -}"#, #"{"a": 1.}"#, #"{"a": 1e}"#,
    ])
    func anythingButOneJSONObjectIsRefused(_ json: String) {
        #expect(throws: StoreError.self) { try FeedPayload(json) }
    }

    /// Found by fuzzing (`Fuzz/regressions/feed-payload/leading-zero.json`): the reader took `09` for 9,
    /// where RFC 8259 and SQLite's `->>` refuse a number with a leading zero.
    @Test(arguments: [#"{"number": 09}"#, #"{"a": -01}"#, #"{"a": 00}"#, #"{"a": 01.5}"#, #"{"a": 00e1}"#])
    func aNumberWithALeadingZeroIsRefusedAsSQLiteRefusesIt(_ json: String) throws {
        #expect(throws: StoreError.self) { try FeedPayload(json) }
        let valid = try DatabaseQueue().read { db in try Bool.fetchOne(db, sql: "SELECT json_valid(?)", arguments: [json]) }
        #expect(valid == false)
    }

    @Test func aZeroStartsANumberThatHasNoOtherIntegerDigits() throws {
        let payload = try FeedPayload(#"{"a": 0, "b": -0, "c": 0.5, "d": 0e1, "e": -0.0, "f": 10, "g": 1009}"#)
        #expect(payload.members.map(\.value) == [.integer(0), .integer(0), .real(0.5), .real(0), .real(-0.0), .integer(10), .integer(1009)])
    }

    /// Found by the fuzz target's depth property (`Fuzz/regressions/feed-payload/nested-2001.json`):
    /// the reader took any depth, one recursion per level, so a payload deep enough would run a
    /// counter's pull out of stack, where SQLite refuses a text nested deeper than 2000.
    @Test(arguments: [1999, 2000, 2001, 100_000])
    func nestingDeeperThanSQLiteTakesIsRefused(depth: Int) throws {
        let arrays = #"{"a":"# + String(repeating: "[", count: depth - 1) + String(repeating: "]", count: depth - 1) + "}"
        let objects = String(repeating: #"{"a":"#, count: depth - 1) + "{}" + String(repeating: "}", count: depth - 1)
        for json in [arrays, objects] {
            let valid = try DatabaseQueue().read { db in try Bool.fetchOne(db, sql: "SELECT json_valid(?)", arguments: [json]) }
            #expect(valid == (depth <= 2000))
            if depth <= 2000 {
                #expect(try FeedPayload(json).members.count == 1)
            } else {
                #expect(throws: StoreError.self) { try FeedPayload(json) }
            }
        }
    }
}
