import BoxOfficeKit
import Foundation

/// `seat_map`: the seat map of a 300-seat studio with half its seats sold, through
/// `box.sales.seatMap(showtime:)`, against one hand-written query on raw SQLite that reads the same
/// columns and decides the same five states.
struct SeatMapScenario {
    var queries: Int
    var rounds: Int
    var scratch: Scratch

    func run() async throws -> ScenarioResult {
        let store = try await BenchStore.make(at: scratch.path("seatmap-kit.sqlite"), sales: BenchStore.salesPerShowtime)
        let (box, manager) = try await store.open()
        for number in 0..<BenchStore.salesPerShowtime / 2 {
            let sale = store.sale(number)
            _ = try await box.sales.sell(showtime: sale.showtimeID, seats: sale.seats, method: "cash", by: manager)
        }
        let rawPath = scratch.path("seatmap-raw.sqlite")
        try store.copy(to: rawPath)
        let raw = try RawSeatMap(path: rawPath, nodeID: box.nodeID)
        let showtimeID = store.showtimeIDs[0]

        // Both sides must see the same map before either is timed.
        let kitMap = try await box.sales.seatMap(showtime: showtimeID)
        let rawMap = try raw.fetch(showtimeID: showtimeID)
        let kitSold = kitMap.seats.filter { $0.state == .sold }.count
        guard kitMap.seats.count == BenchStore.seatsPerShowtime, rawMap.count == kitMap.seats.count,
              rawMap.filter({ $0.state == "sold" }).count == kitSold, kitSold == BenchStore.seatsPerShowtime / 2
        else { throw RawSQLite.Failure(description: "the kit's and the raw seat maps differ") }

        for _ in 0..<min(20, queries) {
            _ = try await box.sales.seatMap(showtime: showtimeID)
            _ = try raw.fetch(showtimeID: showtimeID)
        }
        var kit = Samples(reservingCapacity: queries), baseline = Samples(reservingCapacity: queries)
        var kitCPU = Duration.zero, baselineCPU = Duration.zero
        let perRound = max(1, queries / rounds)
        var done = 0
        while done < queries {
            let count = min(perRound, queries - done)
            try await ProcessCPU.adding(to: &kitCPU) {
                for _ in 0..<count { _ = try await kit.measure { try await box.sales.seatMap(showtime: showtimeID) } }
            }
            try await ProcessCPU.adding(to: &baselineCPU) {
                for _ in 0..<count { _ = try await baseline.measure { try raw.fetch(showtimeID: showtimeID) } }
            }
            done += count
        }
        return ScenarioResult(
            scenario: "seat_map", kit: kit.perSecond, baseline: baseline.perSecond, unit: "queries/s",
            note: "300 seats, 150 sold; \(queries) queries per side",
            kitP50Milliseconds: kit.percentileMilliseconds(0.5), kitP99Milliseconds: kit.percentileMilliseconds(0.99),
            baselineP50Milliseconds: baseline.percentileMilliseconds(0.5),
            baselineP99Milliseconds: baseline.percentileMilliseconds(0.99), size: queries,
            kitCPUMilliseconds: kitCPU.seconds * 1000 / Double(queries),
            baselineCPUMilliseconds: baselineCPU.seconds * 1000 / Double(queries))
    }
}

/// The hand-written seat map: one query with outer joins, every row read into a struct.
final class RawSeatMap {
    struct Seat {
        var id, label, rowLabel: String
        var number: Int
        var kind: String
        var gridRow, gridColumn, price: Int
        var state: String
    }

    private let database: RawSQLite
    private let query: RawSQLite.Statement
    private let nodeID: String

    init(path: String, nodeID: String) throws {
        database = try RawSQLite(path: path)
        self.nodeID = nodeID
        query = try database.prepare("""
            SELECT se.id, se.label, se.row_label, se.number, se.kind, se.grid_row, se.grid_column,
                   st.base_price + COALESCE(CAST(json_extract(st.price_modifiers, '$.' || se.kind) AS INTEGER), 0),
                   CASE WHEN b.status = 'paid' THEN 'sold'
                        WHEN b.status IN ('held', 'pending_payment') AND (b.hold_expires_at IS NULL OR b.hold_expires_at > ?2)
                            THEN 'held'
                        WHEN sb.seat_id IS NOT NULL THEN 'blocked'
                        WHEN sa.node_id <> ?3 THEN 'allotted'
                        ELSE 'free' END
            FROM showtimes st
            JOIN seats se ON se.studio_id = st.studio_id
            LEFT JOIN tickets t ON t.showtime_id = st.id AND t.seat_id = se.id AND t.status = 'active'
            LEFT JOIN bookings b ON b.id = t.booking_id
            LEFT JOIN seat_blocks sb ON sb.showtime_id = st.id AND sb.seat_id = se.id
            LEFT JOIN seat_allotments sa ON sa.showtime_id = st.id AND sa.seat_id = se.id
            WHERE st.id = ?1
            ORDER BY se.grid_row, se.grid_column
            """)
    }

    func fetch(showtimeID: String) throws -> [Seat] {
        query.bind([.text(showtimeID), .text(RawSale.instant(Date())), .text(nodeID)])
        var seats: [Seat] = []
        seats.reserveCapacity(BenchStore.seatsPerShowtime)
        while try query.step() {
            seats.append(Seat(
                id: query.text(0)!, label: query.text(1)!, rowLabel: query.text(2)!, number: query.int(3),
                kind: query.text(4)!, gridRow: query.int(5), gridColumn: query.int(6), price: query.int(7),
                state: query.text(8)!))
        }
        return seats
    }
}
