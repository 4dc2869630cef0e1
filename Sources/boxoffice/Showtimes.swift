import ArgumentParser
import BoxOfficeKit
import Foundation

extension BoxOfficeCommand {
    /// `boxoffice showtimes …`: schedule, list and find showtimes.
    struct Showtimes: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Schedule, list and find showtimes; dates and times are in the cinema's time zone.",
            subcommands: [Add.self, List.self, Find.self, Price.self])
    }
}

extension BoxOfficeCommand.Showtimes {
    /// `boxoffice showtimes add`.
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Schedule a showtime (managers only).")

        @OptionGroup var options: StoreOptions
        @Option(help: "The cinema's id.") var cinema: String
        @Option(help: "The studio's id (a studio of that cinema).") var studio: String
        @Option(help: "The movie's id.") var movie: String
        @Option(help: "The local start date in the cinema's time zone, YYYY-MM-DD.") var date: String
        @Option(help: "The local start time, HH:MM (24-hour).") var time: String
        @Option(help: "The price of a regular seat in rupiah.") var price: Int
        @Option(help: "A surcharge for a kind of seat, KIND=RUPIAH (vip, couple, wheelchair); repeatable.")
        var modifier: [String] = []

        func run() async throws {
            let box = try options.openStore()
            let manager = try await options.principal(of: box, requiring: .manager, toDo: "schedule a showtime")
            let draft = ShowtimeDraft(
                cinemaID: cinema, studioID: studio, movieID: movie, date: date, time: time,
                basePrice: Money(rupiah: price), priceModifiers: try Self.modifiers(modifier))
            let showtime = try await box.catalog.addShowtime(draft, by: manager)
            if options.json { return try Output.json(showtime) }
            print("Scheduled \(showtime.movieTitle) in \(showtime.studioName) on \(showtime.localStart)"
                + "-\(showtime.localEnd.time) (\(showtime.id)).")
        }

        static func modifiers(_ items: [String]) throws -> [SeatKind: Money] {
            var result: [SeatKind: Money] = [:]
            for item in items {
                let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, let kind = SeatKind(rawValue: parts[0].lowercased()), let amount = Int(parts[1]) else {
                    throw InputError(field: "modifier", reason: "must be KIND=RUPIAH like vip=25000, not '\(item)'")
                }
                result[kind] = Money(rupiah: amount)
            }
            return result
        }
    }

    /// `boxoffice showtimes list --cinema ID [--date DAY]`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a cinema's showtimes of one local day.")

        @OptionGroup var options: StoreOptions
        @Option(help: "The cinema's id.") var cinema: String
        @Option(help: "The local date, YYYY-MM-DD (default: today in the cinema's time zone).") var date: String?

        func run() async throws {
            let catalog = try options.openStore().catalog
            var day = date
            if day == nil { day = try await catalog.today(cinemaID: cinema) }
            let showtimes = try await catalog.showtimes(cinemaID: cinema, on: day ?? "")
            if options.json { return try Output.json(page: Page.whole(showtimes)) }
            printShowtimes(showtimes)
        }
    }

    /// `boxoffice showtimes find --cinema ID --date DAY --time HH:MM`.
    struct Find: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Find the showtime that starts at a local date and time.")

        @OptionGroup var options: StoreOptions
        @Option(help: "The cinema's id.") var cinema: String
        @Option(help: "The local date, YYYY-MM-DD.") var date: String
        @Option(help: "The local start time, HH:MM.") var time: String
        @Option(help: "The studio's id, when several studios start a showtime then.") var studio: String?

        func run() async throws {
            let showtime = try await options.openStore().catalog.showtime(cinemaID: cinema, date: date, time: time, studioID: studio)
            if options.json { return try Output.json(showtime) }
            printShowtimes([showtime])
        }
    }
}

/// Prints showtimes as a table with local times and prices.
func printShowtimes(_ showtimes: [Showtime]) {
    Output.table(
        ["START", "END", "STUDIO", "MOVIE", "PRICE", "ID"],
        showtimes.map {
            [$0.localStart.time, $0.localEnd.time, $0.studioName, $0.movieTitle, $0.basePrice.formatted, $0.id]
        })
}

extension BoxOfficeCommand.Showtimes {
    /// `boxoffice showtimes price ID --price N [--modifier vip=25000]`.
    struct Price: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set a showtime's prices; one waiting for its price (imported) goes on sale (managers only).")

        @OptionGroup var options: StoreOptions
        @Argument(help: "The showtime's id.") var id: String
        @Option(help: "The price of a regular seat in rupiah.") var price: Int
        @Option(help: "A surcharge for a kind of seat, KIND=RUPIAH; repeatable (default: keep the current ones).")
        var modifier: [String] = []

        func run() async throws {
            let box = try options.openStore()
            let manager = try await options.principal(of: box, requiring: .manager, toDo: "set a showtime's price")
            let modifiers = modifier.isEmpty ? nil : try Add.modifiers(modifier)
            let showtime = try await box.catalog.setPrice(
                showtimeID: id, basePrice: Money(rupiah: price), priceModifiers: modifiers, by: manager)
            if options.json { return try Output.json(showtime) }
            print("\(showtime.movieTitle) on \(showtime.localStart) now costs \(showtime.basePrice.formatted) a regular seat.")
        }
    }
}
