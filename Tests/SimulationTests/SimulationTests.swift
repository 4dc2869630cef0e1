import BoxOfficeSimulation
import Foundation
import SyncAgent
import TestSupport
import Testing

/// The simulation, run short: counters and head office under faults keep every promise, and the
/// checker that says so does report a broken one.
///
/// Each run starts head office on a PostgreSQL server of its own (it is stopped hard and started
/// again), so these need PostgreSQL installed as `scripts/test.sh` has it.
@Suite(.enabled(if: TestPostgres.isAvailable, "needs PostgreSQL, as scripts/test.sh provides"))
struct SimulationTests {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func options(seed: UInt64, steps: Int) -> Simulation.Options {
        var options = Simulation.Options(boxoffice: BuiltProducts.boxoffice.path,
                                         postgresScript: repository.appendingPathComponent("scripts/postgres.sh").path)
        options.counters = 3
        options.steps = steps
        options.seconds = 120
        options.seed = seed
        return options
    }

    @Test func aShortRunUnderFaultsKeepsEveryPromise() async throws {
        var options = Self.options(seed: 7, steps: 150)
        options.restoreEvery = 15
        let result = try await Simulation(options).run()
        #expect(result.violations.isEmpty, "\(result.violations)\n\(result.history.log.joined(separator: "\n"))")
        #expect(result.report.steps == 150)
        #expect(result.report.faultCount > 10, "\(result.report.text)")
        #expect(!result.history.receipts.isEmpty)
        #expect(!result.history.restores.isEmpty)
        #expect(result.report.roundsToConverge <= 8)
        #expect(result.report.text.contains("simulation: seed 7, 3 counters, 2 cinemas, 150 steps"))
    }

    /// The checker is fed a history and a head office that are wrong on purpose, one way per
    /// promise, and must name each.
    @Test func theCheckerReportsEveryBrokenPromiseItIsShown() async throws {
        var options = Self.options(seed: 11, steps: 60)
        options.corruptHistory = { history in
            guard history.receipts.count >= 3 else { return }
            // A receipt whose seats head office never had for it…
            history.receipts[0].seats = ["Z9"]
            // …a sale head office never received…
            var vanished = history.receipts[1]
            vanished.bookingID = "never-pushed"
            vanished.code = "NOPE-0001"
            history.receipts.append(vanished)
            // …and a showtime taken for cancelled that head office still sells.
            if let selling = history.receipts.map(\.showtimeID).first(where: { !history.cancelledShowtimes.contains($0) }) {
                history.cancelledShowtimes.append(selling)
            }
        }
        options.corruptHeadOffice = { url in
            let central = try PostgresConnection(url: url)
            // A change lost from the inbox…
            try central.execute("""
                DELETE FROM central.inbox WHERE (node_name, seq) =
                    (SELECT node_name, seq FROM central.inbox WHERE node_name = 'c1' ORDER BY seq DESC LIMIT 1)
                """)
            // …a booking head office changed behind the counters' backs…
            try central.execute("""
                UPDATE central.bookings SET payload = jsonb_set(payload, '{total}', '1')
                WHERE id = (SELECT b.id FROM central.bookings b JOIN central.nodes n ON n.name = b.origin_node
                            WHERE n.revoked_at IS NULL AND n.cinema_id IS NOT NULL ORDER BY b.id LIMIT 1)
                """)
            // …and a paid booking published as held again.
            try central.execute("""
                INSERT INTO central.feed (cinema_id, origin_node, entity, entity_id, operation, hlc, payload)
                SELECT cinema_id, 'central', 'bookings', id, 'update', hlc, payload || '{"status": "held"}'
                FROM central.bookings WHERE status = 'paid' ORDER BY id LIMIT 1
                """)
        }
        let result = try await Simulation(options).run()
        let rules = Set(result.violations.map(\.rule))
        #expect(result.history.receipts.count >= 3, "the run printed too few receipts to corrupt")
        #expect(rules.isSuperset(of: [.changedSilently, .saleVanished, .stateBackwards, .appliedTwice, .copyDiverged, .cancelledShowtimeSold]),
                "\(result.violations)")
        #expect(result.violations.contains { $0.rule == .saleVanished && $0.detail.contains("NOPE-0001") })
        #expect(result.report.violations == result.violations.count)
        #expect(result.report.keptFolder != nil, "a failing run keeps its files for replay")
        if let folder = result.report.keptFolder { try? FileManager.default.removeItem(atPath: folder) }
    }

    /// Head office's fork detection turned off (`central.settings.fork_detection`, before the first
    /// restore): a restored store's changes pass for resends, and the checker must see the changes
    /// head office took other content for, or the sales that vanished.
    @Test func withoutForkDetectionTheCheckerSeesTheRestoredStoresLostChanges() async throws {
        var options = Self.options(seed: 5, steps: 120)
        options.restoreEvery = 12
        options.beforeRestore = { url in
            try PostgresConnection(url: url).execute("UPDATE central.settings SET fork_detection = false")
        }
        let result = try await Simulation(options).run()
        #expect(!result.history.restores.isEmpty, "the run restored no store")
        let rules = Set(result.violations.map(\.rule))
        #expect(!rules.isDisjoint(with: [.saleVanished, .codeAmbiguous, .changedSilently, .appliedTwice]),
                "\(result.violations)\n\(result.report.text)")
        if let folder = result.report.keptFolder { try? FileManager.default.removeItem(atPath: folder) }
    }
}
