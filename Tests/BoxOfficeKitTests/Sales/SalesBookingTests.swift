import Foundation
import GRDB
import Testing
@testable import BoxOfficeKit

struct SalesBookingTests {
    let fixture: SalesFixture
    init() throws { fixture = try SalesFixture() }
    var sales: Sales { fixture.box.sales }

    @Test func aCustomerHoldsSeatsForThemselves() async throws {
        let booking = try await sales.book(showtime: fixture.upcoming, seats: ["c5", "D5"], by: fixture.customer)
        #expect(booking.status == .held)
        #expect(booking.seats == ["C5", "D5"])
        #expect(booking.total == Money(rupiah: SalesFixture.basePrice + SalesFixture.vipPrice))
        #expect(booking.userID == fixture.customer.userID)
        #expect(booking.customerEmail == SalesFixture.customerEmail)
        #expect(booking.channel == .online)
        #expect(booking.nodeID == fixture.box.nodeID)
        #expect(booking.holdExpiresAt == fixture.clock.now.addingTimeInterval(600))
        #expect(booking.tickets.allSatisfy { $0.status == .active })
        let prefix: String? = try fixture.value("SELECT code_prefix FROM sync_state")
        #expect(booking.code == "\(prefix!)-0001")
        let second = try await sales.book(showtime: fixture.upcoming, seats: ["C6"], by: fixture.customer)
        #expect(second.code == "\(prefix!)-0002")
    }

    @Test func seatsMayBeGivenById() async throws {
        let booking = try await sales.book(showtime: fixture.upcoming, seats: [try fixture.seatID("A1")], by: fixture.customer)
        #expect(booking.seats == ["A1"])
    }

    @Test func aCashierBooksForACustomerByEmailOrForAWalkIn() async throws {
        let forCustomer = try await sales.book(
            showtime: fixture.upcoming, seats: ["B1"], for: .account(email: " Customer@Example.com "), by: fixture.cashier)
        #expect(forCustomer.userID == fixture.customer.userID)
        #expect(forCustomer.createdBy == fixture.cashier.userID)
        #expect(forCustomer.channel == .counter)
        let walkIn = try await sales.book(
            showtime: fixture.upcoming, seats: ["B2"], for: .walkIn(name: "Budi"), by: fixture.manager)
        #expect(walkIn.userID == nil)
        #expect(walkIn.customerName == "Budi")
    }

    @Test func aCustomerCannotBookForOthers() async throws {
        try await fixture.expectRejection(AccountError.notAllowed("only staff may sell to a walk-in customer")) {
            _ = try await sales.book(showtime: fixture.upcoming, seats: ["B1"], for: .walkIn(name: nil), by: fixture.customer)
        }
        try await fixture.expectRejection(AccountError.notAllowed("only staff may book for another customer")) {
            _ = try await sales.book(showtime: fixture.upcoming, seats: ["B1"],
                                     for: .account(email: SalesFixture.otherCustomerEmail), by: fixture.customer)
        }
        try await fixture.expectRejection(AccountError.userNotFound("nobody@example.com")) {
            _ = try await sales.book(showtime: fixture.upcoming, seats: ["B1"],
                                     for: .account(email: "nobody@example.com"), by: fixture.cashier)
        }
    }

    @Test func aTakenSeatFailsTheWholeBookingNamingEveryTakenSeat() async throws {
        _ = try await sales.book(showtime: fixture.upcoming, seats: ["C5", "C6"], by: fixture.customer)
        try await fixture.expectRejection(SaleError.seatTaken(["C5", "C6"])) {
            _ = try await sales.book(showtime: fixture.upcoming, seats: ["C4", "C5", "C6", "C7"], by: fixture.otherCustomer)
        }
        #expect(SaleError.seatTaken(["C5", "C6"]).description == "seats C5, C6 are already taken: nothing was booked")
        #expect(SaleError.seatTaken([]).kind == .conflict)
    }

