import Foundation
import TestSupport
import Testing
@testable import BoxOfficeKit
@testable import SyncAgent

/// Head office checks every pushed payload against the change log's payload table
/// (`schemas/payloads.csv`, central.payload_fields), row by row: a key missing, null where it may
/// not be, of another type, or one the entity has not, is the change's defect, in words.
@Suite(.enabled(if: TestPostgres.isAvailable, "needs the PostgreSQL server started by scripts/test.sh"))
struct ChangeValidityTests {
    let fixture: CentralFixture
    let database: PostgresConnection

    init() throws {
        fixture = try CentralFixture()
        database = try PostgresConnection(url: fixture.databaseURL)
    }

    private func defect(_ entity: String, _ payload: [String: Any]) throws -> String? {
        let id = entity == "seat_blocks" ? "\(payload["showtime_id"] ?? "")/\(payload["seat_id"] ?? "")" : payload["id"] as? String ?? ""
        let json = String(decoding: try JSONSerialization.data(withJSONObject: payload), as: UTF8.self)
        return try database.query("SELECT central.payload_shape_defect($1, $2, 'insert', $3::jsonb)", [entity, id, json]).scalar
    }

    /// A value of another type than `type`'s.
    private func wrongValue(for type: PayloadShape.ValueType) -> Any {
        switch type {
        case .text, .instant: 42
        case .integer: "42"
        case .object: [1, 2]
        case .array: ["a": 1]
        }
    }

    @Test func everyKeyOfEveryPayloadIsCheckedAsTheTableSays() throws {
        let shape = PayloadShape.standard
        for entity in shape.entities {
            let id = "row-\(entity)"
            let change = CentralFixture.completed(
                ["seq": 1, "hlc": "001600000000000-00000-x", "entity": entity, "entity_id": id, "operation": "insert",
                 "payload": entity == "seat_blocks" ? ["showtime_id": "s", "seat_id": "t"] : ["id": id]],
                store: "store-x")
            let payload = try #require(change["payload"] as? [String: Any])
            #expect(try defect(entity, payload) == nil, "\(entity): a complete payload")
            for field in shape.fields(of: entity) {
                var missing = payload
                missing[field.key] = nil
                #expect(try defect(entity, missing) == "its \(field.key) is missing", "\(entity).\(field.key)")
                var wrong = payload
                wrong[field.key] = wrongValue(for: field.type)
                #expect(try defect(entity, wrong)?.hasPrefix("its \(field.key) is not") == true, "\(entity).\(field.key)")
                var null = payload
                null[field.key] = NSNull()
                #expect(try defect(entity, null) == (field.nullable ? nil : "its \(field.key) is empty"), "\(entity).\(field.key)")
            }
            var extra = payload
            extra["is_admin"] = true
            #expect(try defect(entity, extra) == "it has a is_admin that \(entity) rows do not have")
        }
    }

    @Test func instantsAreRealTimesInTheStoresForm() throws {
        for (text, valid) in [("2026-12-01 09:30:00.000", true), ("2026-02-29 00:00:00.000", false), ("2028-02-29 23:59:59.999", true),
                              ("2026-12-01T09:30:00.000", false), ("2026-13-01 00:00:00.000", false), ("2026-12-01 24:00:00.000", false),
                              ("2026-12-01 09:30:00", false), ("0000-01-01 00:00:00.000", false), ("", false)] {
            #expect(try database.query("SELECT central.is_instant($1)", [text]).scalar == (valid ? "t" : "f"), "\(text)")
        }
    }
}
