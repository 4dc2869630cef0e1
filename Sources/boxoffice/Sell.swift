import ArgumentParser
import BoxOfficeKit

extension BoxOfficeCommand {
    /// `boxoffice sell`: the counter's one-step sale.
    struct Sell: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sell seats at the counter: book and pay in one step; prints the booking code.",
            discussion: """
                Name the showtime by its handle from `boxoffice showtimes list` (19:30/2) and the seats by
                label or range: `boxoffice sell 19:30/2 F12 F13 --method cash`, `boxoffice sell 19:30/2 B1-B4
                --method qris --ref QR-88123`. A couple seat is sold with the other seat of its pair.
                """)

        @OptionGroup var options: StoreOptions
        @OptionGroup var day: ShowtimeOptions

        @Argument(help: ShowtimeOptions.argumentHelp)
        var showtime: String

        @Argument(help: "The seats, by label (F12), range of one row (B1-B4) or id.")
        var seats: [String] = []

        @Option(help: "The payment method, by code (cash, qris, debit_card, …), name or a prefix of either.")
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
            let principal = try await options.principal(of: box)
            let customer: BookingCustomer = customerEmail.map { .account(email: $0) } ?? .walkIn(name: name)
            let showing = try await day.showtime(showtime, in: box)
            let booking = try await box.sales.sell(
                showtime: showing.id, seats: seats, for: customer, method: method, reference: reference, by: principal)
            try SaleOutput.printBooking(booking, showtime: showing, json: options.json)
        }
    }
}
