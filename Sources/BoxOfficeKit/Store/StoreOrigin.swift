import Foundation
import GRDB
import Logging
import Synchronization

/// How a store finds by itself that its file was restored from a backup or copied (a fork, see
/// ``StoreFork``), before it issues a booking code the store it came from may have issued already.
///
/// Two things a restored or copied file does not carry along tell it:
/// - the machine: the store keeps the identity of the machine it was last opened on
///   (`/etc/machine-id`); opened on another one, it was copied there;
/// - the marker beside its file, `<store>.origin` (mode 0600): after every sale the store writes
///   there its node, its booking-code prefix and the last number it issued. A store that finds the
///   marker ahead of itself is older than the file that was last used at this path: it was
///   restored from a backup.
///
/// Either way the store takes a new booking-code prefix at once (its receipts never repeat a code
/// of the original's) and records why; head office tells at the next sync whether changes must be
/// sent again. A marker someone restored along with the store, or a disk that rolled back whole,
/// escapes this check: then head office finds the fork at the first sync.
final class StoreOrigin: Sendable {
    /// What the marker file holds.
    struct Marker: Codable, Equatable, Sendable {
        var nodeID: String
        var codePrefix: String
        var codeGeneration: Int
        var bookingNumber: Int

        enum CodingKeys: String, CodingKey {
            case nodeID = "node_id"
            case codePrefix = "code_prefix"
            case codeGeneration = "code_generation"
            case bookingNumber = "booking_number"
        }

        /// The store's own values, read in its transaction.
        static func fetch(_ db: Database) throws -> Marker? {
            try Row.fetchOne(db.cachedStatement(sql: """
                SELECT node_id, code_prefix, code_generation, last_booking_number FROM sync_state WHERE singleton = 1
                """)).map {
                Marker(nodeID: $0["node_id"], codePrefix: $0["code_prefix"], codeGeneration: $0["code_generation"],
                       bookingNumber: $0["last_booking_number"])
            }
        }
    }

    let file: PrivateFile
    private let written = Mutex<Marker?>(nil)
    private let logger: Logger

    init(storePath: String, logger: Logger) {
        file = PrivateFile(path: storePath + ".origin", remedy: "remove it; the store writes it again")
        self.logger = logger
    }

    /// This machine's identity (systemd's machine id), or `nil` where it has none.
    static func machineIdentity() -> String? {
        for path in ["/etc/machine-id", "/var/lib/dbus/machine-id"] {
            if let text = try? String(contentsOfFile: path, encoding: .utf8) {
                let identity = text.trimmingCharacters(in: .whitespacesAndNewlines)
                if !identity.isEmpty { return identity }
            }
        }
        return nil
    }

    /// Checks the store against this machine and its marker when it is opened; takes a new prefix
    /// when it was restored or copied, then brings the marker and the machine up to date.
    func check(_ writer: any DatabaseWriter, machine: String?, now: Date) throws {
        let marker = readMarker()
        let stored = try writer.read { db in
            try Row.fetchOne(db, sql: "SELECT machine_id FROM sync_state WHERE singleton = 1").map { $0["machine_id"] as String? }
        }
        let store = try writer.read { db in try Marker.fetch(db) }
        guard let store else { return }
        var reason: String?
        if let marker, marker.nodeID == store.nodeID,
           marker.codeGeneration > store.codeGeneration
            || (marker.codeGeneration == store.codeGeneration && marker.bookingNumber > store.bookingNumber) {
            reason = "this store is older than the one last used here (it was restored from a backup): "
                + "the store it replaced had issued booking codes up to "
                + BookingCode.format(prefix: marker.codePrefix, number: marker.bookingNumber)
        } else if let machine, let previous = stored ?? nil, previous != machine {
            reason = "this store was last opened on another machine (it was copied)"
        }
        if reason != nil || (machine != nil && (stored ?? nil) != machine) {
            try writer.write { db in
                if let reason {
                    let prefix = try StoreFork.takeNewPrefix(db, reason: "", now: now, atLeastGeneration: marker?.codeGeneration ?? 0)
                    try db.execute(sql: "UPDATE sync_state SET fork_reason = ? WHERE singleton = 1", arguments: [
                        reason + ". It took new booking codes \(prefix)-… at once, so that no receipt repeats a code; "
                            + "selling goes on, and head office tells at the next sync whether changes must be sent again.",
                    ])
                }
                if let machine {
                    try db.execute(sql: "UPDATE sync_state SET machine_id = ? WHERE singleton = 1", arguments: [machine])
                }
            }
            if let reason { logger.warning("this store forked: it took a new booking-code prefix", metadata: ["why": .string(reason)]) }
        }
        guard let current = try writer.read({ db in try Marker.fetch(db) }) else { return }
        if current == marker {
            written.withLock { $0 = current }   // the file says so already: no write at every open
        } else {
            note(current)
        }
    }

    /// Writes the marker when the store's values moved on (a code was issued, a prefix taken). A
    /// marker that cannot be written is logged: it only weakens the check, and never stops a sale.
    func note(_ marker: Marker) {
        let changed = written.withLock { last in
            defer { last = marker }
            return last != marker
        }
        guard changed else { return }
        do {
            let data = try JSONEncoder().encode(marker)
            try file.write(data + Data("\n".utf8))
        } catch {
            logger.warning("the store's origin marker could not be written", metadata: ["error": .string("\(error)")])
        }
    }

    /// The marker beside the store, or `nil` (none, unreadable, or not to be trusted).
    private func readMarker() -> Marker? {
        guard let data = try? file.read() else { return nil }
        return try? JSONDecoder().decode(Marker.self, from: data)
    }
}
