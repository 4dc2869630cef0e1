import Foundation
import TestSupport
import Testing
@testable import BoxOfficeKit
@testable import SyncAgent

/// A node's life at head office: a new password when its URL may have leaked (`rotate-node`), the
/// end when its counter is lost (`revoke-node`); and the staff accounts head office alone makes.
@Suite(.enabled(if: TestPostgres.isAvailable, "needs the PostgreSQL server started by scripts/test.sh"))
struct NodeLifecycleTests {
    let fixture: CentralFixture
    let database: PostgresConnection

    init() throws {
        fixture = try CentralFixture()
        database = try PostgresConnection(url: fixture.databaseURL)
    }

    @Test func aRotatedNodeSyncsOnWithItsNewURLAndTheOldOneIsDead() throws {
        let node = try fixture.counter("rotating")
        _ = try CentralFixture.push(fixture.sale(booking: "before", seats: ["A1"], stamp: "001700000000000-00000-r", firstSeq: 1),
                                    as: "store-rotating", over: node.connection)
        let rotated = try fixture.headOffice.rotateNode(named: node.registration.name)
        #expect(rotated.role == node.registration.role && rotated.url != node.registration.url)
        // The session open with the old password is ended, and the old password logs in no more.
        #expect(throws: PostgresError.self) { try node.connection.query("SELECT 1") }
        let refused = #expect(throws: PostgresError.self) { try PostgresConnection(url: node.registration.url) }
        #expect(refused?.kind == .unauthorized)
        // The same store syncs on, where it was.
        let renewed = try PostgresConnection(url: rotated.url)
        let outcomes = try CentralFixture.push(fixture.sale(booking: "after", seats: ["A2"], stamp: "001700000000001-00000-r", firstSeq: 3),
                                               as: "store-rotating", over: renewed)
        #expect(outcomes.map { $0["status"] as? String } == ["accepted", "accepted"])
    }

    @Test func aRevokedNodeIsStoppedItsSeatsFreedAndItsMissingCodesListed() throws {
        let lost = try fixture.counter("lost")
        let prefix = CentralFixture.codePrefix("store-lost")
        _ = try CentralFixture.push([], as: "store-lost", over: lost.connection)
        try fixture.headOffice.allot(showtimeID: fixture.showtimeID, seats: ["B3"], to: lost.registration.name)
        // Codes 0001 and 0003 reached head office (0001 paid, 0003 a hold still live); 0002 never did.
        var paid = fixture.sale(booking: "paid", seats: ["A1"], stamp: "001700000000000-00000-l", firstSeq: 1)
        paid[0]["payload"] = (paid[0]["payload"] as! [String: Any]).merging(["code": prefix + "-0001"]) { $1 }
        var hold = fixture.sale(booking: "hold", seats: ["A2"], stamp: "001700000000001-00000-l", firstSeq: 3)
        hold[0]["payload"] = (hold[0]["payload"] as! [String: Any]).merging([
            "code": prefix + "-0003", "status": "held", "sold_hlc": NSNull(),
            "hold_expires_at": CentralFixture.instant(Date().addingTimeInterval(900)),
        ]) { $1 }
        let pushed = try CentralFixture.push(paid + hold, as: "store-lost", over: lost.connection)
        #expect(pushed.allSatisfy { $0["status"] as? String == "accepted" }, "\(pushed)")

        let revocation = try fixture.headOffice.revokeNode(named: lost.registration.name)
        #expect(revocation.releasedAllotments == 1)
        #expect(revocation.expiredHolds == 1)
        #expect(revocation.highestCode == prefix + "-0003")
        #expect(revocation.missingCodes == [prefix + "-0002"] && revocation.missingCount == 1)

        // It can no longer log in, and its open session is gone.
        #expect(throws: PostgresError.self) { try lost.connection.query("SELECT 1") }
        #expect(throws: PostgresError.self) { try PostgresConnection(url: lost.registration.url) }
        // Its paid sale stands; the held and allotted seats sell again at another counter.
        #expect(try database.query("SELECT status FROM central.bookings WHERE id = 'paid'").scalar == "paid")
        #expect(try database.query("SELECT status FROM central.bookings WHERE id = 'hold'").scalar == "expired")
        let other = try fixture.counter("other")
        let sold = try CentralFixture.push(fixture.sale(booking: "resold", seats: ["A2", "B3"], stamp: "001700000000002-00000-o",
                                                        firstSeq: 1), as: "store-other", over: other.connection)
        #expect(sold.map { $0["status"] as? String } == ["accepted", "accepted", "accepted"])
        // Other counters hear of it: the allotment's end and the hold's expiry are in the feed.
        let feed = try database.query("""
            SELECT entity || ' ' || operation FROM central.feed
            WHERE (entity = 'seat_allotments' AND operation = 'delete') OR (entity = 'bookings' AND entity_id = 'hold'
                   AND payload->>'status' = 'expired') ORDER BY id
            """).values.map { $0[0] ?? "" }
        #expect(feed == ["seat_allotments delete", "bookings update"])
        let again = #expect(throws: PostgresError.self) { try fixture.headOffice.revokeNode(named: lost.registration.name) }
        #expect(again?.message.contains("was revoked") == true)
    }

