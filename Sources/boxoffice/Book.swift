import ArgumentParser
import BoxOfficeKit
import Foundation

extension BoxOfficeCommand {
    /// `boxoffice book`: holds seats for payment.
    struct Book: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Hold seats of a showtime for payment; prints the booking code.",
            discussion: """
                A customer books for themselves; a cashier may book --for a customer's email or for a
                --walk-in. The seats stay held for 10 minutes; pay with `boxoffice pay CODE`. Name the
                showtime by its handle (19:30/2) and the seats by label or range (B1-B4); a couple seat is
                booked with the other seat of its pair.
                """)

        @OptionGroup var options: StoreOptions
        @OptionGroup var day: ShowtimeOptions

        @Argument(help: ShowtimeOptions.argumentHelp)
        var showtime: String

        @Argument(help: "The seats, by label (F12), range of one row (B1-B4) or id.")
        var seats: [String] = []

        @Option(name: .customLong("for"), help: ArgumentHelp("Book for this customer (staff only).", valueName: "email"))
        var customerEmail: String?

        @Flag(help: "Book for a customer without an account (staff only).")
        var walkIn = false

        @Option(help: "The walk-in customer's name, for the receipt.")
        var name: String?

        func validate() throws {
            guard !seats.isEmpty else { throw ValidationError("name at least one seat, e.g. F12") }
            guard !(walkIn && customerEmail != nil) else { throw ValidationError("use either --for or --walk-in") }
            guard name == nil || walkIn else { throw ValidationError("--name goes with --walk-in") }
        }

        var customer: BookingCustomer {
            if let customerEmail { return .account(email: customerEmail) }
            return walkIn ? .walkIn(name: name) : .me
        }

        func run() async throws {
            let box = try options.openStore()
            let principal = try await options.principal(of: box, requiring: .customer, toDo: "book seats")
            let showing = try await day.showtime(showtime, in: box)
            let booking = try await box.sales.book(showtime: showing.id, seats: seats, for: customer, by: principal)
            try SaleOutput.printBooking(booking, showtime: showing, json: options.json)
        }
    }
}

/// How the sales commands print a booking.
enum SaleOutput {
    /// The booking as JSON, or its code on the first line and a summary on the second; times in
    /// the showtime's cinema's zone.
    static func printBooking(_ booking: Booking, showtime: Showtime, json: Bool) throws {
        if json { return try Output.json(booking) }
        print(booking.code)
        let seats = booking.seats.joined(separator: " ")
        switch booking.status {
        case .pendingPayment:
            let until = booking.holdExpiresAt.map { " until \(TimeText.text($0, in: showtime.zone))" } ?? ""
            print("Payment submitted for \(seats), \(booking.total.formatted): not paid until the cinema confirms it; seats held\(until).")
        case .held:
            let until = booking.holdExpiresAt.map { " until \(TimeText.text($0, in: showtime.zone))" } ?? ""
            print("Held \(seats) for \(booking.total.formatted)\(until). Pay with: boxoffice pay \(booking.code) --method METHOD --ref REF")
        case .paid:
            print("Sold \(seats) for \(booking.total.formatted). Receipt: boxoffice receipt \(booking.code)")
        case .cancelled:
            print("Cancelled; seats \(seats) are free again.")
        case .refundDue:
            print("Cancelled; seats \(seats) are free again. Refund due: \((booking.refundAmount ?? booking.total).formatted), paid out at the counter.")
        case .refunded:
            print("Refunded \((booking.refundAmount ?? booking.total).formatted); seats \(seats) are free again.")
        case .expired:
            print("The hold ran out; seats \(seats) are free again.")
        }
    }
}
