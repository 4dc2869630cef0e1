import Foundation
import GRDB
import Testing
@testable import BoxOfficeKit

struct ChangeLogTests {
    struct Entry: Decodable, FetchableRecord {
        var seq: Int64
        var hlc: String
        var entity: String
        var entityId: String
        var operation: String
        var payload: String
        static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    }

    func entries(_ box: BoxOffice, entity: String) throws -> [Entry] {
        try box.writer.read { db in
            try Entry.fetchAll(db, sql: "SELECT * FROM change_log WHERE entity = ? ORDER BY seq", arguments: [entity])
        }
    }

    @Test func aCatalogAddIsJournalledWithItsStampAndPayload() async throws {
        let fixture = try await CatalogFixture()
        let cinema = try await fixture.addCinema("Cinema Braga")
        let logged = try entries(fixture.box, entity: "cinemas")
        #expect(logged.count == 1)
        #expect(logged.first?.entityId == cinema.id)
        #expect(logged.first?.operation == "insert")
        #expect(logged.first?.hlc == cinema.hlc)
        #expect(HLC(cinema.hlc)?.nodeID == fixture.box.nodeID)
        let payload = try JSONSerialization.jsonObject(with: Data((logged.first?.payload ?? "").utf8)) as? [String: Any]
        #expect(payload?["name"] as? String == "Cinema Braga")
        #expect(payload?["time_zone"] as? String == "Asia/Jakarta")
        #expect(payload?["hlc"] as? String == cinema.hlc)

        let studio = try await fixture.addStudio(cinema, layout: "rows A-B; seats 1-5")
        #expect(try entries(fixture.box, entity: "studios").map(\.hlc) == [studio.hlc])
        let seats = try entries(fixture.box, entity: "seats")
        #expect(seats.count == 10)
        #expect(seats.allSatisfy { $0.hlc == studio.hlc })
        #expect(studio.hlc > cinema.hlc)
    }

    @Test func anEditIsJournalledAsAnUpdate() async throws {
        let fixture = try await CatalogFixture()
        let cinema = try await fixture.addCinema()
        let edited = try await fixture.catalog.editCinema(id: cinema.id, CinemaChanges(city: "Jakarta Selatan"), by: fixture.manager)
        let logged = try entries(fixture.box, entity: "cinemas")
        #expect(logged.map(\.operation) == ["insert", "update"])
        #expect(logged.last?.hlc == edited.hlc)
        #expect(logged.last?.payload.contains("Jakarta Selatan") == true)
    }

    @Test func aRolledBackTransactionLeavesNoLogRow() async throws {
        let fixture = try await CatalogFixture()
        struct Abort: Error {}
        let before = try fixture.snapshot()
        await #expect(throws: Abort.self) {
            try await fixture.box.write { db, stamp in
                try Cinema(
                    id: EntityID.make(), name: "Ghost", city: "Nowhere", address: "", timeZone: "Asia/Jakarta",
                    createdAt: Date(), updatedAt: Date(), deletedAt: nil, hlc: stamp.description
                ).insert(db)
                // The trigger has logged the row inside this transaction…
                #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM change_log WHERE entity = 'cinemas'") == 1)
                throw Abort()
            }
        }
        // …and the rollback took the row and its log entry away together.
        #expect(try fixture.snapshot() == before)
        #expect(try entries(fixture.box, entity: "cinemas").isEmpty)
    }

    @Test func aStampAtTheCounterLimitMovesTheWallOnSoTextOrderStaysStampOrder() throws {
        let last = HLC(wallMillis: 1_767_225_600_000, counter: HLC.maximumCounter, nodeID: "node")
        let next = HLC.next(after: last, now: Date(timeIntervalSince1970: 1_767_225_599), node: "node")
        #expect(next == HLC(wallMillis: 1_767_225_600_001, counter: 0, nodeID: "node"))
        #expect(next > last && next.description > last.description)
        #expect(HLC(next.description) == next)
        #expect(HLC("+01767225600000-00000-node") == nil, "only ASCII digits")
    }

    /// What a counter journals of a synced table (its payload view, rules/change_log.sql) and what
    /// it takes from head office's feed (FeedEntity) are the same columns.
    @Test func theChangeLogJournalsTheColumnsTheFeedApplies() async throws {
        let sales = try SalesFixture()
        _ = try await sales.box.sales.sell(showtime: sales.upcoming, seats: ["A1"], method: "cash", by: sales.cashier)
        try sales.execute("INSERT INTO seat_blocks (showtime_id, seat_id, reason, hlc) VALUES (?, ?, 'broken', '')",
                          [sales.upcoming, try sales.seatID("B1")])
        let journalled = try await sales.box.read { db in
            try Row.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'view' AND name LIKE '%_payload'")
                .map { $0["name"] as String }
        }
        let withPayloads = FeedEntity.all.filter { journalled.contains($0.table + "_payload") }
        #expect(Set(withPayloads.map(\.table)) == Set(FeedEntity.all.map(\.table)).subtracting(["seat_allotments", "legacy_ids"]),
                "every synced table but head office's allotments and imported old ids is journalled")
        for entity in withPayloads {
            let payload = try #require(try await sales.box.read { db in
                try String.fetchOne(db, sql: "SELECT payload FROM \(entity.table)_payload LIMIT 1")
            }, "\(entity.table) has a row")
            let keys = try #require(try JSONSerialization.jsonObject(with: Data(payload.utf8)) as? [String: Any]).keys
            #expect(Set(keys) == Set(entity.columns), "\(entity.table)")
        }
    }

    /// The change log's payloads are what `schemas/payloads.csv` says, key by key: each view
    /// journals every key of its entity and no other, each value of its type — so what head office
    /// checks a push against is what the store sends.
    @Test func everyPayloadHasTheKeysAndTypesOfThePayloadTable() async throws {
        let sales = try SalesFixture()
        _ = try await sales.box.sales.sell(showtime: sales.upcoming, seats: ["A1"], method: "cash", by: sales.cashier)
        try sales.execute("INSERT INTO seat_blocks (showtime_id, seat_id, reason, hlc) VALUES (?, ?, 'broken', '')",
                          [sales.upcoming, try sales.seatID("B1")])
        let shape = PayloadShape.standard
        for entity in shape.entities {
            let payloads = try await sales.box.read { db in
                try String.fetchAll(db, sql: "SELECT payload FROM \(entity)_payload")
            }
            #expect(!payloads.isEmpty, "\(entity) has a row")
            for text in payloads {
                let payload = try FeedPayload(text)
                #expect(shape.problem(in: payload, of: entity) == nil, "\(entity): \(text)")
                for field in shape.fields(of: entity) {
                    let value = payload.members.first { $0.key == field.key }?.value
                    #expect(value != nil, "\(entity).\(field.key) is journalled")
                }
            }
        }
        // The table tells a payload that does not fit, key by key.
        let text = try #require(try await sales.box.read { db in
            try String.fetchOne(db, sql: "SELECT payload FROM tickets_payload LIMIT 1") })
        let ticket = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        func problem(_ object: [String: Any]) throws -> String? {
            shape.problem(in: try FeedPayload(String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)),
                          of: "tickets")
        }
        for field in shape.fields(of: "tickets") {
            var changed = ticket
            changed[field.key] = nil
            #expect(try problem(changed) == "its \(field.key) is missing")
            changed[field.key] = field.type == .integer ? "x" : 1
            #expect(try problem(changed)?.contains(field.key) == true, "\(field.key)")
        }
        #expect(try problem(ticket.merging(["extra": NSNull()]) { $1 }) == "it has a extra that tickets rows do not have")
    }
}
