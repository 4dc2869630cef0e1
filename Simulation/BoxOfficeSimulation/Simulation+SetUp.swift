import BoxOfficeKit
import Foundation
import SyncAgent

extension Simulation {
    /// Head office on a server of its own, its catalog (small studios, few showtimes), and the
    /// counters, each registered, behind its proxy, synced once by its own `boxoffice sync`.
    func setUp() async throws {
        let adminURL = try server.start()
        let admin = try PostgresConnection(url: adminURL)
        try admin.execute("CREATE DATABASE boxoffice_sim")
        centralURL = Self.replacing(adminURL, database: "boxoffice_sim")
        let headOffice = try HeadOffice(url: centralURL)
        try headOffice.initialise()
        try headOffice.addStaff(StaffAccount(name: "Head Office", email: Self.managerEmail, role: .manager,
                                             cinemaID: nil, password: Self.managerPassword))

        // Head office's own store authors the catalog, as the `--all` node.
        let hqNode = try headOffice.addNode(named: "hq", cinemaID: nil)
        var hqConfiguration = BoxOffice.Configuration()
        hqConfiguration.logger.logLevel = .error
        let hqBox = try BoxOffice.open(path: directory.appendingPathComponent("hq.sqlite").path, configuration: hqConfiguration)
        var configuration = SyncAgent.Configuration()
        configuration.connectTimeout = .seconds(3)
        let hqAgent = SyncAgent(box: hqBox, centralURL: hqNode.url, configuration: configuration)
        try await hqAgent.syncOnce()
        let manager = try await hqBox.accounts.login(email: Self.managerEmail, password: Self.managerPassword).principal
        hq = (hqBox, manager, hqAgent)
        let movie = try await hqBox.catalog.addMovie(MovieDraft(title: "Laskar Pelangi", durationMinutes: 100), by: manager)
        // Three days ahead: a counter whose clock is a day off still sells.
        let day = Self.localDate(Date().addingTimeInterval(3 * 86_400))
        for (index, name) in ["Braga", "Kuta"].prefix(max(1, min(2, options.cinemas))).enumerated() {
            let cinema = try await hqBox.catalog.addCinema(CinemaDraft(name: "Cinema \(name)", city: "Bandung"), by: manager)
            let studio = try await hqBox.catalog.addStudio(
                cinemaID: cinema.id, name: "Studio 1", layout: "rows A-C; seats 1-4; vip C", by: manager)
            var ids: [String] = []
            for time in ["17:00", "20:00"] {
                let showtime = try await hqBox.catalog.addShowtime(
                    ShowtimeDraft(cinemaID: cinema.id, studioID: studio.id, movieID: movie.id, date: day, time: time,
                                  basePrice: 40_000 + 5_000 * index), by: manager)
                ids.append(showtime.id)
                seatLabels[showtime.id] = ["A", "B", "C"].flatMap { row in (1...4).map { "\(row)\($0)" } }
            }
            cinemaIDs.append(cinema.id)
            showtimes[cinema.id] = ids
        }
        try await hqAgent.syncOnce()

        let port = URLComponents(string: centralURL)?.port ?? 5432
        for index in 1...max(1, options.counters) {
            let cinemaID = cinemaIDs[(index - 1) % cinemaIDs.count]
            let name = "c\(index)"
            let node = try headOffice.addNode(named: name, cinemaID: cinemaID)
            let proxy = try FaultProxy(targetPort: port)
            let counter = SimulatedCounter(name: name, cinemaID: cinemaID, path: directory.appendingPathComponent("\(name).sqlite").path,
                                           url: Self.through(proxy, node.url), proxy: proxy)
            // As a counter is set up (README): `init` makes the store, whose first sync brings its cinema.
            let created = try ChildProcess.run(options.boxoffice, ["init", "--db", counter.path], environment: counter.syncEnvironment())
            guard created.status == 0, !created.signalled else { throw SimulationError.setup("\(name)'s init failed: \(created.output)") }
            let exit = try ChildProcess.run(options.boxoffice, ["sync", "--db", counter.path], environment: counter.syncEnvironment())
            guard exit.status == 0, !exit.signalled else { throw SimulationError.setup("\(name)'s first sync failed: \(exit.output)") }
            _ = try await counter.session(holdDuration: Self.holdDuration)
            counters.append(counter)
        }

        // Some seats of each showtime are allotted to a counter of its cinema: only it sells them.
        for cinemaID in cinemaIDs {
            let local = counters.filter { $0.cinemaID == cinemaID }
            for (index, showtimeID) in (showtimes[cinemaID] ?? []).enumerated() where !local.isEmpty {
                let owner = local[index % local.count]
                let seats = index == 0 ? ["A1", "A2", "A3"] : ["B3", "B4"]
                try headOffice.allot(showtimeID: showtimeID, seats: seats, to: owner.name)
                history.allotments.append(History.Allotment(showtimeID: showtimeID, seats: seats, counter: owner.name))
            }
        }
        for counter in counters { _ = try ChildProcess.run(options.boxoffice, ["sync", "--db", counter.path], environment: counter.syncEnvironment()) }
        note("set up: \(counters.count) counters, \(cinemaIDs.count) cinemas, allotments \(history.allotments.map { "\($0.counter):\($0.seats.joined(separator: ","))" })")
    }

    /// A node URL that goes through `proxy`, without TLS (the proxy reads the protocol).
    static func through(_ proxy: FaultProxy, _ url: String) -> String {
        guard var components = URLComponents(string: url) else { return url }
        components.port = proxy.port
        components.queryItems = (components.queryItems ?? []) + [URLQueryItem(name: "sslmode", value: "disable"),
                                                                  URLQueryItem(name: "gssencmode", value: "disable")]
        return components.string ?? url
    }

    static func replacing(_ url: String, database: String) -> String {
        guard var components = URLComponents(string: url) else { return url }
        components.path = "/" + database
        return components.string ?? url
    }

    static func localDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Asia/Jakarta")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: date)
    }
}
