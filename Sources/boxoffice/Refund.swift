import ArgumentParser
import BoxOfficeKit

extension BoxOfficeCommand {
    /// `boxoffice refund`: staff pay out a refund due.
    struct Refund: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Pay out the refund of a booking its customer cancelled after paying (staff).",
            discussion: """
                A customer's cancellation of a paid booking frees its seats and leaves a refund
                due; the money is returned at the counter, and recorded here.
                """)

        @OptionGroup var options: StoreOptions

        @Argument(help: "The booking code, e.g. K7QX2M-0042.")
        var code: String

        func run() async throws {
            let box = try options.openStore()
            let principal = try await options.principal(of: box, requiring: .cashier, toDo: "refund a booking")
            let booking = try await box.sales.settleRefund(code: code, by: principal)
            let showing = try await box.catalog.showtime(id: booking.showtimeID)
            try SaleOutput.printBooking(booking, showtime: showing, json: options.json)
        }
    }
}
