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
            let box = try options.openStore()
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
                printShowtimes(showtimes)
            }
            let first = summary.cinemas[0]
            let showtime = today.lazy.flatMap(\.2).first { $0.startsAt > Date() }?.id ?? "SHOWTIME"
            print("""

                What to try next
                  boxoffice cinemas list --db \(path)
                  boxoffice showtimes list --db \(path) --cinema \(first.id) --date \(today[0].1) --json
                  boxoffice login --db \(path) --email \(DemoData.cashierEmail)          (password below)
                  boxoffice seats \(showtime) --db \(path)
                  boxoffice sell \(showtime) F12 F13 --method cash --db \(path)     (prints the booking code)
                  boxoffice receipt CODE --db \(path)
                  boxoffice cancel CODE --db \(path)
                  boxoffice login --db \(path) --email \(DemoData.managerEmail)          (then add cinemas, studios, showtimes)

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
