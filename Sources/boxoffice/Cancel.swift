import ArgumentParser
import BoxOfficeKit

extension BoxOfficeCommand {
    /// `boxoffice cancel`: cancels (or refunds) a booking before its showtime starts.
    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Cancel a booking before the showtime starts; a paid one is refunded by staff (refund due when you cancel your own).")

        @OptionGroup var options: StoreOptions

        @Argument(help: "The booking code, e.g. K7QX2M-0042.")
        var code: String

        func run() async throws {
            let box = try options.openStore()
            let principal = try await options.principal(of: box, requiring: .customer, toDo: "cancel a booking")
            let booking = try await box.sales.cancel(code: code, by: principal)
            let showing = try await box.catalog.showtime(id: booking.showtimeID)
            try SaleOutput.printBooking(booking, showtime: showing, json: options.json)
        }
    }
}
