/// A feed row's payload taken apart once: each member of the JSON object as the SQL value that
/// SQLite's `payload->>'key'` would give, so a page is applied without parsing any payload again.
///
/// SQLite 3.40 keeps no parsed form of a JSON text: every `->>` parses the whole object again,
/// and a pulled page read twenty columns out of each booking that way. Reading each payload once,
/// here, and binding the values into typed columns makes the apply a matter of plain inserts.
struct FeedPayload: Sendable {
    /// One member's value, typed as SQLite's `->>` types it.
    enum Value: Sendable, Equatable {
        /// JSON `null`.
        case null
        /// An integral JSON number that fits 64 bits, or `true` (1) / `false` (0).
        case integer(Int64)
        /// Any other JSON number.
        case real(Double)
        /// A JSON string, unescaped; or a nested object or array as minified JSON text.
        case text(String)
    }

    /// The object's members in the order they appear.
    private(set) var members: [(key: String, value: Value)] = []

    /// Reads `json`, which must be one JSON object.
    ///
    /// - Throws: ``StoreError/damaged(_:)`` when it is not.
    init(_ json: String) throws(StoreError) {
        var json = json
        let members = json.withUTF8 { bytes -> [(key: String, value: Value)]? in
            var reader = Reader(bytes: bytes)
            return try? reader.object()
        }
        guard let members else {
            throw StoreError.damaged("head office sent a feed row whose payload is not a JSON object")
        }
        self.members = members
    }

    private struct Malformed: Error {}

    /// SQLite's JSON_MAX_DEPTH: it refuses a text nested deeper, the object itself counted, so `->>`
    /// never read one. Refusing it here also bounds the reader's recursion, which a payload nested
    /// deep enough would otherwise drive off the end of the stack (found by fuzzing).
    static let maximumDepth = 2000

    /// A recursive-descent reader over UTF-8 bytes (RFC 8259).
    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0
        /// How many objects and arrays enclose the reader, the payload's own object counted.
        var depth = 1

        mutating func object() throws -> [(key: String, value: Value)] {
            skipWhitespace()
            try expect(UInt8(ascii: "{"))
            var members: [(key: String, value: Value)] = []
            skipWhitespace()
            if peek() == UInt8(ascii: "}") {
                index += 1
            } else {
                while true {
                    skipWhitespace()
                    let key = try string()
                    skipWhitespace()
                    try expect(UInt8(ascii: ":"))
                    skipWhitespace()
                    members.append((key, try value()))
                    skipWhitespace()
                    if peek() == UInt8(ascii: ",") { index += 1; continue }
                    try expect(UInt8(ascii: "}"))
                    break
                }
            }
            skipWhitespace()
            guard index == bytes.count else { throw Malformed() }
            return members
        }

        private mutating func value() throws -> Value {
            switch peek() {
            case UInt8(ascii: "\""): return .text(try string())
            case UInt8(ascii: "{"), UInt8(ascii: "["): return .text(try nested())
            case UInt8(ascii: "t"): try literal("true"); return .integer(1)
            case UInt8(ascii: "f"): try literal("false"); return .integer(0)
            case UInt8(ascii: "n"): try literal("null"); return .null
            default: return try number()
            }
        }

        private mutating func string() throws -> String {
            try expect(UInt8(ascii: "\""))
            let start = index
            while index < bytes.count, bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "\\") {
                guard bytes[index] >= 0x20 else { throw Malformed() }
                index += 1
            }
            guard index < bytes.count else { throw Malformed() }
            if bytes[index] == UInt8(ascii: "\"") {
                defer { index += 1 }
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            }
            var unescaped = Array(bytes[start..<index])
            while true {
                guard index < bytes.count else { throw Malformed() }
                let byte = bytes[index]
                index += 1
                switch byte {
                case UInt8(ascii: "\""):
                    return String(decoding: unescaped, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    try escape(into: &unescaped)
                case ..<0x20:
                    throw Malformed()
                default:
                    unescaped.append(byte)
                }
            }
        }

