import Foundation
import GRDB
import Testing

struct SalesCommandTests {
    @Test func seatsPrintsTheMapAsJSON() async throws {
        let fixture = try await SalesCLIFixture()
        let result = try fixture.cli.run(["seats", fixture.showtimeID, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try SalesCLIFixture.object(result.stdout)
        let showtime = try #require(object["showtime"] as? [String: Any])
        #expect(showtime["id"] as? String == fixture.showtimeID)
        #expect(showtime["movie_title"] as? String == "The Long Offline")
        let seats = try #require(object["seats"] as? [[String: Any]])
        #expect(seats.count == 50)
        let d1 = try #require(seats.first { $0["label"] as? String == "D1" })
        #expect(d1["kind"] as? String == "vip")
        #expect(d1["state"] as? String == "free")
        #expect(d1["price"] as? Int == 75_000)
        #expect((d1["id"] as? String)?.count == 36)
    }

    @Test func seatsDrawsAGridWithoutColourWhenNotATerminal() async throws {
        let fixture = try await SalesCLIFixture()
        try await fixture.logIn(SalesCLIFixture.managerEmail)
        #expect(try fixture.cli.run(["sell", fixture.showtimeID, "C3", "--method", "cash"]).status == 0)
        let result = try fixture.cli.run(["seats", "--cinema", fixture.cinemaID, "--date", fixture.localDate,
                                          "--time", fixture.localTime])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.contains { $0.trimmingCharacters(in: .whitespaces) == "SCREEN" })
        #expect(lines.contains("A    1   2   3   4   5       6   7   8   9  10 A"))
        #expect(lines.contains("C    1   2  XX   4   5       6   7   8   9  10 C"))
        #expect(lines.contains("D  V 1 V 2 V 3 V 4 V 5     V 6 V 7 V 8 V 9 V10 D"), "vip seats are marked")
        #expect(result.stdout.contains("States: 12 free  HH held  XX sold  ## blocked  AA allotted to another counter"))
        #expect(result.stdout.contains("Kinds:  no mark regular  V vip\n"))
        #expect(result.stdout.contains("regular Rp 50.000 · vip Rp 75.000 (row D)"))
        #expect(!result.stdout.contains("\u{1B}["))
        let usage = try fixture.cli.run(["seats", fixture.showtimeID, "--time", fixture.localTime])
        #expect(usage.status == 64)
        #expect(usage.stderr.hasPrefix("error: ") && usage.stderr.split(separator: "\n").count == 1)
    }

    @Test func sellReceiptAndCancelAtTheCounter() async throws {
        let fixture = try await SalesCLIFixture()
        try await fixture.logIn(SalesCLIFixture.managerEmail)
        let sold = try fixture.cli.run(["sell", fixture.showtimeID, "F1", "--method", "cash"])
        #expect(sold.status == 66, "F1 does not exist")
        #expect(sold.stderr == "error: Studio 1 has no seat F1\n")

        let sale = try fixture.cli.run(["sell", fixture.showtimeID, "D1", "D2", "--method", "qris", "--ref", "QR-1"])
        #expect(sale.status == 0, "\(sale.stderr)")
        let code = try #require(sale.stdout.split(separator: "\n").first.map(String.init))
        #expect(code.wholeMatch(of: /[2-9A-Z]{6}-0001/) != nil)

        let again = try fixture.cli.run(["sell", fixture.showtimeID, "D2", "D3", "--method", "cash"])
        #expect(again.status == 67)
        #expect(again.stderr == "error: seat D2 is already taken: nothing was booked\n")

        let card = try fixture.cli.run(["sell", fixture.showtimeID, "D5", "--method", "credit_card", "--ref", "4111111111111111"])
        #expect(card.status == 65)
        #expect(card.stderr.contains("looks like a card number"))
        #expect(!card.stderr.contains("4111"))

        let receipt = try fixture.cli.run(["receipt", code])
        #expect(receipt.status == 0, "\(receipt.stderr)")
        for expected in ["Demo Plaza", "Studio 1", "The Long Offline", "\(fixture.localDate) \(fixture.localTime)",
                         "Seat D1", "Seat D2", "Rp 150.000", "QRIS", "QR-1", code] {
            #expect(receipt.stdout.contains(expected), "\(expected) missing from\n\(receipt.stdout)")
        }

        let cancelled = try fixture.cli.run(["cancel", code, "--json"])
        #expect(cancelled.status == 0, "\(cancelled.stderr)")
        let booking = try SalesCLIFixture.object(cancelled.stdout)
        #expect(booking["status"] as? String == "refunded")
        #expect(booking["refund_amount"] as? Int == 150_000)
        #expect(booking["seats"] as? [String] == ["D1", "D2"])
    }

    @Test func aCustomerBooksPaysAndListsTheirBookings() async throws {
        let fixture = try await SalesCLIFixture()
        let anonymous = try fixture.cli.run(["book", fixture.showtimeID, "B1"])
        #expect(anonymous.status == 77)
        #expect(anonymous.stderr == "error: not logged in: log in first\n")

        try await fixture.logIn(SalesCLIFixture.customerEmail)
        let held = try fixture.cli.run(["book", fixture.showtimeID, "B1", "B2", "--json"])
        #expect(held.status == 0, "\(held.stderr)")
        let booking = try SalesCLIFixture.object(held.stdout)
        #expect(booking["status"] as? String == "held")
        #expect(booking["seats"] as? [String] == ["B1", "B2"])
        #expect(booking["total"] as? Int == 100_000)
        let code = try #require(booking["code"] as? String)
        #expect((booking["id"] as? String)?.count == 36)

        let walkIn = try fixture.cli.run(["book", fixture.showtimeID, "B3", "--walk-in"])
        #expect(walkIn.status == 77)

        let wrong = try fixture.cli.run(["pay", code, "--method", "qris", "--ref", "QR-9", "--amount", "1000"])
        #expect(wrong.status == 65)
        #expect(wrong.stderr == "error: the amount must be exactly Rp 100.000, not Rp 1.000\n")
        // Issue 15, item 1: cash is the counter's; a customer's own payment is only submitted,
        // paid once staff confirm it; the customer's cancellation then leaves a refund due.
        let cash = try fixture.cli.run(["pay", code, "--method", "cash"])
        #expect(cash.status == 77)
        #expect(cash.stderr == "error: not allowed: cash and card payments are taken at the counter, by a cashier\n")
        let submitted = try fixture.cli.run(["pay", code, "--method", "qris", "--ref", "QR-9"])
        #expect(submitted.status == 0, "\(submitted.stderr)")
        #expect(submitted.stdout.hasPrefix("\(code)\nPayment submitted for B1 B2, Rp 100.000: not paid until the cinema confirms it"))
        #expect(try fixture.cli.run(["confirm-payment", code]).status == 77)
        try await fixture.logIn(SalesCLIFixture.managerEmail)
        let paid = try fixture.cli.run(["confirm-payment", code])
        #expect(paid.status == 0, "\(paid.stderr)")
        #expect(paid.stdout.hasPrefix("\(code)\nSold B1 B2 for Rp 100.000."))
        try await fixture.logIn(SalesCLIFixture.customerEmail)

        let list = try fixture.cli.run(["bookings", "--json", "--status", "paid"])
        #expect(list.status == 0, "\(list.stderr)")
        let page = try SalesCLIFixture.object(list.stdout)
        #expect(page["total"] as? Int == 1)
        let item = try #require((page["items"] as? [[String: Any]])?.first)
        #expect(item["code"] as? String == code)
        let table = try fixture.cli.run(["bookings"])
        #expect(table.stdout.hasPrefix("CODE"))
        #expect(table.stdout.contains("B1 B2"))
        #expect(table.stdout.contains("Rp 100.000  paid"), "the history says where the money is: \(table.stdout)")
        #expect(try fixture.cli.run(["bookings", "--status", "sold"]).status == 64)
        let cancelled = try fixture.cli.run(["cancel", code])
        #expect(cancelled.status == 0, "\(cancelled.stderr)")
        #expect(cancelled.stdout == "\(code)\nCancelled; seats B1 B2 are free again. Refund due: Rp 100.000, paid out at the counter.\n")
        #expect(try fixture.cli.run(["refund", code]).status == 77)
        try await fixture.logIn(SalesCLIFixture.managerEmail)
        let refunded = try fixture.cli.run(["refund", code, "--json"])
        #expect(refunded.status == 0, "\(refunded.stderr)")
        #expect(try SalesCLIFixture.object(refunded.stdout)["status"] as? String == "refunded")
        try await fixture.logIn(SalesCLIFixture.customerEmail)

        let late = try fixture.cli.run(["book", fixture.startedID, "A1"])
        #expect(late.status == 67)
        #expect(late.stderr == "error: the showtime has already started: it can no longer be booked or cancelled\n")
    }
}
