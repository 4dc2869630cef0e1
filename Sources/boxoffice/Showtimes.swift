import ArgumentParser
import BoxOfficeKit
import Foundation

extension BoxOfficeCommand {
    /// `boxoffice showtimes …`: schedule, list and find showtimes.
    struct Showtimes: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Schedule, list and find showtimes; dates and times are in the cinema's time zone.",
            discussion: """
                Each showtime of a day has a handle, its start time and studio (19:30/2), that `seats`, `sell`
                and `book` take instead of its id; `showtimes list` prints them.
                """,
            subcommands: [Add.self, List.self, Find.self, Price.self])
    }
}

extension BoxOfficeCommand.Showtimes {
    /// `boxoffice showtimes add`.
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Schedule a showtime (managers only).")

        @OptionGroup var options: StoreOptions
        @Option(help: ArgumentHelp(NameHelp.cinema)) var cinema: String?
        @Option(help: ArgumentHelp(NameHelp.studio)) var studio: String
        @Option(help: ArgumentHelp(NameHelp.movie)) var movie: String
        @Option(help: "The local start date in the cinema's time zone, YYYY-MM-DD.") var date: String
        @Option(help: "The local start time, HH:MM (24-hour).") var time: String
        @Option(help: "The price of a regular seat in rupiah, 50000 or 50.000.", transform: MoneyArgument.parse) var price: Money
        @Option(help: "A surcharge for a kind of seat, KIND=RUPIAH (vip, couple, wheelchair); repeatable.")
        var modifier: [String] = []

        func run() async throws {
            let box = try options.openStore()
            let manager = try await options.principal(of: box)
            let cinema = try await box.catalog.findCinema(cinema)
            let draft = ShowtimeDraft(
                cinemaID: cinema.id, studioID: try await box.catalog.findStudio(studio, cinema: cinema.id).id,
                movieID: try await box.catalog.findMovie(movie).id, date: date, time: time,
                basePrice: price, priceModifiers: try MoneyArgument.modifiers(modifier))
            let showtime = try await box.catalog.addShowtime(draft, by: manager)
            if options.json { return try Output.json(showtime) }
            print("Scheduled \(showtime.movieTitle) in \(showtime.studioName) on \(showtime.localStart)"
                + " (\(showtime.timeZone)), ends \(ShowtimeTable.end(of: showtime)); its handle is \(showtime.handle).")
        }
    }

    /// `boxoffice showtimes list [--cinema C] [--date DAY]`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List a cinema's showtimes of one local day, with their handles.",
            discussion: "END is when the movie ends (the studio's cleaning time is not included); +1 marks the next day.")

        @OptionGroup var options: StoreOptions
        @Option(help: ArgumentHelp(NameHelp.cinema)) var cinema: String?
        @Option(help: "The local date, YYYY-MM-DD (default: today in the cinema's time zone).") var date: String?

        func run() async throws {
            let catalog = try options.openStore().catalog
            let cinema = try await catalog.findCinema(cinema)
            var day = date ?? ""
            if date == nil { day = try await catalog.today(cinemaID: cinema.id) }
            let showtimes = try await catalog.showtimes(cinemaID: cinema.id, on: day)
            if options.json { return try Output.json(list: showtimes) }
            print("\(cinema.name), \(day) (\(cinema.timeZone))")
            ShowtimeTable.print(showtimes)
        }
    }

    /// `boxoffice showtimes find --cinema C --date DAY --time HH:MM`.
    struct Find: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Find the showtime that starts at a local date and time.")

        @OptionGroup var options: StoreOptions
        @Option(help: ArgumentHelp(NameHelp.cinema)) var cinema: String?
        @Option(help: "The local date, YYYY-MM-DD (default: today in the cinema's time zone).") var date: String?
        @Option(help: "The local start time, HH:MM, or a handle such as 19:30/2.") var time: String
        @Option(help: "The studio, by name or number, when several studios start a showtime then.") var studio: String?

        func run() async throws {
            let reference = studio.map { "\(time)/\($0)" } ?? time
            let showtime = try await options.openStore().catalog.findShowtime(reference, cinema: cinema, on: date)
            if options.json { return try Output.json(showtime) }
            ShowtimeTable.print([showtime])
        }
    }
}

/// How showtimes are printed as a table: handle, local start and movie end, studio, movie, price.
enum ShowtimeTable {
    static func print(_ showtimes: [Showtime]) {
        guard !showtimes.isEmpty else { return Swift.print("No showtimes.") }
        Output.table(
            ["HANDLE", "START", "END", "STUDIO", "MOVIE", "PRICE"],
            showtimes.map { [$0.handle, $0.localStart.time, end(of: $0), $0.studioName, $0.movieTitle, $0.basePrice.formatted] })
    }

    /// When the movie ends, local, with `+1` (or `+2`…) when that is a later day than its start.
    static func end(of showtime: Showtime) -> String {
        let start = showtime.localStart, end = showtime.localMovieEnd
        guard end.date != start.date, let first = day(start.date), let last = day(end.date) else { return end.time }
        return "\(end.time) +\(max(1, Int(((last - first) / 86_400).rounded())))"
    }

    private static func day(_ date: String) -> TimeInterval? {
        let parts = date.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        return calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2]))?.timeIntervalSince1970
    }
}

extension BoxOfficeCommand.Showtimes {
    /// `boxoffice showtimes price SHOWTIME --price N [--modifier vip=25000]`.
    struct Price: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set a showtime's prices; one waiting for its price (imported) goes on sale (managers only).")

        @OptionGroup var options: StoreOptions
        @OptionGroup var day: ShowtimeOptions
        @Argument(help: ShowtimeOptions.argumentHelp) var showtime: String
        @Option(help: "The price of a regular seat in rupiah, 50000 or 50.000.", transform: MoneyArgument.parse) var price: Money
        @Option(help: "A surcharge for a kind of seat, KIND=RUPIAH; repeatable (default: keep the current ones).")
        var modifier: [String] = []

        func run() async throws {
            let box = try options.openStore()
            let manager = try await options.principal(of: box)
            let modifiers = modifier.isEmpty ? nil : try MoneyArgument.modifiers(modifier)
            let showing = try await day.showtime(showtime, in: box)
            let changed = try await box.catalog.setPrice(
                showtimeID: showing.id, basePrice: price, priceModifiers: modifiers, by: manager)
            if options.json { return try Output.json(changed) }
            print("\(changed.movieTitle) on \(changed.localStart) (\(changed.handle)) now costs \(changed.basePrice.formatted) a regular seat.")
        }
    }
}
