import Foundation
import TestSupport
@testable import BoxOfficeKit
@testable import SyncAgent

/// Head office (a fresh central database and its own store, synced up as an `--all` node) with a
/// small catalog — one cinema, one studio of rows A–C × seats 1–4 (row C vip), one showtime
/// tomorrow — and any number of counters, each its own SQLite file registered as a node.
struct SyncWorld {
    struct Counter {
        let name: String
        let box: BoxOffice
        let path: String
        let url: String
        let agent: SyncAgent
        let principal: Principal

        /// Syncs until nothing is pending and head office's feed is drained for this node.
        ///
        /// A push's answer can bring decisions the same round's pull has not reached yet (a cinema's
        /// row waits for the chain-wide rows before it, docs/feed.md): retry, boundedly.
        func settle() async throws {
            let deadline = Date().addingTimeInterval(20)
            while true {
                let report = try await agent.syncOnce()
                if report.feedLag == 0, try await box.replica.state().pendingChanges == 0 { return }
                guard Date() < deadline else { throw PostgresError(message: "the feed did not drain in 20 s") }
                try await Task.sleep(for: .milliseconds(50))
            }
        }
    }

    let directory: URL
    let centralURL: String
    let headOffice: HeadOffice
    let hq: Counter
    let cinemaID: String
    let showtimeID: String

    static let password = "manager-pass-123"

    /// - Parameter serverURL: An admin URL of the server to use; the shared test server by default.
    init(batchSize: Int = 500, serverURL: String? = nil) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("sync-world-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        centralURL = try TestPostgres.makeDatabase(on: serverURL)
        headOffice = try HeadOffice(url: centralURL)
        try headOffice.initialise()

        // The chain's manager is head office's own account (staff never come by push); head
        // office's store takes it from the feed, then authors the catalog as the `--all` node.
        try headOffice.addStaff(StaffAccount(name: "Head Office", email: "manager@hq.example", role: .manager,
                                             cinemaID: nil, password: Self.password))
        let hqPath = directory.appendingPathComponent("hq.sqlite").path
        let hqBox = try BoxOffice.open(path: hqPath)
        let hqNode = try headOffice.addNode(named: "hq-" + Self.suffix(), cinemaID: nil)
        var configuration = SyncAgent.Configuration()
        configuration.batchSize = batchSize
        configuration.pageSize = 50
        let hqAgent = SyncAgent(box: hqBox, centralURL: hqNode.url, configuration: configuration)
        try await hqAgent.syncOnce()
        let manager = try await hqBox.accounts.login(email: "manager@hq.example", password: Self.password).principal
        let cinema = try await hqBox.catalog.addCinema(CinemaDraft(name: "Cinema Braga", city: "Bandung"), by: manager)
        let studio = try await hqBox.catalog.addStudio(
            cinemaID: cinema.id, name: "Studio 1", layout: "rows A-C; seats 1-4; vip C", by: manager)
        let movie = try await hqBox.catalog.addMovie(MovieDraft(title: "Laskar Pelangi", durationMinutes: 120), by: manager)
        let tomorrow = Self.localDate(Date().addingTimeInterval(86_400))
        let showtime = try await hqBox.catalog.addShowtime(
            ShowtimeDraft(cinemaID: cinema.id, studioID: studio.id, movieID: movie.id, date: tomorrow, time: "19:30",
                          basePrice: 50_000), by: manager)
        cinemaID = cinema.id
        showtimeID = showtime.id
        try await hqAgent.syncOnce()
        hq = Counter(name: hqNode.name, box: hqBox, path: hqPath, url: hqNode.url, agent: hqAgent, principal: manager)
    }

    /// A new counter store, registered at head office for the cinema and synced once (so it holds
    /// the catalog and the chain's manager, who sells there).
    func counter(_ name: String, batchSize: Int = 500) async throws -> Counter {
        let node = try headOffice.addNode(named: name + "-" + Self.suffix(), cinemaID: cinemaID)
        let path = directory.appendingPathComponent("\(node.name).sqlite").path
        let box = try BoxOffice.open(path: path)
        var configuration = SyncAgent.Configuration()
        configuration.batchSize = batchSize
        configuration.pageSize = 50
        let agent = SyncAgent(box: box, centralURL: node.url, configuration: configuration)
        try await agent.syncOnce()
        let principal = try await box.accounts.login(email: "manager@hq.example", password: Self.password).principal
        return Counter(name: node.name, box: box, path: path, url: node.url, agent: agent, principal: principal)
    }

    /// Head office's view of the showtime: seat label → booking code, for every active ticket.
    func centralSeats() throws -> [String: String] {
        let result = try PostgresConnection(url: centralURL).query("""
            SELECT s.label, b.code FROM central.tickets t
            JOIN central.seats s ON s.id = t.seat_id JOIN central.bookings b ON b.id = t.booking_id
            WHERE t.showtime_id = $1 AND t.status = 'active'
            """, [showtimeID])
        return Dictionary(uniqueKeysWithValues: result.values.map { ($0[0]!, $0[1]!) })
    }

    /// A store's view of the showtime: seat label → booking code, for every active ticket.
    func localSeats(_ box: BoxOffice) async throws -> [String: String] {
        try await box.read { [showtimeID] db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT s.label, b.code FROM tickets t JOIN seats s ON s.id = t.seat_id JOIN bookings b ON b.id = t.booking_id
                WHERE t.showtime_id = ? AND t.status = 'active'
                """, arguments: [showtimeID])
            return Dictionary(uniqueKeysWithValues: rows.map { ($0["label"] as String, $0["code"] as String) })
        }
    }

    static func localDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Asia/Jakarta")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: date)
    }

    static func suffix() -> String { String(UUID().uuidString.lowercased().prefix(8)) }
}

import GRDB
