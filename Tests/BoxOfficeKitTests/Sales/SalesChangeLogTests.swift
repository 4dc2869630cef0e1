import Foundation
import GRDB
import Testing
@testable import BoxOfficeKit

struct SalesChangeLogTests {
    let fixture: SalesFixture
    init() throws { fixture = try SalesFixture() }
    var sales: Sales { fixture.box.sales }

    struct Entry: Equatable {
        var hlc: String
        var entity: String
        var operation: String
        var status: String?
        var soldHLC: String?
    }

    private func entries(after seq: Int) throws -> [Entry] {
        try fixture.box.writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT hlc, entity, operation, json_extract(payload, '$.status') AS status,
                       json_extract(payload, '$.sold_hlc') AS sold_hlc
                FROM change_log WHERE seq > ? ORDER BY seq
                """, arguments: [seq]
            ).map { Entry(hlc: $0["hlc"], entity: $0["entity"], operation: $0["operation"], status: $0["status"],
                          soldHLC: $0["sold_hlc"]) }
        }
    }

    private func lastSeq() throws -> Int { try fixture.value("SELECT COALESCE(MAX(seq), 0) FROM change_log") ?? 0 }

    @Test func everyBookingTicketAndStateChangeIsLoggedUnderItsTransactionsStamp() async throws {
        var seq = try lastSeq()
        let booking = try await sales.book(showtime: fixture.upcoming, seats: ["C1", "C2"], by: fixture.customer)
        let booked = try entries(after: seq)
        #expect(booked.map(\.entity) == ["bookings", "tickets", "tickets"])
        #expect(booked.map(\.status) == ["held", "active", "active"])
        #expect(Set(booked.map(\.hlc)).count == 1)

        seq = try lastSeq()
        fixture.clock.advance(by: 5)
        let paid = try await sales.pay(code: booking.code, method: "cash", amount: booking.total, by: fixture.cashier)
        let payment = try entries(after: seq)
        #expect(payment.count == 1)
        #expect(payment.first?.operation == "update")
        #expect(payment.first?.status == "paid")
        #expect(payment.first?.soldHLC == payment.first?.hlc)
        #expect(paid.soldHLC == payment.first?.hlc)
        #expect(payment.first!.hlc > booked.first!.hlc)

        seq = try lastSeq()
        _ = try await sales.cancel(code: booking.code, by: fixture.cashier)
        let refund = try entries(after: seq)
        #expect(refund.map(\.entity) == ["bookings", "tickets", "tickets"])
        #expect(refund.map(\.status) == ["refunded", "released", "released"])
        #expect(Set(refund.map(\.hlc)).count == 1)
    }

    @Test func expiryIsLoggedToo() async throws {
        _ = try await sales.book(showtime: fixture.upcoming, seats: ["C1"], by: fixture.customer)
        fixture.clock.advance(by: 601)
        let seq = try lastSeq()
        try await sales.expireStaleHolds()
        #expect(try entries(after: seq).map(\.status) == ["expired", "released"])
    }

    @Test func aRejectedBookingLogsNothing() async throws {
        _ = try await sales.book(showtime: fixture.upcoming, seats: ["C1"], by: fixture.customer)
        let seq = try lastSeq()
        await #expect(throws: SaleError.seatTaken(["C1"])) {
            _ = try await sales.book(showtime: fixture.upcoming, seats: ["C2", "C1"], by: fixture.otherCustomer)
        }
        #expect(try entries(after: seq).isEmpty)
    }
}
