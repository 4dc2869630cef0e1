import ArgumentParser
import BoxOfficeKit

extension BoxOfficeCommand {
    /// `boxoffice confirm-payment`: staff confirm a customer's submitted payment.
    struct ConfirmPayment: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "confirm-payment",
            abstract: "Confirm a customer's submitted payment once the money has arrived (staff).",
            discussion: """
                A customer who pays their own booking (QRIS, an e-wallet, a virtual account) only
                submits the payment: its seats stay held for the hold, and it is paid when staff
                confirm it here.
                """)

        @OptionGroup var options: StoreOptions

        @Argument(help: "The booking code, e.g. K7QX2M-0042.")
        var code: String

        func run() async throws {
            let box = try options.openStore()
            let principal = try await options.principal(of: box, requiring: .cashier, toDo: "confirm a payment")
            let booking = try await box.sales.confirmPayment(code: code, by: principal)
            let showing = try await box.catalog.showtime(id: booking.showtimeID)
            try SaleOutput.printBooking(booking, showtime: showing, json: options.json)
        }
    }
}
