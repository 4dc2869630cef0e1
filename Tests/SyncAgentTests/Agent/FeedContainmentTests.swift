import Foundation
import TestSupport
import Testing
@testable import BoxOfficeKit
@testable import SyncAgent

/// Attack 10, end to end: one feed row no counter can apply (head office itself refuses such a
/// push, so it is planted here as a bug would) stops no node's pull, head office's own store's
/// included; each keeps it as a quarantined conflict and syncs on.
@Suite(.enabled(if: TestPostgres.isAvailable, "needs the PostgreSQL server started by scripts/test.sh"))
struct FeedContainmentTests {
    @Test func aFeedRowNoCounterCanApplyStopsNoPull() async throws {
        let world = try await SyncWorld()
        let counter = try await world.counter("braga")
        let central = try PostgresConnection(url: world.centralURL)
        try central.execute("""
            INSERT INTO central.feed (cinema_id, only_node, origin_node, entity, entity_id, operation, hlc, payload)
            VALUES (NULL, NULL, 'central', 'movies', 'broken', 'insert', '001700000000000-00000-central', '"not an object"'::jsonb),
                   ('\(world.cinemaID)', NULL, 'central', 'tickets', 'broken-ticket', 'insert', '001700000000000-00000-central',
                    '{"id": "broken-ticket", "price": "free"}'::jsonb)
            """)
        // A sale after the planted rows, which every store must still receive.
        _ = try await world.hq.box.sales.sell(showtime: world.showtimeID, seats: ["A1"], method: "cash", by: world.hq.principal)
        for node in [world.hq, counter] {
            let report = try await node.agent.syncOnce()
            try await node.settle()
            #expect(report.quarantined == 2, "\(node.name): \(report)")
            let kept = try await node.box.replica.conflicts().filter { $0.kind == .quarantined }.map(\.entityID).sorted()
            #expect(kept == ["broken", "broken-ticket"], "\(node.name)")
        }
        #expect(try await world.localSeats(counter.box)["A1"] != nil, "the sale after the planted rows arrived")
    }
}
