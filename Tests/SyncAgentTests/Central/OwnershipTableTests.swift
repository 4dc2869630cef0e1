import Foundation
import TestSupport
import Testing
@testable import BoxOfficeKit
@testable import SyncAgent

/// Head office follows the ownership table (`schemas/permissions.csv`) row by row: for every
/// entity and operation, a change sent by head office's own node, by the node that made the row,
/// by another node of the row's cinema and by a node of another cinema is refused exactly when the
/// row's `by_push` says so — asked of head office's own rule, `central.push_refusal`, on real rows.
@Suite(.enabled(if: TestPostgres.isAvailable, "needs the PostgreSQL server started by scripts/test.sh"))
struct OwnershipTableTests {
    /// Who sends the change, as the table's `by_push` tells them apart.
    enum Sender: CaseIterable {
        case headOffice, origin, sameCinema, otherCinema
    }

    static func mayPush(_ byPush: OwnershipTable.ByPush, _ sender: Sender) -> Bool {
        switch byPush {
        case .never: false
        case .headOffice: sender == .headOffice
        case .ownCinema: sender != .otherCinema
        case .originNode: sender == .headOffice || sender == .origin
        case .anyNode: true
        }
    }

    @Test func headOfficeRefusesExactlyWhatTheTableRefuses() async throws {
        let chain = try await ChainFixture()
        let base = chain.base
        let origin = try base.counter("origin")
        let stamp = "001700000000009-00000-origin"
        // Rows the origin node made: a customer and a sale.
        let sale = base.sale(booking: "origin-sale", seats: ["B2"], stamp: stamp, firstSeq: 2, user: "origin-customer")
        let made = try CentralFixture.push([CentralFixture.change(1, stamp, "users", "origin-customer", [
            "id": "origin-customer", "email": "origin@example.com", "name": "Origin Customer",
        ])] + sale, as: "store-origin", over: origin.connection)
        #expect(made.allSatisfy { $0["status"] as? String == "accepted" }, "\(made)")
        let managerID = try #require(try chain.database.query("SELECT id FROM central.users WHERE email = $1",
                                                              [chain.managerEmail]).scalar)
        let names: [Sender: String] = [
            .headOffice: base.hq.name, .origin: origin.registration.name,
            .sameCinema: chain.attacker.registration.name, .otherCinema: chain.victim.registration.name,
        ]

        let table = OwnershipTable.standard
        #expect(!table.rows.isEmpty)
        for row in table.rows {
            let change = Self.change(for: row, chain: chain, managerID: managerID)
            for sender in Sender.allCases {
                let refusal = try chain.database.query("""
                    SELECT central.push_refusal(n, $1::jsonb) FROM central.nodes n WHERE n.name = $2
                    """, [Self.json(change), names[sender]!]).scalar
                let expected = Self.mayPush(row.byPush, sender)
                #expect((refusal == nil) == expected,
                        "\(row.entity) \(row.operation.rawValue) by \(sender): \(refusal ?? "allowed"), the table says \(row.byPush)")
            }
        }
        // A change the table does not list is refused, whoever sends it.
        let unlisted = ["entity": "legacy_ids", "entity_id": "x", "operation": "insert", "payload": ["id": "x"]] as [String: Any]
        #expect(try chain.database.query("SELECT central.push_refusal(n, $1::jsonb) FROM central.nodes n WHERE n.name = $2",
                                         [Self.json(unlisted), base.hq.name]).scalar?.contains("takes no") == true)
    }

    /// A change of the row's kind, on a row of the fixture's first cinema (an existing one for an
    /// update or delete; one made by the origin node for bookings, tickets and customers).
    static func change(for row: OwnershipTable.Row, chain: ChainFixture, managerID: String) -> [String: Any] {
        let base = chain.base
        let isNew = row.operation == .insert
        let id: String, payload: [String: Any]
        switch row.entity {
        case "cinemas": id = isNew ? "new-cinema" : base.cinemaID; payload = ["id": id, "name": "C"]
        case "studios": id = isNew ? "new-studio" : base.studioID; payload = ["id": id, "cinema_id": base.cinemaID]
        case "seats": id = isNew ? "new-seat" : base.seatID("A1"); payload = ["id": id, "studio_id": base.studioID]
        case "movies": id = isNew ? "new-movie" : "movie-1"; payload = ["id": id]
        case "showtimes": id = isNew ? "new-showtime" : base.showtimeID; payload = ["id": id, "studio_id": base.studioID]
        case "payment_methods": id = isNew ? "new-method" : chain.methodID; payload = ["id": id]
        case "seat_blocks":
            id = base.showtimeID + "/" + base.seatID("A3")
            payload = ["showtime_id": base.showtimeID, "seat_id": base.seatID("A3")]
        case "users.customer":
            id = isNew ? "new-customer" : "origin-customer"; payload = ["id": id, "role": "customer"]
        case "users.staff": id = isNew ? "new-staff" : managerID; payload = ["id": id, "role": "cashier"]
        case "bookings": id = isNew ? "new-booking" : "origin-sale"; payload = ["id": id, "showtime_id": base.showtimeID]
        case "tickets":
            id = isNew ? "new-ticket" : "origin-sale-B2"
            payload = ["id": id, "booking_id": "origin-sale", "showtime_id": base.showtimeID]
        default: id = "?"; payload = [:]
        }
        let entity = row.entity.hasPrefix("users.") ? "users" : row.entity
        return ["seq": 1, "hlc": "001700000000010-00000-x", "entity": entity, "entity_id": id,
                "operation": row.operation.rawValue, "payload": payload]
    }

    static func json(_ object: [String: Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }
}