    /// A node that pushed one sale with an absurdly high code of its own prefix cannot make head
    /// office's revocation walk every number below it: the missing codes are found from the gaps
    /// between the codes head office has, however high they go.
    @Test func aForgedHighCodeDoesNotStallTheRevocation() throws {
        let hostile = try fixture.counter("hostile")
        let prefix = CentralFixture.codePrefix("store-hostile")
        _ = try CentralFixture.push([], as: "store-hostile", over: hostile.connection)
        var first = fixture.sale(booking: "first", seats: ["A1"], stamp: "001700000000000-00000-h", firstSeq: 1)
        first[0]["payload"] = (first[0]["payload"] as! [String: Any]).merging(["code": prefix + "-0002"]) { $1 }
        var high = fixture.sale(booking: "high", seats: ["A2"], stamp: "001700000000001-00000-h", firstSeq: 3)
        high[0]["payload"] = (high[0]["payload"] as! [String: Any]).merging(["code": prefix + "-999999999999999999"]) { $1 }
        let pushed = try CentralFixture.push(first + high, as: "store-hostile", over: hostile.connection)
        #expect(pushed.allSatisfy { $0["status"] as? String == "accepted" }, "\(pushed)")

        let revocation = try fixture.headOffice.revokeNode(named: hostile.registration.name)
        #expect(revocation.highestCode == prefix + "-999999999999999999")
        #expect(revocation.missingCount == 999_999_999_999_999_999 - 2)
        #expect(revocation.missingCodes.count == 1000)
        let firstMissing = [prefix + "-0001"] + (3...1000).map { prefix + "-" + String(format: "%04d", $0) } + [prefix + "-1001"]
        #expect(revocation.missingCodes == firstMissing.sorted())
    }

    @Test func staffAccountsAreMadeAndTheirPasswordsChangedAtHeadOffice() throws {
        let account = try StaffAccount(name: "Budi", email: "Budi@Example.com", role: .cashier, cinemaID: fixture.cinemaID,
                                       password: "budi-pass-123")
        try fixture.headOffice.addStaff(account)
        let row = try database.query("SELECT role, cinema_id, payload->>'password_hash' FROM central.users WHERE email = 'budi@example.com'")
            .values.first
        #expect(row?[0] == "cashier" && row?[1] == fixture.cinemaID)
        #expect(StaffAccount.verify("budi-pass-123", against: row?[2] ?? ""))
        // It reaches the counters of its cinema.
        #expect(try database.query("SELECT cinema_id FROM central.feed WHERE entity = 'users' AND entity_id = $1", [account.id])
                .scalar == fixture.cinemaID)
        let twice = #expect(throws: PostgresError.self) { try fixture.headOffice.addStaff(account) }
        #expect(twice?.message.contains("already exists") == true)
        #expect(throws: InputError.self) {
            try StaffAccount(name: "C", email: "c@example.com", role: .customer, cinemaID: nil, password: "c-pass-1234")
        }

        #expect(throws: CentralError.wrongStaffPassword(email: "budi@example.com")) {
            try fixture.headOffice.changeStaffPassword(email: "budi@example.com", from: "not-it", to: "new-pass-123")
        }
        #expect(throws: InputError.self) {
            try fixture.headOffice.changeStaffPassword(email: "budi@example.com", from: "budi-pass-123", to: "short")
        }
        try fixture.headOffice.changeStaffPassword(email: "BUDI@example.com", from: "budi-pass-123", to: "new-pass-123")
        let hash = try database.query("SELECT payload->>'password_hash' FROM central.users WHERE email = 'budi@example.com'").scalar ?? ""
        #expect(StaffAccount.verify("new-pass-123", against: hash) && !StaffAccount.verify("budi-pass-123", against: hash))
        #expect(try database.query("SELECT count(*) FROM central.feed WHERE entity = 'users' AND entity_id = $1", [account.id])
                .scalar == "2")
    }
}
