import BoxOfficeKit
import Foundation
import SyncAgent
import Testing
import TestSupport

/// A sync conflict resolved from the counter screen's route, through `boxoffice serve` itself and
/// a real head office: two counters sold one seat offline, head office reseated the later sale, and
/// the cashier gives it the seat the customer wanted instead.
@Suite struct ConflictResolutionAPITests {
    static let password = "manager-pass-123"

    @Test(.enabled(if: TestPostgres.isAvailable, "needs the PostgreSQL server started by scripts/test.sh"))
    func aReseatedSaleIsGivenAnotherSeatThroughTheServer() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("resolve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let headOffice = try HeadOffice(url: try TestPostgres.makeDatabase())
        _ = try headOffice.initialise()
        try headOffice.addStaff(StaffAccount(name: "Head Office", email: "manager@hq.example", role: .manager,
                                             cinemaID: nil, password: Self.password))
        let suffix = String(UUID().uuidString.lowercased().prefix(8))

        // Head office's own store authors the catalog: one studio of rows A–B × seats 1–4.
        let hq = try BoxOffice.open(path: directory.appendingPathComponent("hq.sqlite").path)
        let hqAgent = SyncAgent(box: hq, centralURL: try headOffice.addNode(named: "hq-" + suffix, cinemaID: nil).url)
        try await hqAgent.syncOnce()
        let manager = try await hq.accounts.login(email: "manager@hq.example", password: Self.password).principal
        let cinema = try await hq.catalog.addCinema(CinemaDraft(name: "Cinema Braga", city: "Bandung"), by: manager)
        let studio = try await hq.catalog.addStudio(cinemaID: cinema.id, name: "Studio 1", layout: "rows A-B; seats 1-4", by: manager)
        let movie = try await hq.catalog.addMovie(MovieDraft(title: "Laskar Pelangi", durationMinutes: 120), by: manager)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = cinema.zone
        formatter.dateFormat = "yyyy-MM-dd"
        let tomorrow = formatter.string(from: Date().addingTimeInterval(86_400))
        let showtime = try await hq.catalog.addShowtime(
            ShowtimeDraft(cinemaID: cinema.id, studioID: studio.id, movieID: movie.id, date: tomorrow, time: "19:30", basePrice: 50_000),
            by: manager)
        try await hqAgent.syncOnce()

        // Two counters of the cinema; the second remembers its URL, as `boxoffice sync` leaves a counter.
        func counter(_ name: String) async throws -> (BoxOffice, SyncAgent, Principal, String) {
            let path = directory.appendingPathComponent("\(name).sqlite").path
            let box = try BoxOffice.open(path: path)
            var configuration = SyncAgent.Configuration()
            configuration.remembersCentralURL = true
            let agent = SyncAgent(box: box, centralURL: try headOffice.addNode(named: name + "-" + suffix, cinemaID: cinema.id).url,
                                  configuration: configuration)
            try await agent.syncOnce()
            return (box, agent, try await box.accounts.login(email: "manager@hq.example", password: Self.password).principal, path)
        }
        let (one, oneAgent, oneStaff, _) = try await counter("one")
        let (two, twoAgent, twoStaff, twoPath) = try await counter("two")
        _ = try await one.sales.sell(showtime: showtime.id, seats: ["A1"], method: "cash", by: oneStaff)
        let late = try await two.sales.sell(showtime: showtime.id, seats: ["A1"], method: "cash", by: twoStaff)
        try await oneAgent.syncOnce()
        #expect(try await twoAgent.syncOnce().pushed.reseated == 1)
        let conflict = try #require(try await two.replica.conflicts().first)
        #expect(conflict.kind == .reseated && conflict.bookingID == late.id)

        // The store's remembered URL and passfile are what it uses.
        let server = try ServeProcess(["--db", twoPath], environment: ["BOXOFFICE_CENTRAL_URL": nil])
        defer { server.stop() }
        let port = server.port

        let cashier = HTTPTestClient(port: port)
        #expect(try await cashier.post("/v1/sessions", ["email": "manager@hq.example", "password": Self.password]).status == 201)
        let open = try await cashier.get("/v1/conflicts")
        #expect((open.json["items"] as? [[String: Any]])?.map { $0["id"] as? String } == [conflict.id], "\(open)")
        let taken = try await cashier.post("/v1/conflicts/\(conflict.id)/resolution", ["seat": "A1"])
        #expect(taken.status == 409, "A1 is the first counter's: \(taken)")
        let resolved = try await cashier.post("/v1/conflicts/\(conflict.id)/resolution", ["seat": "B4"])
        #expect(resolved.status == 200 && resolved.json["status"] as? String == "resolved", "\(resolved)")
        ResponseSchemas.check(resolved.body, against: "sync-conflict")
        let seats = try await cashier.get("/v1/showtimes/\(showtime.id)/seats")
        let states = Dictionary(uniqueKeysWithValues: (seats.json["seats"] as? [[String: Any]] ?? [])
            .compactMap { seat in (seat["label"] as? String).map { ($0, seat["state"] as? String ?? "") } })
        #expect(states["B4"] == "sold" && states["A1"] == "sold", "\(states)")
        #expect((try await cashier.get("/v1/conflicts").json["items"] as? [Any])?.isEmpty == true, "nothing left open")
    }
}
