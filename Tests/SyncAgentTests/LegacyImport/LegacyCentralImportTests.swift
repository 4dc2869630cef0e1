import Foundation
import GRDB
import Testing
import TestSupport
@testable import BoxOfficeKit
@testable import SyncAgent

/// `boxoffice import-legacy --central`: the old database straight into head office, every row
/// published with its old ids, and from there to the counters by the ordinary sync.
@Suite(.enabled(if: TestPostgres.isAvailable, "needs the PostgreSQL server started by scripts/test.sh"))
struct LegacyCentralImportTests {
    let old: LegacyDatabase
    let centralURL: String
    let headOffice: HeadOffice
    let hq: NodeRegistration
    let directory: URL

    init() throws {
        old = try LegacyDatabase()
        centralURL = try TestPostgres.makeDatabase()
        headOffice = try HeadOffice(url: centralURL)
        try headOffice.initialise()
        hq = try headOffice.addNode(named: "hq-" + Self.suffix(), cinemaID: nil)
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("legacy-central-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    @discardableResult
    private func importIntoHeadOffice(dryRun: Bool = false, customersNode: String? = nil) async throws -> LegacyImportReport {
        var configuration = LegacyImporter.Configuration(sourceURL: old.url)
        configuration.dryRun = dryRun
        configuration.customersNode = customersNode
        return try await LegacyImporter(configuration: configuration).run(into: .headOffice(url: centralURL))
    }

    private func scalar(_ sql: String, _ parameters: [String?] = []) throws -> String? {
        try PostgresConnection(url: centralURL).query(sql, parameters).scalar
    }

    private func centralID(_ entity: LegacyEntity, _ legacyID: Int64) throws -> String {
        try #require(try scalar("SELECT new_id FROM central.legacy_ids WHERE entity = $1 AND legacy_id = $2",
                                [entity.rawValue, String(legacyID)]))
    }

