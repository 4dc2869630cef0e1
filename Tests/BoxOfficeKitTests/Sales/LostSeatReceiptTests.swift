import Foundation
import Testing
@testable import BoxOfficeKit

/// Issue 15, item 9: when head office decides a sold seat needs a refund (refund-required: the
/// seat was another's first), the receipt never prints that seat as one to sit in.
struct LostSeatReceiptTests {
    let fixture: SalesFixture
    init() throws { fixture = try SalesFixture() }

    @Test func aSeatLostToHeadOfficesDecisionIsNotValidOnTheReceipt() async throws {
        let box = fixture.box
        let sale = try await box.sales.sell(showtime: fixture.upcoming, seats: ["A5", "A6"], method: "cash", by: fixture.cashier)
        let lost = try #require(sale.tickets.first { $0.seatLabel == "A6" })
        let batch = try #require(try await box.replica.nextBatch(limit: 500))
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(batch.json.utf8)) as? [[String: Any]])
        // Head office's answer, as sync_api.push gives it: everything accepted but A6's ticket.
        let outcomes: [[String: Any]] = entries.map { entry in
            let isLost = entry["entity"] as? String == "tickets" && entry["entity_id"] as? String == lost.id
            return ["seq": entry["seq"]!, "status": isLost ? "refund_required" : "accepted"]
                .merging(isLost ? ["conflict_id": "conflict-1", "reason": "no free seat of its kind"] : [:]) { $1 }
        }
        let decoded = try JSONDecoder().decode([PushOutcome].self, from: JSONSerialization.data(withJSONObject: outcomes))
        _ = try await box.replica.recordPush(batch, outcomes: decoded)

        let receipt = try await box.sales.receipt(code: sale.code, by: fixture.cashier)
        #expect(receipt.status == .paid)
        let lines = receipt.text.split(separator: "\n").map(String.init)
        let a6 = try #require(lines.firstIndex { $0.hasPrefix("Seat A6") })
        #expect(lines[a6].hasSuffix("NOT VALID"))
        let a5 = try #require(lines.firstIndex { $0.hasPrefix("Seat A5") })
        #expect(!lines[a5].contains("NOT VALID"))
        #expect(receipt.text.contains("A SEAT WAS GIVEN UP"))
    }
}
