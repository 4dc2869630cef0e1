import BoxOfficeKit
import Foundation

/// `sale`: the counter's one-step sale of two seats, paid in cash, through `box.sales.sell` on a
/// file store, against the same rows written on raw SQLite in one transaction.
struct SaleScenario {
    var sales: Int
    var rounds: Int
    var scratch: Scratch

    func run() async throws -> ScenarioResult {
        let warmup = min(20, max(1, sales / 10))
        let store = try await BenchStore.make(at: scratch.path("sale-kit.sqlite"), sales: sales + warmup)
        let rawStore = BenchStore(
            path: scratch.path("sale-raw.sqlite"), cinemaID: store.cinemaID, studioID: store.studioID,
            showtimeIDs: store.showtimeIDs)
        try store.copy(to: rawStore.path)

        let (box, manager) = try await store.open()
        let raw = try RawSale(store: rawStore)
        for number in 0..<warmup {
            let sale = store.sale(number)
            _ = try await box.sales.sell(showtime: sale.showtimeID, seats: sale.seats, method: "cash", by: manager)
            try raw.sell(showtimeID: sale.showtimeID, seats: sale.seats)
        }

        // Alternate the two sides in rounds, so a burst of load from elsewhere on the machine
        // lands on both rather than on one.
        var kit = Samples(reservingCapacity: sales), baseline = Samples(reservingCapacity: sales)
        var kitCPU = Duration.zero, baselineCPU = Duration.zero
        let perRound = max(1, sales / rounds)
        var next = warmup
        while next < warmup + sales {
            let end = min(next + perRound, warmup + sales)
            try await ProcessCPU.adding(to: &kitCPU) {
                for number in next..<end {
                    let sale = store.sale(number)
                    _ = try await kit.measure {
                        try await box.sales.sell(showtime: sale.showtimeID, seats: sale.seats, method: "cash", by: manager)
                    }
                }
            }
            try await ProcessCPU.adding(to: &baselineCPU) {
                for number in next..<end {
                    let sale = store.sale(number)
                    try await baseline.measure { try raw.sell(showtimeID: sale.showtimeID, seats: sale.seats) }
                }
            }
            next = end
        }
        return ScenarioResult(
            scenario: "sale", kit: kit.perSecond, baseline: baseline.perSecond, unit: "sales/s",
            note: "2 seats + cash payment + change log per sale, WAL, synchronous=FULL; \(sales) sales per side",
            kitP50Milliseconds: kit.percentileMilliseconds(0.5), kitP99Milliseconds: kit.percentileMilliseconds(0.99),
            baselineP50Milliseconds: baseline.percentileMilliseconds(0.5),
            baselineP99Milliseconds: baseline.percentileMilliseconds(0.99), size: sales,
            kitCPUMilliseconds: kitCPU.seconds * 1000 / Double(sales),
            baselineCPUMilliseconds: baselineCPU.seconds * 1000 / Double(sales))
    }
}

/// The raw-SQLite sale: an availability check, the booking, two tickets (the schema's triggers
/// write the three change-log rows and check each ticket's seat) in one `BEGIN IMMEDIATE`
/// transaction, with prepared statements reused.
final class RawSale {
    private let database: RawSQLite
    private let begin, commit, rollback, check, insertBooking, insertTicket: RawSQLite.Statement
    private let seatIDs: [String: String]
    private let nodeID, managerID, codePrefix: String
    private let cashID = "00000000-0000-7000-8000-000000000001"
    private var lastStamp: HLC?
    private var codeNumber = 0

    /// - Parameter synchronous: `FULL` as the kit; `OFF` only to make fixtures fast.
    init(store: BenchStore, synchronous: String = "FULL") throws {
        database = try RawSQLite(path: store.path)
        if synchronous != "FULL" { try database.execute("PRAGMA synchronous = \(synchronous)") }
        begin = try database.prepare("BEGIN IMMEDIATE")
        commit = try database.prepare("COMMIT")
        rollback = try database.prepare("ROLLBACK")
        check = try database.prepare("""
            SELECT COUNT(*) FROM tickets WHERE showtime_id = ?1 AND seat_id IN (?2, ?3) AND status = 'active'
            """)
        insertBooking = try database.prepare("""
            INSERT INTO bookings (id, code, showtime_id, user_id, customer_name, customer_email, node_id, channel,
                status, total, payment_method_id, payment_reference, hold_expires_at, sold_at, sold_hlc, created_by,
                created_at, updated_at, hlc)
            VALUES (?1, ?2, ?3, NULL, NULL, NULL, ?4, 'counter', 'paid', ?5, ?6, NULL, NULL, ?7, ?8, ?9, ?7, ?7, ?8)
            """)
        insertTicket = try database.prepare("""
            INSERT INTO tickets (id, booking_id, showtime_id, seat_id, price, status, created_at, updated_at, hlc)
            VALUES (?1, ?2, ?3, ?4, ?5, 'active', ?6, ?6, ?7)
            """)
        var seats: [String: String] = [:]
        let seatQuery = try database.prepare("SELECT label, id FROM seats WHERE studio_id = ?1").bind([.text(store.studioID)])
        while try seatQuery.step() { seats[seatQuery.text(0)!] = seatQuery.text(1)! }
        seatIDs = seats
        let identity = try database.prepare("SELECT node_id, code_prefix FROM sync_state").bind([])
        _ = try identity.step()
        nodeID = identity.text(0)!
        codePrefix = identity.text(1)! + "R"
        let manager = try database.prepare("SELECT id FROM users WHERE role = 'manager'").bind([])
        _ = try manager.step()
        managerID = manager.text(0)!
    }

    func sell(showtimeID: String, seats: [String]) throws {
        let now = Date()
        let stamp = HLC.next(after: lastStamp, now: now, node: nodeID)
        lastStamp = stamp
        let hlc = stamp.description
        let instant = Self.instant(now)
        let seatIDs = seats.map { self.seatIDs[$0]! }
        codeNumber += 1
        let bookingID = EntityID.make(at: now)

        try begin.bind([]).run()
        do {
            check.bind([.text(showtimeID), .text(seatIDs[0]), .text(seatIDs[1])])
            _ = try check.step()
            guard check.int(0) == 0 else { throw RawSQLite.Failure(description: "seat taken") }
            try insertBooking.bind([
                .text(bookingID), .text(codePrefix + "-" + String(codeNumber)), .text(showtimeID), .text(nodeID),
                .int(BenchStore.price * seats.count), .text(cashID), .text(instant), .text(hlc), .text(managerID),
            ]).run()
            for seatID in seatIDs {
                try insertTicket.bind([
                    .text(EntityID.make(at: now)), .text(bookingID), .text(showtimeID), .text(seatID),
                    .int(BenchStore.price), .text(instant), .text(hlc),
                ]).run()
            }
            check.bind([])
            try commit.bind([]).run()
        } catch {
            try? rollback.bind([]).run()
            throw error
        }
    }

    /// GRDB's text form of a date, `yyyy-MM-dd HH:mm:ss.SSS` in UTC, as the kit stores instants.
    static func instant(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970)
        let millis = Int((date.timeIntervalSince1970 - Double(seconds)) * 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(format: "%04d-%02d-%02d %02d:%02d:%02d.%03d", parts.tm_year + 1900, parts.tm_mon + 1,
                      parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec, millis)
    }
}