    /// A store registered as a node, synced until head office's feed is drained for it.
    private func syncedStore(_ name: String, url: String) async throws -> BoxOffice {
        let box = try BoxOffice.open(path: directory.appendingPathComponent("\(name).sqlite").path)
        let agent = SyncAgent(box: box, centralURL: url)
        let deadline = Date().addingTimeInterval(20)
        while true {
            // Until nothing is pending and nothing waits at head office.
            let report = try await agent.syncOnce()
            if report.feedLag == 0, try await box.replica.state().pendingChanges == 0 { return box }
            guard Date() < deadline else { throw PostgresError(message: "the feed did not drain in 20 s") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    @Test func theOldDatabaseReachesHeadOfficeAndACounterWithItsOldIds() async throws {
        let report = try await importIntoHeadOffice()
        #expect(report.customersNode == hq.name)
        #expect(report.target.hasPrefix("head office ("))
        #expect(report.table("users")?.imported == 3 && report.table("booking_seats")?.imported == 10)
        #expect(report.table("showtimes")?.notes.contains { $0.legacyID == 7 && $0.text.contains("overlaps") } == true)
        #expect(try scalar("SELECT count(*) FROM central.bookings") == "10")
        #expect(try scalar("SELECT count(*) FROM central.users WHERE origin_node = $1", [hq.name]) == "2")
        #expect(try scalar("SELECT count(*) FROM central.feed WHERE entity = 'users' AND only_node = $1", [hq.name]) == "2")
        let mapped = report.tables.filter { $0.name != "sessions" }.map(\.imported).reduce(0, +) + 10
        #expect(try scalar("SELECT count(*) FROM central.legacy_ids") == String(mapped), "one per old row, tickets too")
        let duplicate = try centralID(.bookings, 70)
        #expect(try scalar("SELECT kind || ' ' || seat_before FROM central.conflicts WHERE booking_id = $1", [duplicate])
            == "refund_required A3")
        #expect(try scalar("SELECT status FROM central.tickets WHERE id = $1", [try centralID(.tickets, 70)]) == "released")
        #expect(try scalar("SELECT status FROM central.bookings WHERE id = $1", [try centralID(.bookings, 78)]) == "expired")

        // A counter of the first cinema syncs: its catalog, bookings and old ids arrive, with the
        // chain's movies and payment methods; the customers' accounts stay with head office's node.
        let grand = try centralID(.cinemas, 1)
        let counterNode = try headOffice.addNode(named: "grand-" + Self.suffix(), cinemaID: grand)
        let counter = try await syncedStore("counter", url: counterNode.url)
        let mapping = try await counter.legacyImport.mapping()
        #expect(mapping[.cinemas, 1] == grand && mapping[.cinemas, 2] == nil)
        #expect(mapping[.studios, 2] != nil && mapping[.studios, 4] == nil)
        #expect(mapping[.seats, 3] == (try centralID(.seats, 3)))
        #expect(mapping[.movies, 2] != nil && mapping[.paymentMethods, 2] == "00000000-0000-7000-8000-000000000005")
        #expect(mapping[.bookings, 65] == (try centralID(.bookings, 65)) && mapping[.users, 17] == nil)
        let showtime = try #require(mapping[.showtimes, 1])
        let map = try await counter.sales.seatMap(showtime: showtime)
        #expect(map.seats.filter { $0.state == .sold }.map(\.label).sorted() == ["A3", "B1"])
        #expect(try await counter.replica.conflicts().contains { $0.kind == .refundRequired && $0.bookingID == duplicate })
        let waiting = try await counter.catalog.showtime(id: try #require(mapping[.showtimes, 7]))
        #expect(waiting.status == .cancelled)

        // Head office's own node keeps the accounts: an imported customer logs in there with the
        // old password, which is rehashed.
        let hqStore = try await syncedStore("hq", url: hq.url)
        let session = try await hqStore.accounts.login(email: "dewi@gmail.com", password: LegacyDatabase.passwords[17]!)
        #expect(session.user.id == (try centralID(.users, 17)))
        #expect(try await hqStore.legacyImport.newID(of: .users, legacyID: 31) == session.user.id)
        await #expect(throws: AccountError.notVerified(email: "budi@yahoo.com")) {
            try await hqStore.accounts.login(email: "budi@yahoo.com", password: LegacyDatabase.passwords[26]!)
        }
    }

    @Test func anImportIntoHeadOfficesStoreSyncsUpThroughItsChangeLog() async throws {
        let box = try BoxOffice.open(path: directory.appendingPathComponent("hq-store.sqlite").path)
        var configuration = LegacyImporter.Configuration(sourceURL: old.url)
        configuration.options.cinemaTimeZone = "Asia/Makassar"
        let report = try await LegacyImporter(configuration: configuration).run(into: .store(box, name: "hq-store"))
        #expect(report.cinemaTimeZone == "Asia/Makassar")
        let pushed = try await SyncAgent(box: box, centralURL: hq.url).syncOnce().pushed
        #expect(pushed.rejected == 0 && pushed.reseated == 0 && pushed.refundRequired == 0 && pushed.accepted == 57)
        #expect(try scalar("SELECT count(*) FROM central.bookings") == "10")
        #expect(try scalar("SELECT count(*) FROM central.tickets WHERE status = 'active'") == "7")
        #expect(try scalar("SELECT count(*) FROM central.users WHERE origin_node = $1", [hq.name]) == "2")
        #expect(try scalar("SELECT count(*) FROM central.studios WHERE payload->>'seat_count' = '0'") == "1")
        #expect(try scalar("SELECT count(*) FROM central.showtimes WHERE payload->>'price_needed' = '1'") == "1")
        #expect(try scalar("SELECT DISTINCT payload->>'time_zone' FROM central.cinemas") == "Asia/Makassar")
    }

    @Test func headOfficeHoldsNoCardDataAndASecondRunOrADryRunChangesNothing() async throws {
        let dry = try await importIntoHeadOffice(dryRun: true)
        #expect(dry.dryRun && dry.table("booking_seats")?.imported == 10)
        #expect(try scalar("SELECT count(*) FROM central.feed") == "0")
        #expect(try scalar("SELECT count(*) FROM central.legacy_ids") == "0")

        try await importIntoHeadOffice()
        let tables = try PostgresConnection(url: centralURL).query("""
            SELECT table_name FROM information_schema.tables WHERE table_schema = 'central' ORDER BY 1
            """).values.compactMap { $0[0] }
        #expect(tables.contains("legacy_ids") && tables.contains("feed"))
        var everything = ""
        for table in tables {
            everything += try scalar("SELECT coalesce(string_agg(to_jsonb(t)::text, ' '), '') FROM central.\(table) t") ?? ""
        }
        #expect(everything.contains("OLD-65") && everything.contains("$2a$14$"))
        for secret in LegacyDatabase.cardData {
            #expect(!everything.contains(secret), "head office holds \(secret)")
        }

        let feed = try scalar("SELECT count(*) || '/' || max(id) FROM central.feed")
        let conflicts = try scalar("SELECT count(*) FROM central.conflicts")
        let again = try await importIntoHeadOffice()
        #expect(again.importedNothing)
        #expect(try scalar("SELECT count(*) || '/' || max(id) FROM central.feed") == feed)
        #expect(try scalar("SELECT count(*) FROM central.conflicts") == conflicts)
    }

    @Test func theCustomersNodeMustBeKnownAndHeadOfficeReady() async throws {
        await #expect(throws: LegacyImportError.customersNodeNotFound("nowhere")) {
            try await importIntoHeadOffice(customersNode: "nowhere")
        }
        _ = try headOffice.addNode(named: "hq2-" + Self.suffix(), cinemaID: nil)
        await #expect {
            try await importIntoHeadOffice()
        } throws: { error in
            guard case let LegacyImportError.severalCustomersNodes(names) = error else { return false }
            return names.count == 2 && names.contains(hq.name)
        }
        let report = try await importIntoHeadOffice(customersNode: hq.name)
        #expect(report.customersNode == hq.name)

        let bare = try TestPostgres.makeDatabase()
        var configuration = LegacyImporter.Configuration(sourceURL: old.url)
        configuration.dryRun = true
        await #expect(throws: LegacyImportError.headOfficeNotReady) {
            try await LegacyImporter(configuration: configuration).run(into: .headOffice(url: bare))
        }
    }

    static func suffix() -> String { String(UUID().uuidString.lowercased().prefix(8)) }
}
