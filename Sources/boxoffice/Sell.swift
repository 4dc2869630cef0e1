import ArgumentParser
import BoxOfficeKit

extension BoxOfficeCommand {
    /// `boxoffice sell`: the counter's one-step sale.
    struct Sell: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sell seats at the counter: book and pay in one step; prints the booking code.")

        @OptionGroup var options: StoreOptions

        @Argument(help: "The showtime's id.")
        var showtime: String

        @Argument(help: "The seats, by label (F12) or id.")
        var seats: [String] = []

        @Option(help: "The payment method: cash, debit_card, credit_card, qris, gopay, ovo, virtual_account.")
        var method: String

        @Option(name: .customLong("ref"), help: "The external reference (required except for cash).")
        var reference: String?

        @Option(name: .customLong("for"), help: ArgumentHelp("Sell to this registered customer.", valueName: "email"))
        var customerEmail: String?

        @Option(help: "The walk-in customer's name, for the receipt.")
        var name: String?

        func validate() throws {
            guard !seats.isEmpty else { throw ValidationError("name at least one seat, e.g. F12") }
            guard !(name != nil && customerEmail != nil) else { throw ValidationError("use either --for or --name") }
        }

        func run() async throws {
            let box = try options.openStore()
            let principal = try await options.principal(of: box, requiring: .cashier, toDo: "sell at the counter")
            let customer: BookingCustomer = customerEmail.map { .account(email: $0) } ?? .walkIn(name: name)
            let booking = try await box.sales.sell(
                showtime: showtime, seats: seats, for: customer, method: method, reference: reference, by: principal)
            try SaleOutput.printBooking(booking, json: options.json)
        }
    }
}
