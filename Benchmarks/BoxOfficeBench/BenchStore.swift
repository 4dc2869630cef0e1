import BoxOfficeKit
import Foundation
import Logging

/// A counter's store made for a scenario: one cinema, one 300-seat studio (rows A–O, seats 1–20),
/// one movie and as many showtimes as the scenario will fill, all made through the kit.
///
/// Sale number `n` sells two neighbouring seats: showtime `n / 150`, row `(n % 150) / 10`, seats
/// `2k+1` and `2k+2` with `k = n % 10`, so every sale has seats of its own and a scenario can split
/// the numbers between processes without two of them ever wanting one seat. (The sync scenarios
/// put 135 sales in a showtime instead of 150, leaving 30 seats free.)
struct BenchStore: Codable {
    static let managerEmail = "bench-manager@bench.example"
    static let managerPassword = "bench-pass-123"
    static let layout = "rows A-O; seats 1-20"
    static let seatsPerShowtime = 300
    static let salesPerShowtime = seatsPerShowtime / 2
    static let price = 50_000

    var path: String
    var cinemaID: String
    var studioID: String
    var showtimeIDs: [String]
    /// How many sales the numbering puts in one showtime: all 150 pairs, or fewer to leave free
    /// seats for head office to reseat contested sales into.
    var salesPerShowtime = BenchStore.salesPerShowtime

    /// The kit's configuration in every scenario: its defaults (durability, busy timeout), with
    /// the logger raised to `warning` so that the per-sale `info` line an embedding app would
    /// route somewhere does not turn into terminal output that dominates the timing.
    static var configuration: BoxOffice.Configuration {
        var configuration = BoxOffice.Configuration()
        configuration.logger.logLevel = .warning
        return configuration
    }

    /// Creates the store at `path` with room for `sales` two-seat sales.
    static func make(at path: String, sales: Int, perShowtime: Int = salesPerShowtime) async throws -> BenchStore {
        let box = try BoxOffice.open(path: path, configuration: configuration)
        _ = try await box.accounts.createFirstManager(name: "Bench Manager", email: managerEmail, password: managerPassword)
        let manager = try await box.accounts.login(email: managerEmail, password: managerPassword).principal
        let cinema = try await box.catalog.addCinema(
            CinemaDraft(name: "Cinema Bench", city: "Jakarta", timeZone: "Asia/Jakarta"), by: manager)
        let studio = try await box.catalog.addStudio(cinemaID: cinema.id, name: "Studio 1", layout: layout, by: manager)
        let movie = try await box.catalog.addMovie(MovieDraft(title: "Benchmark Nights", durationMinutes: 90), by: manager)

        // Every two hours from the day after tomorrow, so no showtime starts during a run.
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Jakarta")!
        let first = calendar.date(byAdding: .day, value: 2, to: calendar.startOfDay(for: Date()))!
        let count = max(1, (sales + perShowtime - 1) / perShowtime)
        let drafts = (0..<count).map { index -> ShowtimeDraft in
            let start = calendar.date(byAdding: .hour, value: 2 * index, to: first)!
            let parts = calendar.dateComponents([.year, .month, .day, .hour], from: start)
            return ShowtimeDraft(
                cinemaID: cinema.id, studioID: studio.id, movieID: movie.id,
                date: String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!),
                time: String(format: "%02d:00", parts.hour!), basePrice: Money(rupiah: price))
        }
        var showtimeIDs: [String] = []
        for chunk in stride(from: 0, to: drafts.count, by: 200) {
            let added = try await box.catalog.addShowtimes(Array(drafts[chunk..<min(chunk + 200, drafts.count)]), by: manager)
            showtimeIDs += added.map(\.id)
        }
        return BenchStore(
            path: path, cinemaID: cinema.id, studioID: studio.id, showtimeIDs: showtimeIDs, salesPerShowtime: perShowtime)
    }

    /// Opens the store as the kit does and logs the manager in (who may sell at the counter).
    func open() async throws -> (BoxOffice, Principal) {
        let box = try BoxOffice.open(path: path, configuration: Self.configuration)
        let manager = try await box.accounts.login(email: Self.managerEmail, password: Self.managerPassword).principal
        return (box, manager)
    }

    /// The showtime and seat labels of sale number `number`.
    func sale(_ number: Int) -> (showtimeID: String, seats: [String]) {
        let showtime = showtimeIDs[number / salesPerShowtime]
        let slot = number % salesPerShowtime
        let row = String(UnicodeScalar(UInt8(ascii: "A") + UInt8(slot / 10)))
        let first = (slot % 10) * 2 + 1
        return (showtime, ["\(row)\(first)", "\(row)\(first + 1)"])
    }

    /// Copies the store's database into `destination` (with `VACUUM INTO`, so the copy is complete
    /// and has the same schema, triggers, indices and rows) for the raw-SQLite side.
    func copy(to destination: String) throws {
        let raw = try RawSQLite(path: path)
        try raw.execute("VACUUM INTO '\(destination.replacingOccurrences(of: "'", with: "''"))'")
    }
}

/// A scratch folder for one run, removed at the end.
struct Scratch {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("boxoffice-bench-\(UUID().uuidString.prefix(8))", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}
