import ArgumentParser
import BoxOfficeKit
import Foundation

extension BoxOfficeCommand {
    /// `boxoffice studios …`: add and list the studios of a cinema.
    struct Studios: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add and list the studios of a cinema, with their seat layouts.",
            discussion: """
                A layout is a spec such as
                  "rows A-J; seats 1-20; aisles after 4,16; vip E-F; couple J; wheelchair A1-A2"
                Clauses: rows X-Y, seats N-M (both required), aisles after N[,N…],
                and vip / couple / wheelchair followed by rows (J, E-F) or seats (A1, A1-A4).
                """,
            subcommands: [Add.self, List.self, Show.self, Layout.self])
    }
}

extension BoxOfficeCommand.Studios {
    /// `boxoffice studios add`.
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a studio and generate its seats (managers only).")

        @OptionGroup var options: StoreOptions
        @Option(help: ArgumentHelp(NameHelp.cinema)) var cinema: String?
        @Option(help: "The studio's name, unique in the cinema.") var name: String
        @Option(help: "The seat layout spec, e.g. \"rows A-J; seats 1-20; aisles after 4,16\".") var layout: String

        func run() async throws {
            let box = try options.openStore()
            let manager = try await options.principal(of: box)
            let cinema = try await box.catalog.findCinema(cinema)
            let studio = try await box.catalog.addStudio(cinemaID: cinema.id, name: name, layout: layout, by: manager)
            if options.json { return try Output.json(studio) }
            print("Added \(studio.name) to \(cinema.name) with \(studio.seatCount) seats.\n")
            print(try SeatLayout(parsing: studio.layoutSpec).render())
        }
    }

    /// `boxoffice studios list --cinema ID`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the studios of a cinema.")

        @OptionGroup var options: StoreOptions
        @Option(help: ArgumentHelp(NameHelp.cinema)) var cinema: String?

        func run() async throws {
            let catalog = try options.openStore().catalog
            let studios = try await catalog.studios(cinemaID: try await catalog.findCinema(cinema).id)
            if options.json { return try Output.json(list: studios) }
            Output.table(["NAME", "SEATS", "LAYOUT", "ID"], studios.map {
                [$0.name, String($0.seatCount), $0.seatCount == 0 ? "(none yet)" : $0.layoutSpec, $0.id]
            })
        }
    }

    /// `boxoffice studios show ID`.
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a studio and its seat map.")

        @OptionGroup var options: StoreOptions
        @Argument(help: ArgumentHelp(NameHelp.studio, valueName: "studio")) var studio: String
        @Option(help: ArgumentHelp(NameHelp.cinema)) var cinema: String?

        func run() async throws {
            let studio = try await options.openStore().catalog.findStudio(studio, cinema: cinema)
            if options.json { return try Output.json(studio) }
            guard studio.seatCount > 0 else {
                return print("\(studio.name) has no seat layout yet: its showtimes are not on sale until a manager "
                    + "completes it with `boxoffice studios layout '\(studio.name)' --layout SPEC`.")
            }
            print("\(studio.name): \(studio.seatCount) seats, layout \"\(studio.layoutSpec)\"\n")
            print(try SeatLayout(parsing: studio.layoutSpec).render())
            print("\n. regular  V vip  C couple (side by side, pairs from the left: sold two at a time)  W wheelchair")
        }
    }
}

extension BoxOfficeCommand.Studios {
    /// `boxoffice studios layout ID --layout SPEC`: completes a studio that has no layout yet.
    struct Layout: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Give a studio without seats (one imported from the old system) its layout (managers only).")

        @OptionGroup var options: StoreOptions
        @Argument(help: ArgumentHelp(NameHelp.studio, valueName: "studio")) var studio: String
        @Option(help: ArgumentHelp(NameHelp.cinema)) var cinema: String?
        @Option(help: "The seat layout spec, e.g. \"rows A-J; seats 1-20; aisles after 4,16\".") var layout: String

        func run() async throws {
            let box = try options.openStore()
            let manager = try await options.principal(of: box)
            let found = try await box.catalog.findStudio(studio, cinema: cinema)
            let studio = try await box.catalog.completeLayout(studioID: found.id, layout: layout, by: manager)
            if options.json { return try Output.json(studio) }
            print("\(studio.name) now has \(studio.seatCount) seats; its showtimes are on sale.\n")
            print(try SeatLayout(parsing: studio.layoutSpec).render())
        }
    }
}
