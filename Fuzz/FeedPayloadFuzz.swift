// libFuzzer target: FeedPayload (Sources/BoxOfficeKit/Replica/FeedPayload.swift), the reader of a
// pulled feed row's payload. Head office's feed carries what any counter pushed, so every byte here
// may be hostile. Built and run by scripts/fuzz.sh.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func feedPayloadFuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let text = fuzzText(start, count)
    let payload = try? FeedPayload(text)
    FeedPayloadOracle(text: text, payload: payload).check()
    return 0
}

/// Compares what FeedPayload read with what Foundation's JSONSerialization makes of the same text.
///
/// The reader promises RFC 8259 and each value as SQLite's `->>` types it, so the two must agree on
/// which texts are one JSON object and on every member's value, wherever JSONSerialization's answer
/// is well defined: it refuses nesting deeper than 512 and numbers beyond `Double` (SQLite reads
/// those), keeps one of several equal keys, and guesses UTF-16 from NUL bytes.
struct FeedPayloadOracle {
    let text: String
    let payload: FeedPayload?

    /// SQLite's JSON_MAX_DEPTH (3.40): it refuses a text nested deeper, the top object counted, so
    /// the reader must too; JSONSerialization stops at 512, which says nothing about 513 to 2000.
    static let sqliteMaximumDepth = 2000

    func check() {
        require(payload == nil || Self.depth(text) <= Self.sqliteMaximumDepth,
                "accepted nesting \(Self.depth(text)) deep, which SQLite refuses: \(text.prefix(80).debugDescription)…")
        // A raw NUL is never JSON (outside a string it is no token, inside it is a control character);
        // JSONSerialization would read such bytes as UTF-16, so the answer is decided here.
        if text.utf8.contains(0) {
            require(payload == nil, "accepted a raw NUL: \(text.debugDescription)")
            return
        }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(text.utf8))
        } catch {
            let reason = "\((error as NSError).userInfo[NSDebugDescriptionErrorKey] ?? error)"
            // Beyond what JSONSerialization can represent: SQLite reads these, so no verdict.
            if reason.contains("Too many nested") || reason.contains("not representable") { return }
            require(payload == nil, "accepted what JSONSerialization refuses (\(reason)): \(text.debugDescription)")
            return
        }
        guard let dictionary = object as? [String: Any] else {
            require(payload == nil, "accepted a JSON text that is not an object: \(text.debugDescription)")
            return
        }
        guard let payload else {
            // JSONSerialization forgives a trailing comma and a byte order mark; RFC 8259 and SQLite
            // do not, and neither does the reader.
            require(Self.hasTrailingComma(text) || text.hasPrefix("\u{FEFF}"), "refused a JSON object: \(text.debugDescription)")
            return
        }
        let keys = payload.members.map(\.key)
        require(Set(keys) == Set(dictionary.keys), "keys \(keys) against \(dictionary.keys.sorted()): \(text.debugDescription)")
        // A key given twice has no one value (RFC 8259 § 4); JSONSerialization keeps the last.
        let once = Dictionary(keys.map { ($0, 1) }, uniquingKeysWith: +).filter { $0.value == 1 }.keys
        for member in payload.members where once.contains(member.key) {
            require(Self.same(member.value, dictionary[member.key]!),
                    "\(member.key.debugDescription): \(member.value) against \(dictionary[member.key]!): \(text.debugDescription)")
        }
    }

    /// Whether the reader's value is JSONSerialization's, typed as SQLite's `->>` types it.
    static func same(_ value: FeedPayload.Value, _ json: Any) -> Bool {
        switch (value, json) {
        case (.null, is NSNull):
            return true
        case let (.text(text), string as String):
            return text.unicodeScalars.elementsEqual(string.unicodeScalars)
        case let (.text(text), nested) where nested is [Any] || nested is [String: Any]:
            // `->>` gives a nested value as minified JSON text: the same JSON, which the reader
            // reads back unchanged, so the apply statements see one text whichever way it came.
            guard let reread = try? JSONSerialization.jsonObject(with: Data(text.utf8)), equal(reread, nested),
                  let again = try? FeedPayload(#"{"k":"# + text + "}")
            else { return false }
            return again.members.count == 1 && again.members[0].value == .text(text)
        case let (.integer(integer), number as NSDecimalNumber):
            // JSONSerialization keeps some integers (Int64.min among them) as exact decimals; it keeps
            // `2923372096748707.0` so too, which SQLite reads as a real: the value is what can be told.
            return number.stringValue == String(integer)
        case let (.integer(integer), number as NSNumber):
            // JSON true and false are SQLite's 1 and 0; other integers must fit 64 bits signed.
            return ["c", "s", "i", "l", "q"].contains(String(cString: number.objCType)) && number.int64Value == integer
        case let (.real(real), number as NSNumber):
            if number is NSDecimalNumber {
                // JSONSerialization keeps a number of many digits as an exact decimal; its own
                // conversion to Double is not correctly rounded, as SQLite's is, but its digits are.
                return Double(number.stringValue) == real
            }
            switch String(cString: number.objCType) {
            case "d": return real == number.doubleValue
            case "Q": return number.uint64Value > UInt64(Int64.max) && real == Double(number.uint64Value)
            default: return false
            }
        default:
            return false
        }
    }

    /// How deep brackets outside strings nest.
    static func depth(_ text: String) -> Int {
        var inString = false, escaped = false, depth = 0, deepest = 0
        for byte in text.utf8 {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1; deepest = max(deepest, depth)
            case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
            default: break
            }
        }
        return deepest
    }

    /// Whether a comma outside every string comes right before a closing bracket.
    static func hasTrailingComma(_ text: String) -> Bool {
        var inString = false, escaped = false, comma = false
        for byte in text.utf8 {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true; comma = false
            case UInt8(ascii: ","): comma = true
            case UInt8(ascii: "}"), UInt8(ascii: "]"): if comma { return true }
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): break
            default: comma = false
            }
        }
        return false
    }

    /// Deep equality of two JSONSerialization values, strings scalar by scalar (Swift's `==` would
    /// take a decomposed é for a composed one).
    static func equal(_ left: Any, _ right: Any) -> Bool {
        switch (left, right) {
        case (is NSNull, is NSNull):
            return true
        case let (left as String, right as String):
            return left.unicodeScalars.elementsEqual(right.unicodeScalars)
        case let (left as NSNumber, right as NSNumber):
            return left == right
        case let (left as [Any], right as [Any]):
            return left.count == right.count && zip(left, right).allSatisfy { equal($0, $1) }
        case let (left as [String: Any], right as [String: Any]):
            return left.count == right.count && left.allSatisfy { key, value in right[key].map { equal(value, $0) } ?? false }
        default:
            return false
        }
    }
}
