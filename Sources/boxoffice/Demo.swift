import ArgumentParser
import BoxOfficeKit
import Foundation

extension BoxOfficeCommand {
    /// `boxoffice demo`: a new store full of sample data, and what to try next.
    struct Demo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a store with sample cinemas, studios, movies and a week of showtimes.",
            discussion: "Refuses to touch an existing store unless --force is given, which deletes it first.")

        @OptionGroup var options: StoreOptions
        @Flag(help: "Delete an existing store at --db (and its -wal, -shm, .session and .pgpass files) first.")
        var force = false

        func run() async throws {
            let path = options.storePath
            let companions = [path, path + "-wal", path + "-shm", options.sessionFile.path, path + ".pgpass"]
            if companions.contains(where: FileManager.default.fileExists(atPath:)) {
                guard force else { throw DemoRefusal(path: path) }
                for file in companions where FileManager.default.fileExists(atPath: file) {
                    try FileManager.default.removeItem(atPath: file)
                }
            }
            let box = try options.openStore(creating: true)
            let summary = try await DemoData.seed(box)
            var today: [(Cinema, String, [Showtime])] = []
            for cinema in summary.cinemas {
                let day = try await box.catalog.today(cinemaID: cinema.id)
                today.append((cinema, day, try await box.catalog.showtimes(cinemaID: cinema.id, on: day)))
            }
            if options.json {
                return try Output.json(DemoReport(
                    path: path, cinemas: summary.cinemas, studioCount: summary.studioCount,
                    movieCount: summary.movieCount, showtimeCount: summary.showtimeCount,
                    todaysShowtimes: today.flatMap(\.2),
                    manager: .init(id: summary.manager.id, email: DemoData.managerEmail, password: DemoData.managerPassword),
                    cashier: .init(id: summary.cashier.id, email: DemoData.cashierEmail, password: DemoData.cashierPassword)))
            }
            print("""
                Demo store ready at \(path): \(summary.cinemas.count) cinemas, \(summary.studioCount) studios, \
                \(summary.movieCount) movies, \(summary.showtimeCount) showtimes over \(DemoData.days) days.

                """)
            Output.table(["CINEMA", "CITY", "TIME ZONE", "ID"], summary.cinemas.map { [$0.name, $0.city, $0.timeZone, $0.id] })
            for (cinema, day, showtimes) in today {
                print("\nToday's showtimes at \(cinema.name) (\(day), \(cinema.timeZone))")
                ShowtimeTable.print(showtimes)
            }
            let first = summary.cinemas.first { $0.name == "Cinema Braga" } ?? summary.cinemas[0]
            let firstDay = today.first { $0.0.id == first.id }?.2 ?? []
            var next = firstDay.first { $0.startsAt > Date() }, dateOption = ""
            if next == nil {  // today's last showtime has begun: tomorrow's first
                let tomorrow = LocalDateTime(Date().addingTimeInterval(86_400), timeZone: first.zone).date
                next = try await box.catalog.showtimes(cinemaID: first.id, on: tomorrow).first
                dateOption = " --date \(tomorrow)"
            }
            let handle = next?.handle ?? "19:30/1"
            let cinemaWord = (first.name.split(separator: " ").last.map(String.init) ?? first.name) + dateOption
            print("""

                What to try next (no ids needed: cinemas by name, showtimes by the handle in the list)
                  export BOXOFFICE_DB=\(path)
                  boxoffice cinemas list
                  boxoffice showtimes list --cinema \(cinemaWord)
                  boxoffice login --email \(DemoData.cashierEmail)          (password below)
                  boxoffice seats \(handle) --cinema \(cinemaWord)
                  boxoffice sell \(handle) F12 F13 --cinema \(cinemaWord) --method cash     (prints the booking code)
                  boxoffice receipt CODE
                  boxoffice cancel CODE
                  boxoffice login --email \(DemoData.managerEmail)          (then add cinemas, studios, showtimes)

                Demo-only logins (never use them for a real store), password \(DemoData.managerPassword):
                  manager  \(DemoData.managerEmail)
                  cashier  \(DemoData.cashierEmail)
                """)
        }
    }
}

/// `boxoffice demo` found a store and was not told to replace it.
struct DemoRefusal: BoxOfficeError {
    let path: String
    var kind: ErrorKind { .conflict }
    var description: String { "\(path) already exists: run `boxoffice demo --force` to replace it (its data will be lost)" }
}

/// What `boxoffice demo --json` prints.
private struct DemoReport: Encodable {
    struct Manager: Encodable { var id: String, email: String, password: String }
    var path: String
    var cinemas: [Cinema]
    var studioCount: Int, movieCount: Int, showtimeCount: Int
    var todaysShowtimes: [Showtime]
    var manager: Manager
    var cashier: Manager
}
