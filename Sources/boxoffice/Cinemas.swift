import ArgumentParser
import BoxOfficeKit
import Foundation

extension BoxOfficeCommand {
    /// `boxoffice cinemas …`: list, show, add, edit and remove cinemas.
    struct Cinemas: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List, show, add, edit and remove cinemas.",
            subcommands: [List.self, Show.self, Add.self, Edit.self, Remove.self],
            defaultSubcommand: List.self)
    }
}

extension BoxOfficeCommand.Cinemas {
    /// `boxoffice cinemas list`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the cinemas, by name, one page at a time.")

        @OptionGroup var options: StoreOptions
        @OptionGroup var paging: PageOptions

        func run() async throws {
            let page = try await options.openStore().catalog.cinemas(page: paging.request)
            if options.json { return try Output.json(page: page) }
            Output.table(["NAME", "CITY", "TIME ZONE", "ID"], page.items.map { [$0.name, $0.city, $0.timeZone, $0.id] })
            print("page \(page.page), \(page.items.count) of \(page.total) cinemas")
        }
    }

    /// `boxoffice cinemas show ID`.
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one cinema and its studios.")

        @OptionGroup var options: StoreOptions
        @Argument(help: ArgumentHelp("The cinema, by name, a prefix of it or its id.", valueName: "cinema")) var cinema: String

        func run() async throws {
            let catalog = try options.openStore().catalog
            let cinema = try await catalog.findCinema(cinema)
            if options.json { return try Output.json(cinema) }
            printCinema(cinema)
            let studios = try await catalog.studios(cinemaID: cinema.id)
            print("")
            Output.table(["STUDIO", "SEATS", "ID"], studios.map { [$0.name, String($0.seatCount), $0.id] })
        }
    }

    /// `boxoffice cinemas add`.
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a cinema (managers only).")

        @OptionGroup var options: StoreOptions
        @Option(help: "The cinema's name.") var name: String
        @Option(help: "The city.") var city: String
        @Option(help: "The street address.") var address = ""
        @Option(help: "The IANA time zone in which its showtimes are entered and shown.") var timeZone = "Asia/Jakarta"

        func run() async throws {
            let box = try options.openStore()
            let manager = try await options.principal(of: box)
            let cinema = try await box.catalog.addCinema(
                CinemaDraft(name: name, city: city, address: address, timeZone: timeZone), by: manager)
            if options.json { return try Output.json(cinema) }
            print("Added cinema \(cinema.name) (\(cinema.id)).")
        }
    }

    /// `boxoffice cinemas edit ID`.
    struct Edit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a cinema's name, city, address or time zone (managers only).")

        @OptionGroup var options: StoreOptions
        @Argument(help: ArgumentHelp("The cinema, by name, a prefix of it or its id.", valueName: "cinema")) var cinema: String
        @Option(help: "A new name.") var name: String?
        @Option(help: "A new city.") var city: String?
        @Option(help: "A new street address.") var address: String?
        @Option(help: "A new IANA time zone.") var timeZone: String?

        func run() async throws {
            let box = try options.openStore()
            let manager = try await options.principal(of: box)
            let cinema = try await box.catalog.editCinema(
                id: try await box.catalog.findCinema(cinema).id, CinemaChanges(name: name, city: city, address: address, timeZone: timeZone), by: manager)
            if options.json { return try Output.json(cinema) }
            printCinema(cinema)
        }
    }

    /// `boxoffice cinemas remove ID`.
    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a cinema from the catalog (managers only).")

        @OptionGroup var options: StoreOptions
        @Argument(help: ArgumentHelp("The cinema, by name, a prefix of it or its id.", valueName: "cinema")) var cinema: String
        @Flag(help: "Also cancel its showtimes still to come (refused while any has a ticket held or sold).")
        var force = false

        func run() async throws {
            let box = try options.openStore()
            let manager = try await options.principal(of: box)
            let found = try await box.catalog.findCinema(cinema)
            let coming = force ? try await box.catalog.showtimesToCome(cinemaID: found.id) : 0
            let cinema = try await box.catalog.removeCinema(id: found.id, cancellingShowtimes: force, by: manager)
            if options.json { return try Output.json(cinema) }
            print("Removed cinema \(cinema.name) (\(cinema.id))" + (coming > 0 ? "; its \(coming) showtime\(coming == 1 ? "" : "s") still to come \(coming == 1 ? "was" : "were") cancelled." : "."))
        }
    }
}

/// Prints a cinema's fields, one per line.
private func printCinema(_ cinema: Cinema) {
    print("""
        \(cinema.name)
          id:        \(cinema.id)
          city:      \(cinema.city)
          address:   \(cinema.address.isEmpty ? "-" : cinema.address)
          time zone: \(cinema.timeZone)
        """)
}
