import Foundation
import GRDB
import TestSupport
import Testing
@testable import BoxOfficeKit
@testable import SyncAgent

/// A counter store restored from a backup or copied, selling beside (or instead of) the store it
/// was copied from: head office must lose none of either's sales (issue 13).
@Suite(.enabled(if: TestPostgres.isAvailable, "needs the PostgreSQL server started by scripts/test.sh"))
struct ForkRecoveryTests {
    /// A copy of `counter`'s store at `path`, made with SQLite's backup API while the counter is
    /// idle, with its `.session` file, as a careful person backs a counter up.
    static func copy(of counter: SyncWorld.Counter, to path: String) throws -> BoxOffice {
        try copy(of: counter.box, at: counter.path, to: path)
    }

    /// A copy of the store `box` opened at `source`, as ``copy(of:to:)`` makes it.
    static func copy(of box: BoxOffice, at source: String, to path: String) throws -> BoxOffice {
        let destination = try DatabaseQueue(path: path)
        try box.writer.backup(to: destination)
        try destination.close()
        let session = source + ".session"
        if FileManager.default.fileExists(atPath: session) {
            try FileManager.default.copyItem(atPath: session, toPath: path + ".session")
        }
        return try BoxOffice.open(path: path)
    }

    /// Head office's bookings: id → code.
    static func centralBookings(_ world: SyncWorld) throws -> [String: String] {
        let result = try PostgresConnection(url: world.centralURL).query("SELECT id, code FROM central.bookings")
        return Dictionary(uniqueKeysWithValues: result.values.map { ($0[0]!, $0[1]!) })
    }

