import ArgumentParser
import BoxOfficeKit

extension BoxOfficeCommand {
    /// `boxoffice pay`: pays a held booking.
    struct Pay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Pay a held booking with a payment method and its external reference.",
            discussion: """
                The reference is the EDC approval code or the QRIS reference (optional for cash).
                Never enter a card number, CVV or expiry date: they are refused.
                """)

        @OptionGroup var options: StoreOptions

        @Argument(help: "The booking code, e.g. K7QX2M-0042.")
        var code: String

        @Option(help: "The payment method, by code (cash, qris, debit_card, …), name or a prefix of either.")
        var method: String

        @Option(name: .customLong("ref"), help: "The external reference (EDC approval code, QRIS reference).")
        var reference: String?

        @Option(help: "The amount in rupiah, 100000 or 100.000; must equal the total (default: the total).",
                transform: MoneyArgument.parse)
        var amount: Money?

        func run() async throws {
            let box = try options.openStore()
            let principal = try await options.principal(of: box, requiring: .customer, toDo: "pay for a booking")
            let total: Money
            if let amount {
                total = amount
            } else {
                total = try await box.sales.booking(code: code, by: principal).total
            }
            let booking = try await box.sales.pay(
                code: code, method: method, amount: total, reference: reference, by: principal)
            let showing = try await box.catalog.showtime(id: booking.showtimeID)
            try SaleOutput.printBooking(booking, showtime: showing, json: options.json)
        }
    }
}
