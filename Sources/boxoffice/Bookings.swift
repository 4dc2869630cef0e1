import ArgumentParser
import BoxOfficeKit

extension BoxOfficeCommand {
    /// `boxoffice bookings`: a customer's bookings, newest first.
    struct Bookings: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List your bookings (or, for staff, a customer's), newest first.")

        @OptionGroup var options: StoreOptions

        @Option(help: "The page, from 1.")
        var page = 1

        @Option(help: "Bookings per page (1–200).")
        var limit = 20

        @Option(help: "Only this status: held, pending_payment (payment submitted), paid, refund_due, cancelled, refunded, expired.")
        var status: String?

        @Option(name: .customLong("for"), help: ArgumentHelp("This customer's bookings (staff only).", valueName: "email"))
        var customerEmail: String?

        func validate() throws {
            if let status, BookingStatus(rawValue: status) == nil {
                throw ValidationError("unknown status '\(status)': use one of \(BookingStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }

        func run() async throws {
            let box = try options.openStore()
            let principal = try await options.principal(of: box, requiring: .customer, toDo: "list bookings")
            let result = try await box.sales.bookings(
                of: customerEmail, status: status.flatMap(BookingStatus.init(rawValue:)),
                page: PageRequest(page: page, limit: limit), by: principal)
            if options.json { return try Output.json(page: result) }
            guard !result.items.isEmpty else { return print("No bookings.") }
            Output.table(
                ["CODE", "STATUS", "STARTS", "MOVIE", "WHERE", "SEATS", "TOTAL", "MONEY"],
                result.items.map { item in
                    [item.code, item.status.rawValue, "\(item.showtime.localStart) (\(item.showtime.timeZone))",
                     item.showtime.movieTitle, "\(item.showtime.cinemaName), \(item.showtime.studioName)",
                     item.seats.joined(separator: " "), item.total.formatted, item.status.moneyState]
                })
            print("Page \(result.page) (\(result.items.count) of \(result.total))\(result.hasMore ? "; more with --page \(result.page + 1)" : "").")
        }
    }
}
