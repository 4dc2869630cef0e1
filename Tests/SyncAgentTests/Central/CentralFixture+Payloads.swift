import Foundation
@testable import BoxOfficeKit

extension CentralFixture {
    /// `change` with every key of its entity's payload (`schemas/payloads.csv`) that the test left
    /// out filled in as a counter would have written it: tests name what they are about, and head
    /// office checks the rest as it checks any push. Keys given are never changed, so a test that
    /// forges a value forges it.
    static func completed(_ change: [String: Any], store: String) -> [String: Any] {
        guard let entity = change["entity"] as? String, change["operation"] as? String != "delete",
              var payload = change["payload"] as? [String: Any] else { return change }
        for field in PayloadShape.standard.fields(of: entity) where payload[field.key] == nil {
            payload[field.key] = defaultValue(field, entity: entity, change: change, payload: payload, store: store)
        }
        var completed = change
        completed["payload"] = payload
        return completed
    }

    private static func defaultValue(
        _ field: PayloadShape.Field, entity: String, change: [String: Any], payload: [String: Any], store: String
    ) -> Any {
        switch (entity, field.key) {
        case (_, "hlc"): return change["hlc"] ?? NSNull()
        case ("bookings", "code"):
            // The store's prefix and a number of the booking's own, so every copy of it has one code.
            var hash: UInt64 = 14_695_981_039_346_656_037
            for byte in (change["entity_id"] as? String ?? "").utf8 { hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211 }
            return codePrefix(store) + "-" + String(format: "%08d", hash % 100_000_000)
        case ("bookings", "node_id"): return store
        case ("bookings", "channel"): return "counter"
        case ("bookings", "payment_method_id"):
            return ["paid", "refunded"].contains(payload["status"] as? String ?? "") ? "method-cash" : NSNull()
        case ("bookings", "sold_at"):
            return ["paid", "refunded"].contains(payload["status"] as? String ?? "") ? instant(Date()) : NSNull()
        case ("tickets", "price_version"), ("showtimes", "price_version"): return "v1"
        case ("showtimes", "base_price"): return 50_000
        case ("seats", "kind"): return "regular"
        case ("seats", "row_label"): return String((payload["label"] as? String ?? "A").prefix(1))
        case ("seats", "number"): return Int((payload["label"] as? String ?? "A1").dropFirst()) ?? 1
        case ("seats", "label"): return "A1"
        case ("movies", "duration_minutes"): return 120
        case ("payment_methods", "kind"): return "cash"
        case ("payment_methods", "code"): return "cash"
        case ("payment_methods", "enabled"): return 1
        case ("users", "role"): return "customer"
        case ("users", "password_hash"): return "$y$j9T$fixture$fixture"
        case ("users", "email"): return "someone@example.com"
        case ("cinemas", "time_zone"): return "Asia/Jakarta"
        case (_, "name"), (_, "title"), (_, "city"): return "Test " + field.key
        case (_, "status"):
            return ["showtimes": "scheduled", "tickets": "active", "bookings": "paid"][entity] ?? ""
        default: break
        }
        if field.nullable { return NSNull() }
        switch field.type {
        case .text: return ""
        case .instant: return instant(Date())
        case .integer: return 0
        case .object: return [String: Any]()
        case .array: return [Any]()
        }
    }
}