    @Test func soldBlockedAndAllottedSeatsAreTaken() async throws {
        _ = try await sales.sell(showtime: fixture.upcoming, seats: ["C1"], method: "cash", by: fixture.cashier)
        try fixture.execute("INSERT INTO seat_blocks (showtime_id, seat_id, hlc) VALUES (?, ?, '')",
                            [fixture.upcoming, try fixture.seatID("C2")])
        try fixture.execute("INSERT INTO seat_allotments (showtime_id, seat_id, node_id, hlc) VALUES (?, ?, 'elsewhere', '')",
                            [fixture.upcoming, try fixture.seatID("C3")])
        try await fixture.expectRejection(SaleError.seatTaken(["C1", "C2", "C3"])) {
            _ = try await sales.book(showtime: fixture.upcoming, seats: ["C1", "C2", "C3", "C4"], by: fixture.customer)
        }
    }

    /// Issue 15, item 8: a seat allotted to another counter says so, by that counter's name.
    @Test func anAllottedSeatIsRefusedInItsCountersName() async throws {
        for seat in ["C3", "C4"] {
            try fixture.execute("INSERT INTO seat_allotments (showtime_id, seat_id, node_id, node_name, hlc) VALUES (?, ?, 'n-1', 'braga-1', '')",
                                [fixture.upcoming, try fixture.seatID(seat)])
        }
        try await fixture.expectRejection(SaleError.seatsAllotted(["C3", "C4"], node: "braga-1")) {
            _ = try await sales.sell(showtime: fixture.upcoming, seats: ["C3", "C4"], method: "cash", by: fixture.cashier)
        }
        #expect(SaleError.seatsAllotted(["C3"], node: "braga-1").description
                == "seat C3 is allotted to counter braga-1: only it sells it, nothing was booked")
    }

    @Test func unknownSeatsAndSeatsOfAnotherStudioAreRejected() async throws {
        try await fixture.expectRejection(SaleError.unknownSeats(["Z99", "F1"], studio: "Studio 1")) {
            _ = try await sales.book(showtime: fixture.upcoming, seats: ["A1", "Z99", "F1"], by: fixture.customer)
        }
        let foreign = try fixture.seatID("A1", studio: fixture.otherStudioID)
        try await fixture.expectRejection(SaleError.seatsOfAnotherStudio([foreign], studio: "Studio 1")) {
            _ = try await sales.book(showtime: fixture.upcoming, seats: ["A2", foreign], by: fixture.customer)
        }
    }

    @Test func aSeatGivenTwiceIsBadInput() async throws {
        try await fixture.expectRejection(InputError(field: "seats", reason: "c5 is given more than once")) {
            _ = try await sales.book(showtime: fixture.upcoming, seats: ["C5", "c5"], by: fixture.customer)
        }
        let id = try fixture.seatID("C5")
        try await fixture.expectRejection(InputError(field: "seats", reason: "C5 is given more than once")) {
            _ = try await sales.book(showtime: fixture.upcoming, seats: ["C5", id], by: fixture.customer)
        }
        try await fixture.expectRejection(InputError(field: "seats", reason: "choose at least one seat")) {
            _ = try await sales.book(showtime: fixture.upcoming, seats: [], by: fixture.customer)
        }
        try await fixture.expectRejection(InputError(field: "seats", reason: "a seat must not be empty")) {
            _ = try await sales.book(showtime: fixture.upcoming, seats: ["C1", " "], by: fixture.customer)
        }
    }

    @Test func aBookingHoldsAtMostTheSeatLimit() async throws {
        let eleven = (1...10).map { "B\($0)" } + ["C1"]
        try await fixture.expectRejection(SaleError.tooManySeats(requested: 11, limit: 10)) {
            _ = try await sales.book(showtime: fixture.upcoming, seats: eleven, by: fixture.customer)
        }
        let booking = try await sales.book(showtime: fixture.upcoming, seats: Array(eleven.prefix(10)), by: fixture.customer)
        #expect(booking.tickets.count == 10)

        let small = try SalesFixture { $0.maximumSeatsPerBooking = 2 }
        try await small.expectRejection(SaleError.tooManySeats(requested: 3, limit: 2)) {
            _ = try await small.box.sales.book(showtime: small.upcoming, seats: ["A1", "A2", "A3"], by: small.customer)
        }
    }

    @Test func startedAndCancelledShowtimesCannotBeBooked() async throws {
        try await fixture.expectRejection(SaleError.showtimeStarted(fixture.started)) {
            _ = try await sales.book(showtime: fixture.started, seats: ["A1"], by: fixture.customer)
        }
        try await fixture.expectRejection(SaleError.showtimeCancelled(fixture.cancelled)) {
            _ = try await sales.book(showtime: fixture.cancelled, seats: ["A1"], by: fixture.customer)
        }
        try await fixture.expectRejection(SaleError.showtimeNotFound("nope")) {
            _ = try await sales.book(showtime: "nope", seats: ["A1"], by: fixture.customer)
        }
        fixture.clock.advance(by: 12 * 3600)  // the upcoming showtime starts now
        try await fixture.expectRejection(SaleError.showtimeStarted(fixture.upcoming)) {
            _ = try await sales.book(showtime: fixture.upcoming, seats: ["A1"], by: fixture.customer)
        }
    }

    @Test func anExpiredHoldGivesItsSeatsToTheNextBooking() async throws {
        let first = try await sales.book(showtime: fixture.upcoming, seats: ["C5", "C6"], by: fixture.customer)
        fixture.clock.advance(by: 600)
        let second = try await sales.book(showtime: fixture.upcoming, seats: ["C6", "C7"], by: fixture.otherCustomer)
        #expect(second.status == .held)
        let expired = try await sales.booking(code: first.code, by: fixture.customer)
        #expect(expired.status == .expired)
        #expect(expired.tickets.allSatisfy { $0.status == .released })  // C5 too: the whole hold ended
        let stored: String? = try fixture.value("SELECT status FROM bookings WHERE id = ?", [first.id])
        #expect(stored == "expired")
        #expect(try fixture.counts().activeTickets == 2)
    }

    @Test func theSweepExpiresEveryStaleHold() async throws {
        _ = try await sales.book(showtime: fixture.upcoming, seats: ["A1"], by: fixture.customer)
        _ = try await sales.book(showtime: fixture.upcoming, seats: ["A2"], by: fixture.otherCustomer)
        _ = try await sales.sell(showtime: fixture.upcoming, seats: ["A3"], method: "cash", by: fixture.cashier)
        #expect(try await sales.expireStaleHolds() == 0)
        fixture.clock.advance(by: 601)
        #expect(try await sales.expireStaleHolds() == 2)
        #expect(try await sales.expireStaleHolds() == 0)
        let statuses: [String] = try await fixture.box.writer.read { db in
            try String.fetchAll(db, sql: "SELECT status FROM bookings ORDER BY status")
        }
        #expect(statuses == ["expired", "expired", "paid"])
        #expect(try fixture.counts().activeTickets == 1)
    }

    @Test func theUniqueIndexViolationBecomesSeatTaken() async throws {
        // The real guard when two writers race: an active ticket that slipped past the checks.
        let booking = try await sales.book(showtime: fixture.upcoming, seats: ["D1"], by: fixture.customer)
        let now = fixture.clock.now
        let seats = [
            Placement.ResolvedSeat(id: try fixture.seatID("D2"), label: "D2", price: 1),
            Placement.ResolvedSeat(id: try fixture.seatID("D1"), label: "D1", price: 1),
        ]
        let before = try fixture.counts()
        #expect(throws: SaleError.seatTaken(["D1"])) {
            try fixture.box.writer.write { db in
                let stamp = try db.nextHLC(now: now)
                try Placement.insertTickets(db, bookingID: booking.id, showtimeID: fixture.upcoming, priceVersion: "v1",
                                            seats: seats, now: now, stamp: stamp)
            }
        }
        #expect(try fixture.counts() == before)
    }
}