        private mutating func escape(into output: inout [UInt8]) throws {
            guard index < bytes.count else { throw Malformed() }
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): output.append(byte)
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hexQuad()
                if (0xD800..<0xDC00).contains(scalar) {
                    // A high surrogate must be followed by an escaped low one.
                    guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
                    else { throw Malformed() }
                    index += 2
                    let low = try hexQuad()
                    guard (0xDC00..<0xE000).contains(low) else { throw Malformed() }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let unicode = Unicode.Scalar(scalar) else { throw Malformed() }
                output.append(contentsOf: Array(String(Character(unicode)).utf8))
            default:
                throw Malformed()
            }
        }

        private mutating func hexQuad() throws -> UInt32 {
            guard index + 4 <= bytes.count else { throw Malformed() }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[index]
                index += 1
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: throw Malformed()
                }
                value = value << 4 | UInt32(digit)
            }
            return value
        }

        /// A number, integral when it has no fraction or exponent and fits 64 bits (as in SQLite).
        private mutating func number() throws -> Value {
            let start = index
            if peek() == UInt8(ascii: "-") { index += 1 }
            if peek() == UInt8(ascii: "0") {
                // A zero is the whole integer part: RFC 8259 and SQLite refuse `09` (found by fuzzing).
                index += 1
                if let next = peek(), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(next) { throw Malformed() }
            } else {
                guard try digits() else { throw Malformed() }
            }
            var integral = true
            if peek() == UInt8(ascii: ".") {
                index += 1
                integral = false
                guard try digits() else { throw Malformed() }
            }
            if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
                index += 1
                integral = false
                if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { index += 1 }
                guard try digits() else { throw Malformed() }
            }
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            if integral, let integer = Int64(text) { return .integer(integer) }
            guard let real = Double(text) else { throw Malformed() }
            return .real(real)
        }

        private mutating func digits() throws -> Bool {
            let start = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            return index > start
        }

        /// A nested object or array, checked and returned as minified JSON text.
        private mutating func nested() throws -> String {
            var output: [UInt8] = []
            try nested(into: &output)
            return String(decoding: output, as: UTF8.self)
        }

        private mutating func nested(into output: inout [UInt8]) throws {
            guard let open = peek(), depth < FeedPayload.maximumDepth else { throw Malformed() }
            depth += 1
            defer { depth -= 1 }
            let isObject = open == UInt8(ascii: "{")
            let close = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
            output.append(open)
            index += 1
            skipWhitespace()
            if peek() == close {
                output.append(close)
                index += 1
                return
            }
            while true {
                skipWhitespace()
                if isObject {
                    let start = index
                    _ = try string()
                    output.append(contentsOf: bytes[start..<index])
                    skipWhitespace()
                    try expect(UInt8(ascii: ":"))
                    output.append(UInt8(ascii: ":"))
                    skipWhitespace()
                }
                let start = index
                switch peek() {
                case UInt8(ascii: "{"), UInt8(ascii: "["): try nested(into: &output)
                default:
                    _ = try value()
                    output.append(contentsOf: bytes[start..<index])
                }
                skipWhitespace()
                if peek() == UInt8(ascii: ",") {
                    output.append(UInt8(ascii: ","))
                    index += 1
                    continue
                }
                try expect(close)
                output.append(close)
                return
            }
        }

        private mutating func literal(_ word: StaticString) throws {
            let count = word.utf8CodeUnitCount
            guard index + count <= bytes.count,
                  UnsafeBufferPointer(rebasing: bytes[index..<index + count]).elementsEqual(
                      UnsafeBufferPointer(start: word.utf8Start, count: count))
            else { throw Malformed() }
            index += count
        }

        private func peek() -> UInt8? {
            index < bytes.count ? bytes[index] : nil
        }

        private mutating func expect(_ byte: UInt8) throws {
            guard peek() == byte else { throw Malformed() }
            index += 1
        }

        private mutating func skipWhitespace() {
            while let byte = peek(),
                  byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\t") {
                index += 1
            }
        }
    }
}
