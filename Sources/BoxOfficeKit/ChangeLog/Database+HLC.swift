import Foundation
import GRDB

extension Database {
    /// Makes the stamp for a change in the current write transaction and records it as the store's
    /// latest, so the next one (in this or any other process) is later still.
    ///
    /// Call it once per transaction and give the stamp to every row the transaction writes: the
    /// change-log triggers copy each row's `hlc` into the log.
    func nextHLC(now: Date = Date()) throws -> HLC {
        try advanceHLC { last, node in HLC.next(after: last, now: now, node: node) }
    }

    /// Moves the store's clock past a stamp received from elsewhere (a pulled change).
    func observeHLC(_ remote: HLC, now: Date = Date()) throws {
        try advanceHLC { last, node in HLC.receive(remote, after: last, now: now, node: node) }
    }

    /// Reads the store's latest stamp and node id, records `stamp(last, node)` as the latest, returns it.
    @discardableResult
    private func advanceHLC(_ stamp: (HLC?, String) -> HLC) throws -> HLC {
        guard let row = try Row.fetchOne(cachedStatement(sql: "SELECT node_id, last_hlc FROM sync_state WHERE singleton = 1")) else {
            throw StoreError.damaged("the store has no node identity")
        }
        let next = stamp(HLC(row["last_hlc"] as String), row["node_id"])
        try cachedStatement(sql: "UPDATE sync_state SET last_hlc = ? WHERE singleton = 1").execute(arguments: [next.description])
        return next
    }
}