    @Test func aSaleOfACopiedStoreThatReusesSequenceNumbersReachesHeadOffice() async throws {
        let world = try await SyncWorld()
        let original = try await world.counter("braga2")
        let copy = try Self.copy(of: original, to: world.directory.appendingPathComponent("braga2-copy.sqlite").path)
        let copyAgent = SyncAgent(box: copy, centralURL: original.url)

        let first = try await original.box.sales.sell(showtime: world.showtimeID, seats: ["A1"], method: "cash", by: original.principal)
        try await original.agent.syncOnce()
        let second = try await copy.sales.sell(showtime: world.showtimeID, seats: ["A2"], method: "cash", by: original.principal)
        #expect(second.code == first.code, "the copy could not know the original had issued the code")
        let report = try await copyAgent.syncOnce()

        // Head office recognised the fork: the copy's changes were sent again under new numbers.
        #expect(report.pushed.forked == 2)
        #expect(report.pushed.accepted == 2 && report.pushed.total == 2)
        let central = try Self.centralBookings(world)
        #expect(central[first.id] == first.code)
        let recoded = try #require(central[second.id], "the copy's sale reached head office")
        #expect(recoded == first.code + "-2")
        #expect(try world.centralSeats() == ["A1": first.code, "A2": recoded])

        // The copy says so, keeps nothing pending, and took a new prefix for its next receipts.
        let state = try await copy.replica.state()
        #expect(state.pendingChanges == 0)
        let fork = try #require(state.fork)
        #expect(fork.count == 1 && fork.resentChanges == 2)
        #expect(fork.reason.contains("restored from a backup or copied"))
        #expect(state.bookingCodePrefix != first.code.split(separator: "-").first.map(String.init))
        let third = try await copy.sales.sell(showtime: world.showtimeID, seats: ["A3"], method: "cash", by: original.principal)
        #expect(third.code.hasPrefix(state.bookingCodePrefix + "-"))
        try await copyAgent.syncOnce()
        #expect(try world.centralSeats()["A3"] == third.code)

        // A record names the code on the copy's receipt, at head office and at the counters.
        let record = try PostgresConnection(url: world.centralURL).query(
            "SELECT kind, printed_code, booking_id FROM central.conflicts WHERE kind = 'recoded'").values
        #expect(record.map { $0.map { $0 ?? "" } } == [["recoded", first.code, second.id]])
        for box in [copy, original.box] {
            _ = try await SyncAgent(box: box, centralURL: original.url).syncOnce()
        }
        try await original.settle()
        let centralSeats = try world.centralSeats()
        let originalSeats = try await world.localSeats(original.box)
        let copySeats = try await world.localSeats(copy)
        #expect(originalSeats == centralSeats)
        #expect(copySeats == centralSeats)

        // The code on the copy's receipt finds its sale at the counters and at head office's store,
        // beside the original's sale that holds the code; its new code finds it alone.
        try await world.hq.settle()
        for box in [copy, original.box, world.hq.box] {
            let error = await #expect(throws: SaleError.self) {
                try await box.sales.receipt(code: first.code, by: world.hq.principal)
            }
            #expect(error == .codePrintedTwice(first.code, sales: ["\(first.code) (A1)", "\(recoded) (A2)"]))
            #expect(try await box.sales.receipt(code: recoded, by: world.hq.principal).id == second.id)
            let conflict = try #require(try await box.replica.conflicts(includeResolved: true).first { $0.kind == .recoded })
            #expect(conflict.printedCode == first.code && conflict.bookingID == second.id && conflict.status == .resolved)
        }
    }

    /// Found by the simulation (seed 2, a store and its marker put back twice): a copy restored
    /// with its marker keeps the original's prefix, so its first pull took the original's later
    /// sales for its own rows and skipped them — and after head office found the fork at its next
    /// push, the feed had moved on: the copy never showed those seats sold. Head office now tells a
    /// store that pulls while it holds later changes from the node than the store ever made.
    @Test func aCopyThatPullsBeforeItSellsReceivesTheOriginalsLaterSales() async throws {
        let world = try await SyncWorld()
        let original = try await world.counter("braga2")
        try await original.agent.syncOnce()
        let copy = try Self.copy(of: original, to: world.directory.appendingPathComponent("braga2-copy.sqlite").path)
        let copyAgent = SyncAgent(box: copy, centralURL: original.url)
        let sale = try await original.box.sales.sell(showtime: world.showtimeID, seats: ["A1"], method: "cash", by: original.principal)
        try await original.agent.syncOnce()

        // The copy has nothing to push; its pull must neither skip the original's sale nor pass silently.
        try await copyAgent.syncOnce()
        let state = try await copy.replica.state()
        #expect(state.fork != nil, "the copy was not told it forked")
        #expect(state.bookingCodePrefix != sale.code.split(separator: "-").first.map(String.init))
        #expect(try await world.localSeats(copy) == ["A1": sale.code])
        let next = try await copy.sales.sell(showtime: world.showtimeID, seats: ["A2"], method: "cash", by: original.principal)
        #expect(next.code != sale.code)
        try await copyAgent.syncOnce()
        #expect(try world.centralSeats() == ["A1": sale.code, "A2": next.code])
    }

    /// Found by the simulation (seed 2): a store put back from a backup of a copy — taken after the
    /// copy sold with a repeated code and before head office gave that sale a new one — sent the sale
    /// again, head office took it for the sale it had recoded, and the store kept the printed code:
    /// its copy of the booking never matched head office's. The answer now carries the new code.
    @Test func aStoreRestoredFromBeforeARecodeLearnsTheNewCode() async throws {
        let world = try await SyncWorld()
        let original = try await world.counter("braga2")
        try await original.agent.syncOnce()
        let copy = try Self.copy(of: original, to: world.directory.appendingPathComponent("braga2-copy.sqlite").path)
        let first = try await original.box.sales.sell(showtime: world.showtimeID, seats: ["A1"], method: "cash", by: original.principal)
        try await original.agent.syncOnce()
        let second = try await copy.sales.sell(showtime: world.showtimeID, seats: ["A2"], method: "cash", by: original.principal)
        #expect(second.code == first.code)
        let copyOfCopy = try Self.copy(of: copy, at: world.directory.appendingPathComponent("braga2-copy.sqlite").path,
                                       to: world.directory.appendingPathComponent("braga2-copy2.sqlite").path)
        try await SyncAgent(box: copy, centralURL: original.url).syncOnce()
        let recoded = first.code + "-2"
        #expect(try Self.centralBookings(world)[second.id] == recoded)

        try await SyncAgent(box: copyOfCopy, centralURL: original.url).syncOnce()
        #expect(try await copyOfCopy.sales.receipt(code: recoded, by: original.principal).id == second.id)
        #expect(try await world.localSeats(copyOfCopy) == ["A1": first.code, "A2": recoded])
        #expect(try world.centralSeats() == ["A1": first.code, "A2": recoded])
    }

    @Test func aNodeTakesAtMostItsShareOfBookingCodePrefixesAndNeverAnotherNodes() async throws {
        let world = try await SyncWorld()
        let node = try await world.counter("braga2")
        let other = try await world.counter("braga3")
        let state = try await node.box.replica.state()
        let theirs = try await other.box.replica.state().bookingCodePrefix
        let connection = try PostgresConnection(url: node.url)
        func call(prefix: String) throws {
            let store = #"{"node_id": "\#(state.nodeID)", "code_prefix": "\#(prefix)"}"#
            _ = try connection.query("SELECT count(*) FROM sync_api.pull_rows($1, $2::jsonb, '0', 1)",
                                     [String(SyncAgent.protocolVersion), store])
        }
        let taken = #expect(throws: PostgresError.self) { try call(prefix: theirs) }
        #expect(taken?.sqlState == "BX002")
        let alphabet = Array("23456789ABCDEFGHJKMNPQRSTUVWXYZ")
        let prefixes = (0..<60).map { String([alphabet[$0 / 31 % 31], alphabet[$0 % 31], "Z", "Z"]) }
        let limit = Int(try PostgresConnection(url: world.centralURL).query("SELECT central.max_prefixes_per_node()").scalar ?? "") ?? 0
        for prefix in prefixes.prefix(limit - 1) { try call(prefix: prefix) }
        let refused = #expect(throws: PostgresError.self) { try call(prefix: prefixes[limit]) }
        #expect(refused?.sqlState == "54000")
        try call(prefix: prefixes[0])   // one of its own, again
        try await other.settle()        // the other counter is not stopped
    }

    /// The internal switch a simulation's checker uses to prove it can fail: with fork detection
    /// off, head office takes the copy's batch for a resend again, and the copy's sale is lost.
    @Test func withForkDetectionOffHeadOfficeLosesTheCopysSaleAsBefore() async throws {
        let world = try await SyncWorld()
        try PostgresConnection(url: world.centralURL).execute("UPDATE central.settings SET fork_detection = false")
        let original = try await world.counter("braga2")
        let copy = try Self.copy(of: original, to: world.directory.appendingPathComponent("braga2-copy.sqlite").path)
        _ = try await original.box.sales.sell(showtime: world.showtimeID, seats: ["A1"], method: "cash", by: original.principal)
        try await original.agent.syncOnce()
        let lost = try await copy.sales.sell(showtime: world.showtimeID, seats: ["A2"], method: "cash", by: original.principal)
        let report = try await SyncAgent(box: copy, centralURL: original.url).syncOnce()
        #expect(report.pushed.forked == 0 && report.fork == nil)
        #expect(try Self.centralBookings(world)[lost.id] == nil)
    }

    @Test func aSaleOfTheCopyThatAPullPushedOffItsSeatSaysSoUntilHeadOfficeReseatsIt() async throws {
        let world = try await SyncWorld()
        let original = try await world.counter("braga2")
        let other = try await world.counter("braga3")
        let copy = try Self.copy(of: original, to: world.directory.appendingPathComponent("braga2-copy.sqlite").path)
        let copyAgent = SyncAgent(box: copy, centralURL: original.url)

        _ = try await original.box.sales.sell(showtime: world.showtimeID, seats: ["A1"], method: "cash", by: original.principal)
        try await original.agent.syncOnce()
        let theirs = try await other.box.sales.sell(showtime: world.showtimeID, seats: ["A2"], method: "cash", by: other.principal)
        try await other.agent.syncOnce()
        let mine = try await copy.sales.sell(showtime: world.showtimeID, seats: ["A2"], method: "cash", by: original.principal)

        // A pull before the copy's sale reached head office gives A2 to the other counter's sale.
        _ = try await copyAgent.pull()
        #expect(try await world.localSeats(copy)["A2"] == theirs.code)
        let waiting = try await copy.sales.receipt(code: mine.code, by: original.principal)
        #expect(waiting.status == .paid)
        #expect(waiting.tickets.map(\.status) == [.released])
        #expect(waiting.text.contains("NOT VALID") && waiting.text.contains("A SEAT WAS GIVEN UP"))
        let open = try await copy.replica.conflicts()
        #expect(open.map(\.kind) == [.refundRequired] && open.first?.bookingID == mine.id && open.first?.seatBefore == "A2")

        // Its sync finds the fork, sends the sale again, and head office moves it to another seat.
        let report = try await copyAgent.syncOnce()
        #expect(report.pushed.forked == 2 && report.pushed.reseated == 1)
        let decided = try await copy.replica.conflicts()
        #expect(decided.map(\.kind) == [.reseated], "head office's record replaced the counter's own")
        let seated = try await copy.sales.receipt(code: try await copy.sales.receipt(code: mine.code, by: original.principal).code,
                                                  by: original.principal)
        #expect(seated.tickets.map(\.status) == [.active] && seated.tickets.first?.seatLabel != "A2")
        #expect(!seated.text.contains("NOT VALID"))
        let central = try world.centralSeats()
        #expect(central["A2"] == theirs.code)
        let code = try #require(try Self.centralBookings(world)[mine.id])
        #expect(central.values.filter { $0 == code }.count == 1, "the copy's sale holds a seat at head office")
        #expect(code == seated.code)
    }

    @Test func aNodeCannotRewriteWhatHeadOfficeTookFromItByReusingASequenceNumber() async throws {
        let world = try await SyncWorld()
        let node = try await world.counter("braga2")
        let other = try await world.counter("braga3")
        let sale = try await node.box.sales.sell(showtime: world.showtimeID, seats: ["A1"], method: "cash", by: node.principal)
        let batch = try #require(try await node.box.replica.nextBatch(limit: 100))
        try await node.agent.syncOnce()
        let theirs = try await other.box.sales.sell(showtime: world.showtimeID, seats: ["B1"], method: "cash", by: other.principal)
        try await other.agent.syncOnce()

        // The same numbers again, one payload changed: the booking refunded, and the other
        // counter's booking named as this one's. Nothing of it is taken.
        let state = try await node.box.replica.state()
        let store = #"{"node_id": "\#(state.nodeID)", "code_prefix": "\#(state.bookingCodePrefix)"}"#
        var changes = try #require(try JSONSerialization.jsonObject(with: Data(batch.json.utf8)) as? [[String: Any]])
        var payload = try #require(changes[0]["payload"] as? [String: Any])
        payload["status"] = "refunded"
        payload["refund_amount"] = 50_000
        changes[0]["payload"] = payload
        changes[0]["entity_id"] = theirs.id
        let forged = String(decoding: try JSONSerialization.data(withJSONObject: changes), as: UTF8.self)
        let central = try PostgresConnection(url: node.url)
        let inboxBefore = try PostgresConnection(url: world.centralURL).query(
            "SELECT seq, encode(digest, 'hex'), outcome::text FROM central.inbox ORDER BY node_name, seq").values
        let answer = try PushOutcome.decodeList(try central.query("SELECT sync_api.push($1, $2::jsonb, $3::jsonb)",
                                                                  [String(SyncAgent.protocolVersion), store, forged]).scalar ?? "[]")
        #expect(answer.map(\.status) == Array(repeating: .forked, count: changes.count))
        #expect(answer.first?.nextSequence == batch.lastSequence + 1)
        let statuses = try PostgresConnection(url: world.centralURL).query(
            "SELECT code, status FROM central.bookings ORDER BY code").values.map { $0.map { $0 ?? "" } }
        #expect(statuses == [[sale.code, "paid"], [theirs.code, "paid"]].sorted { $0[0] < $1[0] })
        let inboxAfter = try PostgresConnection(url: world.centralURL).query(
            "SELECT seq, encode(digest, 'hex'), outcome::text FROM central.inbox ORDER BY node_name, seq").values
        #expect(inboxAfter == inboxBefore, "the inbox keeps what it took")
        let forks = try PostgresConnection(url: world.centralURL).query("SELECT node_name, seq FROM central.node_forks").values
        #expect(forks == [[node.name, String(batch.firstSequence)]])

        // A true resend of the same batch is still a resend: its first outcomes, applied once.
        let resent = try PushOutcome.decodeList(try central.query("SELECT sync_api.push($1, $2::jsonb, $3::jsonb)",
                                                                  [String(SyncAgent.protocolVersion), store, batch.json]).scalar ?? "[]")
        #expect(resent.map(\.status) == Array(repeating: .accepted, count: batch.count))
        // The other counter pulls and pushes as before.
        try await other.settle()
        #expect(try await world.localSeats(other.box) == world.centralSeats())

        // Nor may a node take another node's booking code for a new sale of its own: refused, not recoded.
        var copied = try #require(try JSONSerialization.jsonObject(with: Data(batch.json.utf8)) as? [[String: Any]])
        for index in copied.indices {
            copied[index]["seq"] = batch.lastSequence + 1 + Int64(index)
            var body = try #require(copied[index]["payload"] as? [String: Any])
            if copied[index]["entity"] as? String == "bookings" {
                copied[index]["entity_id"] = "0190a000-0000-7000-8000-00000000b001"
                body["id"] = "0190a000-0000-7000-8000-00000000b001"
                body["code"] = theirs.code
            } else {
                copied[index]["entity_id"] = "0190a000-0000-7000-8000-00000000c001"
                body["id"] = "0190a000-0000-7000-8000-00000000c001"
                body["booking_id"] = "0190a000-0000-7000-8000-00000000b001"
                body["seat_id"] = try await world.hq.box.read { db in
                    try String.fetchOne(db, sql: "SELECT id FROM seats WHERE label = 'C4'")!
                }
            }
            copied[index]["payload"] = body
        }
        let taking = String(decoding: try JSONSerialization.data(withJSONObject: copied), as: UTF8.self)
        let refused = try PushOutcome.decodeList(try central.query("SELECT sync_api.push($1, $2::jsonb, $3::jsonb)",
                                                                   [String(SyncAgent.protocolVersion), store, taking]).scalar ?? "[]")
        #expect(refused.first?.status == .rejected && refused.first?.code == nil)
        #expect(try PostgresConnection(url: world.centralURL).query(
            "SELECT count(*) FROM central.conflicts WHERE kind = 'recoded'").scalar == "0")
    }
}
