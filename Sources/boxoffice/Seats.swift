import ArgumentParser
import BoxOfficeKit
import Foundation

extension BoxOfficeCommand {
    /// `boxoffice seats`: the seat map of a showtime, drawn as a grid or printed as JSON.
    struct Seats: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the seats of a showtime: free, held, sold, blocked or allotted, with kinds and prices.",
            discussion: """
                Name the showtime by its handle (19:30/2), its id, or --time (with --cinema and --date when
                the store has several cinemas or it is not today). Every state has its own mark (a number is
                free, HH held, XX sold, ## blocked, AA allotted), with colour on a terminal as well; --no-color
                or $NO_COLOR turn colour off.
                """)

        @OptionGroup var options: StoreOptions
        @OptionGroup var day: ShowtimeOptions

        @Argument(help: ShowtimeOptions.argumentHelp)
        var showtime: String?

        @Option(help: "The local start time, HH:MM (instead of a handle).")
        var time: String?

        @Flag(help: "Never use colour.")
        var noColor = false

        func validate() throws {
            guard (showtime == nil) != (time == nil) else {
                throw ValidationError("give a showtime (its handle, e.g. 19:30/2, or its id), or --time")
            }
        }

        func run() async throws {
            let box = try options.openStore()
            let showing = try await day.showtime(showtime ?? time ?? "", in: box)
            let map = try await box.sales.seatMap(showtime: showing.id)
            if options.json {
                try Output.json(map)
            } else {
                print(SeatGrid(map: map, colour: ColourOutput.wantsColour(disabled: noColor)).text)
            }
        }
    }
}
