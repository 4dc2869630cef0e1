import ArgumentParser
import BoxOfficeKit
import Foundation

extension BoxOfficeCommand {
    /// `boxoffice seats`: the seat map of a showtime, drawn as a grid or printed as JSON.
    struct Seats: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the seats of a showtime: free, held, sold, blocked or allotted, with prices.",
            discussion: """
                Name the showtime by its id, or by --cinema, --date and --time (local to the cinema).
                Colour is used only on a terminal; --no-color or $NO_COLOR turn it off.
                """)

        @OptionGroup var options: StoreOptions

        @Argument(help: "The showtime's id.")
        var showtime: String?

        @Option(help: "The cinema's id (with --date and --time instead of a showtime id).")
        var cinema: String?

        @Option(help: "The local date, YYYY-MM-DD.")
        var date: String?

        @Option(help: "The local start time, HH:MM.")
        var time: String?

        @Flag(help: "Never use colour.")
        var noColor = false

        func validate() throws {
            let byTime = [cinema, date, time].compactMap { $0 }.count
            guard (showtime != nil && byTime == 0) || (showtime == nil && byTime == 3) else {
                throw ValidationError("give a showtime id, or all of --cinema, --date and --time")
            }
        }

        func run() async throws {
            let box = try options.openStore()
            let map: SeatMap
            if let showtime {
                map = try await box.sales.seatMap(showtime: showtime)
            } else {
                map = try await box.sales.seatMap(cinema: cinema ?? "", date: date ?? "", time: time ?? "")
            }
            if options.json {
                try Output.json(map)
            } else {
                print(SeatGrid(map: map, colour: ColourOutput.wantsColour(disabled: noColor)).text)
            }
        }
    }
}
