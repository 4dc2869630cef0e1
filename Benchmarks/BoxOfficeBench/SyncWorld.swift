import BoxOfficeKit
import Foundation
import SyncAgent

/// Head office for the sync scenarios: a database of its own on the server, the central schema,
/// and a head-office store whose catalog (one cinema, one 300-seat studio, enough showtimes) it
/// pushed up; counters are registered for that cinema and synced once, so they hold the catalog
/// and the manager who sells there (head office's own account).
struct SyncWorld {
    /// Sales per showtime in the sync scenarios: 135 of 150 seat pairs, so head office has free
    /// seats to move a contested sale to.
    static let salesPerShowtime = 135

    let database: BenchDatabase
    let headOffice: HeadOffice
    let catalog: BenchStore
    let scratch: Scratch
    let tag: String

    /// A counter: its store, its node and its agent.
    struct Counter {
        var name: String
        var path: String
        var url: String
        var box: BoxOffice
        var agent: SyncAgent
        var manager: Principal

        func sell(_ numbers: some Sequence<Int>, of store: BenchStore) async throws {
            for number in numbers {
                let sale = store.sale(number)
                _ = try await box.sales.sell(showtime: sale.showtimeID, seats: sale.seats, method: "cash", by: manager)
            }
        }
    }

    init(adminURL: String, sales: Int, scratch: Scratch, tag: String) async throws {
        self.scratch = scratch
        self.tag = tag
        database = try BenchDatabase(adminURL: adminURL)
        headOffice = try HeadOffice(url: database.url)
        try headOffice.initialise()
        // The manager who sells at the counters is head office's account: staff never come by push.
        try headOffice.addStaff(StaffAccount(name: "Bench Manager", email: BenchStore.managerEmail, role: .manager,
                                             cinemaID: nil, password: BenchStore.managerPassword))
        catalog = try await BenchStore.make(
            at: scratch.path("\(tag)-hq.sqlite"), sales: sales, perShowtime: Self.salesPerShowtime)
        let node = try headOffice.addNode(named: Self.nodeName("hq"), cinemaID: nil)
        let (box, _) = try await catalog.open()
        try await SyncAgent(box: box, centralURL: node.url).syncOnce()
    }

    /// Registers a counter for the cinema, creates its store and syncs it once.
    func counter(_ name: String) async throws -> Counter {
        let node = try headOffice.addNode(named: Self.nodeName(name), cinemaID: catalog.cinemaID)
        let path = scratch.path("\(tag)-\(name).sqlite")
        let box = try BoxOffice.open(path: path, configuration: BenchStore.configuration)
        let agent = SyncAgent(box: box, centralURL: node.url)
        try await agent.syncOnce()
        let manager = try await box.accounts.login(email: BenchStore.managerEmail, password: BenchStore.managerPassword).principal
        return Counter(name: node.name, path: path, url: node.url, box: box, agent: agent, manager: manager)
    }

    /// Node names (and so PostgreSQL roles) are server-wide: make each unique.
    static func nodeName(_ name: String) -> String {
        "bench-\(name)-" + UUID().uuidString.lowercased().prefix(8)
    }

    /// Every active ticket at head office as `showtime/seat/booking/status`, sorted.
    func centralState() throws -> [String] {
        try PostgresConnection(url: database.url).query("""
            SELECT t.showtime_id || '/' || t.seat_id || '/' || t.booking_id || '/' || b.status
            FROM central.tickets t JOIN central.bookings b ON b.id = t.booking_id
            WHERE t.status = 'active' ORDER BY 1
            """).values.compactMap { $0[0] }
    }

    /// Every active ticket of a counter's store, in the same form.
    static func localState(path: String) throws -> [String] {
        let statement = try RawSQLite(path: path).prepare("""
            SELECT t.showtime_id || '/' || t.seat_id || '/' || t.booking_id || '/' || b.status
            FROM tickets t JOIN bookings b ON b.id = t.booking_id
            WHERE t.status = 'active' ORDER BY 1
            """).bind([])
        var rows: [String] = []
        while try statement.step() { rows.append(statement.text(0) ?? "") }
        return rows
    }
}

/// A database of its own on the given server, dropped at the end.
final class BenchDatabase {
    let adminURL: String
    let name = "bench_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
    let url: String

    init(adminURL: String) throws {
        self.adminURL = adminURL
        try PostgresConnection(url: adminURL).execute("CREATE DATABASE \(name)")
        var components = URLComponents(string: adminURL) ?? URLComponents()
        components.path = "/" + name
        url = components.string ?? adminURL
    }

    /// Drops the database, unless `BOXOFFICE_BENCH_KEEP_DATABASES=1` asks to keep it for a look
    /// (e.g. at `pg_stat_user_functions`).
    func drop() {
        guard ProcessInfo.processInfo.environment["BOXOFFICE_BENCH_KEEP_DATABASES"] != "1" else { return }
        try? PostgresConnection(url: adminURL).execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }
}
