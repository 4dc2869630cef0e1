import BoxOfficeKit
import Foundation
import GRDB
import SyncAgent
import Testing
import TestSupport

/// A counter store restored from a backup, as the cashier sees it through `boxoffice sync` and
/// `boxoffice sync status` (issue 13).
@Suite(.enabled(if: TestPostgres.isAvailable, "needs the PostgreSQL server started by scripts/test.sh"))
struct ForkCommandTests {
    let cli: CLIRunner

    init() throws {
        cli = try CLIRunner()
    }

    private func store(_ name: String) -> String { cli.directory.appendingPathComponent(name).path }

    @Test func aSyncOfARestoredStoreSaysSoAndSendsItsSaleAgain() async throws {
        // Head office with one cinema and a showtime tomorrow, published by its own store.
        let centralURL = try TestPostgres.makeDatabase()
        let headOffice = try HeadOffice(url: centralURL)
        _ = try headOffice.initialise()
        let password = "manager-pass-123"
        try headOffice.addStaff(StaffAccount(name: "Head Office", email: "manager@hq.example", role: .manager, cinemaID: nil,
                                             password: password))
        let hq = try BoxOffice.open(path: store("hq.sqlite"))
        let hqNode = try headOffice.addNode(named: "hq", cinemaID: nil)
        try await SyncAgent(box: hq, centralURL: hqNode.url).syncOnce()
        let manager = try await hq.accounts.login(email: "manager@hq.example", password: password).principal
        let cinema = try await hq.catalog.addCinema(CinemaDraft(name: "Cinema Braga", city: "Bandung"), by: manager)
        let studio = try await hq.catalog.addStudio(cinemaID: cinema.id, name: "Studio 1", layout: "rows A-B; seats 1-4", by: manager)
        let movie = try await hq.catalog.addMovie(MovieDraft(title: "Laskar Pelangi", durationMinutes: 120), by: manager)
        let showtime = try await hq.catalog.addShowtime(
            ShowtimeDraft(cinemaID: cinema.id, studioID: studio.id, movieID: movie.id,
                          date: localDay(in: "Asia/Jakarta", daysFromToday: 1), time: "19:30", basePrice: 50_000), by: manager)
        try await SyncAgent(box: hq, centralURL: hqNode.url).syncOnce()

        // The counter syncs, is backed up while idle, sells and syncs; then the backup is restored
        // over it (the marker beside it goes too, so only head office can tell) and it sells again.
        let path = store("braga.sqlite")
        let node = try headOffice.addNode(named: "braga", cinemaID: cinema.id)
        let counter = try BoxOffice.open(path: path)
        try await SyncAgent(box: counter, centralURL: node.url).syncOnce()
        let cashier = try await counter.accounts.login(email: "manager@hq.example", password: password).principal
        let backup = store("braga-backup.sqlite")
        try DatabaseQueue(path: path).backup(to: DatabaseQueue(path: backup))
        try FileManager.default.copyItem(atPath: path + ".origin", toPath: backup + ".origin")
        let first = try await counter.sales.sell(showtime: showtime.id, seats: ["A1"], method: "cash", by: cashier)
        try await SyncAgent(box: counter, centralURL: node.url).syncOnce()
        try DatabaseQueue(path: backup).backup(to: DatabaseQueue(path: path))
        try FileManager.default.removeItem(atPath: path + ".origin")
        try FileManager.default.copyItem(atPath: backup + ".origin", toPath: path + ".origin")
        let restored = try BoxOffice.open(path: path)
        let second = try await restored.sales.sell(showtime: showtime.id, seats: ["A2"], method: "cash", by: cashier)
        #expect(second.code == first.code)

        let synced = try cli.run(["sync", "--db", path], environment: ["BOXOFFICE_CENTRAL_URL": node.url])
        #expect(synced.status == 0, "\(synced.stderr)")
        #expect(synced.stdout.hasPrefix("note: this store was restored from a backup or copied: head office already had other "
                                        + "changes under its numbers. 2 changes made here since are sent again under new numbers, "
                                        + "so no sale is lost; new sales take booking codes "), "\(synced.stdout)")
        #expect(synced.stdout.contains("\npushed 2 changes pulled "), "\(synced.stdout)")

        let status = try cli.run(["sync", "status", "--db", path])
        #expect(status.stdout.contains("restored/copied: "), "\(status.stdout)")
        #expect(status.stdout.contains("pending changes: 0"))
        let json = try cli.json(["sync", "status", "--db", path])
        let fork = try #require(json["fork"] as? [String: Any])
        #expect(fork["count"] as? Int == 1 && fork["resent_changes"] as? Int == 2)
        #expect((json["booking_code_prefix"] as? String).map { !first.code.hasPrefix($0 + "-") } == true)

        // The code printed on the restored store's receipt names both sales; the new one finds it.
        let login = try cli.run(["login", "--db", path, "--email", "manager@hq.example", "--password-stdin"], stdin: password + "\n")
        #expect(login.status == 0, "\(login.stderr)")
        let recoded = try #require(try await restored.replica.conflicts(includeResolved: true).first { $0.kind == .recoded })
        let newCode = try await restored.sales.booking(code: second.code + "-2", by: cashier).code
        #expect(recoded.printedCode == first.code && recoded.bookingID == second.id)
        let ambiguous = try cli.run(["receipt", first.code, "--db", path])
        #expect(ambiguous.status == 65)
        #expect(ambiguous.stderr == "error: booking code \(first.code) was printed on 2 receipts (a restored or copied counter "
                + "issued it twice): \(first.code) (A1), \(newCode) (A2); look the sale up by the code with the receipt's seats\n")
        let found = try cli.json(["receipt", newCode, "--db", path])
        #expect(found["id"] as? String == second.id)
        let again = try cli.json(["sync", "--db", path])
        #expect((again["fork"] as? [String: Any]) == nil, "told once: \(again)")
        #expect((again["pushed"] as? [String: Any])?["forked"] as? Int == 0)
    }
}
