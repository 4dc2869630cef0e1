/// The payloads of the change log (`schemas/payloads.csv`): every key a synced row carries, its
/// JSON type, and whether it may be null.
///
/// One table says it for both stores. The store's change-log views journal exactly these keys;
/// head office takes a pushed change only when its payload has every key of its entity, no other,
/// each of its type (`rules/change_validity.sql` of head office, which central init loads this file
/// for); a counter quarantines a pulled row whose payload does not fit.
///
/// ```swift
/// PayloadShape.standard.fields(of: "tickets").map(\.key)   // ["id", "booking_id", …]
/// ```
public struct PayloadShape: Sendable, Hashable {
    /// The JSON type of a key's value.
    public enum ValueType: String, Sendable, Hashable, CaseIterable {
        /// A JSON string.
        case text
        /// A JSON string holding a UTC time as the store writes it: `2026-12-01 09:30:00.000`.
        case instant
        /// A JSON number without a fraction.
        case integer
        /// A JSON object.
        case object
        /// A JSON array.
        case array
    }

    /// One key of one entity's payload.
    public struct Field: Sendable, Hashable {
        /// The synced table.
        public var entity: String
        /// The key, which is the table's column of the same name.
        public var key: String
        /// Its type.
        public var type: ValueType
        /// Whether it may be null.
        public var nullable: Bool
    }

    /// The fields, in the file's order.
    public var fields: [Field]
    /// The file's `# version: N`.
    public var version: Int

    /// The table the kit was built with.
    public static let standard: PayloadShape = {
        do {
            return try PayloadShape(csv: EmbeddedSchema.table("payloads"))
        } catch {
            preconditionFailure("schemas/payloads.csv does not read: \(error)")   // a test reads it first
        }
    }()

    /// The entities the table lists, in the file's order.
    public var entities: [String] {
        fields.reduce(into: [String]()) { names, field in
            if names.last != field.entity { names.append(field.entity) }
        }
    }

    /// The fields of one entity, in the file's order.
    public func fields(of entity: String) -> [Field] {
        fields.filter { $0.entity == entity }
    }

    /// What is wrong with `payload` as a row of `entity`, in a cashier's words, or `nil` when it fits:
    /// the entity is unknown, a key is missing or unknown, or a value is not of its key's type.
    func problem(in payload: FeedPayload, of entity: String) -> String? {
        problem(in: payload, of: entity, optional: [], unknownKeys: false)
    }

    /// What keeps `payload` from being applied as a row of `entity`: as ``problem(in:of:)``, but a
    /// key of `optional` (one the feed fills in when missing) may be missing, a nullable key too,
    /// and keys the table does not know are let through (they are not read).
    func problemApplying(_ payload: FeedPayload, of entity: String, optional: Set<String>) -> String? {
        problem(in: payload, of: entity, optional: optional, unknownKeys: true)
    }

    private func problem(in payload: FeedPayload, of entity: String, optional: Set<String>, unknownKeys: Bool) -> String? {
        let expected = fields(of: entity)
        guard !expected.isEmpty else { return "there are no \(entity) rows to sync" }
        let members = Dictionary(payload.members.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        for field in expected {
            guard let value = members[field.key] else {
                if unknownKeys && (field.nullable || optional.contains(field.key)) { continue }
                return "its \(field.key) is missing"
            }
            if case .null = value {
                if field.nullable { continue }
                return "its \(field.key) is empty"
            }
            guard field.type.admits(value) else { return "its \(field.key) is not \(field.type.article)" }
        }
        if !unknownKeys, let unknown = payload.members.map(\.key).first(where: { key in !expected.contains { $0.key == key } }) {
            return "it has a \(unknown) that \(entity) rows do not have"
        }
        return nil
    }

    /// Reads the table's CSV text.
    public init(csv: String) throws(SchemaCSVMalformed) {
        let table = try SchemaCSV.read(csv, header: ["entity", "key", "type", "nullable"]).get()
        var fields: [Field] = []
        for line in table.lines {
            let cells = line.cells
            guard let type = ValueType(rawValue: cells[2]), ["yes", "no"].contains(cells[3]), !cells[0].isEmpty, !cells[1].isEmpty
            else { throw SchemaCSVMalformed(description: "line \(line.number): \(cells.joined(separator: ","))") }
            guard !fields.contains(where: { $0.entity == cells[0] && $0.key == cells[1] }) else {
                throw SchemaCSVMalformed(description: "line \(line.number): \(cells[0]).\(cells[1]) twice")
            }
            fields.append(Field(entity: cells[0], key: cells[1], type: type, nullable: cells[3] == "yes"))
        }
        self.fields = fields
        self.version = table.version
    }
}

extension PayloadShape.ValueType {
    /// Whether `value` is of this type.
    func admits(_ value: FeedPayload.Value) -> Bool {
        switch (self, value) {
        // The store's reader gives nested JSON as its text, `{…}` or `[…]`.
        case (.text, .text): true
        case (.instant, .text(let text)): Self.isInstant(text)
        case (.integer, .integer): true
        case (.object, .text(let text)): text.hasPrefix("{")
        case (.array, .text(let text)): text.hasPrefix("[")
        default: false
        }
    }

    /// Whether `text` is an instant as the store writes it (GRDB's text form of a `Date`).
    static func isInstant(_ text: String) -> Bool {
        let digits = "0123456789"
        let pattern = Array("DDDD-DD-DD DD:DD:DD.DDD")
        let characters = Array(text)
        guard characters.count == pattern.count else { return false }
        return zip(characters, pattern).allSatisfy { character, expected in
            expected == "D" ? digits.contains(character) : character == expected
        }
    }

    /// The type with its article, for a sentence.
    var article: String {
        switch self {
        case .text: "text"
        case .instant: "a time like 2026-12-01 09:30:00.000"
        case .integer: "an integer"
        case .object: "an object"
        case .array: "a list"
        }
    }
}
