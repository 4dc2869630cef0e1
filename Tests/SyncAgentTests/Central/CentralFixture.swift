import Foundation
import TestSupport
@testable import SyncAgent

/// A fresh central database with the schema applied and a head-office node whose catalog holds one
/// cinema, one 2×3 studio (rows A and B, seats 1–3), one movie and one showtime tomorrow.
struct CentralFixture {
    let databaseURL: String
    let headOffice: HeadOffice
    let hq: NodeRegistration
    let hqConnection: PostgresConnection
    let cinemaID = "cin-" + UUID().uuidString.lowercased()
    let showtimeID = "sh-" + UUID().uuidString.lowercased()
    let studioID = "st-" + UUID().uuidString.lowercased()

    init() throws {
        databaseURL = try TestPostgres.makeDatabase()
        headOffice = try HeadOffice(url: databaseURL)
        try headOffice.initialise()
        hq = try headOffice.addNode(named: "hq-" + Self.suffix(), cinemaID: nil)
        hqConnection = try PostgresConnection(url: hq.url)
        let stamp = "001600000000000-00000-hq"
        var changes: [[String: Any]] = [
            Self.change(1, stamp, "cinemas", cinemaID, ["id": cinemaID, "name": "Jakarta", "time_zone": "Asia/Jakarta"]),
            Self.change(2, stamp, "studios", studioID, ["id": studioID, "cinema_id": cinemaID, "name": "Studio 1"]),
            Self.change(3, stamp, "movies", "movie-1", ["id": "movie-1", "title": "Laskar Pelangi"]),
        ]
        for (row, rowLabel) in ["A", "B"].enumerated() {
            for number in 1...3 {
                let id = seatID(rowLabel + String(number))
                changes.append(Self.change(changes.count + 1, stamp, "seats", id, [
                    "id": id, "studio_id": studioID, "label": rowLabel + String(number), "kind": "regular",
                    "grid_row": row, "grid_column": number - 1,
                ]))
            }
        }
        let tomorrow = Date().addingTimeInterval(86_400)
        changes.append(Self.change(changes.count + 1, stamp, "showtimes", showtimeID, [
            "id": showtimeID, "cinema_id": cinemaID, "studio_id": studioID, "movie_id": "movie-1",
            "starts_at": Self.instant(tomorrow), "ends_at": Self.instant(tomorrow.addingTimeInterval(7200)),
            "status": "scheduled", "base_price": 50_000, "price_version": "v1",
        ]))
        let outcomes = try Self.push(changes, as: "store-hq", over: hqConnection)
        precondition(outcomes.allSatisfy { $0["status"] as? String == "accepted" }, "catalog not accepted: \(outcomes)")
    }

    func seatID(_ label: String) -> String { studioID + "-" + label }

    /// Registers a counter node of the fixture's cinema and connects as it.
    func counter(_ name: String) throws -> (registration: NodeRegistration, connection: PostgresConnection) {
        let registration = try headOffice.addNode(named: name + "-" + Self.suffix(), cinemaID: cinemaID)
        return (registration, try PostgresConnection(url: registration.url))
    }

    /// The changes of one paid sale: the booking and one ticket per seat label, at the showtime's
    /// price (Rp 50.000 a seat); its code is given by the store that pushes it. With `user`, the
    /// booking is that customer account's.
    func sale(booking: String, seats: [String], stamp: String, firstSeq: Int, user: String? = nil) -> [[String: Any]] {
        var payload: [String: Any] = [
            "id": booking, "showtime_id": showtimeID, "status": "paid", "sold_hlc": stamp, "total": 50_000 * seats.count,
        ]
        if let user { payload["user_id"] = user }
        var changes = [Self.change(firstSeq, stamp, "bookings", booking, payload)]
        for (index, label) in seats.enumerated() {
            let ticket = booking + "-" + label
            changes.append(Self.change(firstSeq + index + 1, stamp, "tickets", ticket, [
                "id": ticket, "booking_id": booking, "showtime_id": showtimeID, "seat_id": seatID(label),
                "status": "active", "price": 50_000, "price_version": "v1",
            ]))
        }
        return changes
    }

    /// The seat label of each active ticket of the showtime, by ticket id.
    func activeSeats() throws -> [String: String] {
        let result = try PostgresConnection(url: databaseURL).query("""
            SELECT t.id, s.label FROM central.tickets t JOIN central.seats s ON s.id = t.seat_id
            WHERE t.showtime_id = $1 AND t.status = 'active'
            """, [showtimeID])
        return Dictionary(uniqueKeysWithValues: result.values.map { ($0[0]!, $0[1]!) })
    }

    static func change(_ seq: Int, _ stamp: String, _ entity: String, _ id: String, _ payload: [String: Any]) -> [String: Any] {
        ["seq": seq, "hlc": stamp, "entity": entity, "entity_id": id, "operation": "insert", "payload": payload]
    }

    /// The booking-code prefix of the test store `name`: six letters of the prefix alphabet, the same
    /// for the same name.
    static func codePrefix(_ name: String) -> String {
        let alphabet = Array("23456789ABCDEFGHJKMNPQRSTUVWXYZ")
        var hash: UInt64 = 14_695_981_039_346_656_037
        for byte in name.utf8 { hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211 }
        return String((0..<6).map { index in alphabet[Int((hash >> (UInt64(index) * 5)) % UInt64(alphabet.count))] })
    }

    /// How a call names the test store `name` (`p_store`).
    static func store(_ name: String) -> String {
        #"{"node_id": "\#(name)", "code_prefix": "\#(codePrefix(name))"}"#
    }

    /// Pushes `changes` as the test store `store`; with `completing`, each payload is given the keys
    /// the test left out first (``completed(_:store:)``), else it goes exactly as written.
    static func push(
        _ changes: [[String: Any]], as store: String, over connection: PostgresConnection, completing: Bool = true
    ) throws -> [[String: Any]] {
        let sent = completing ? changes.map { completed($0, store: store) } : changes
        let json = String(decoding: try JSONSerialization.data(withJSONObject: sent), as: UTF8.self)
        let result = try connection.query("SELECT sync_api.push($1, $2::jsonb, $3::jsonb)",
                                          [String(SyncAgent.protocolVersion), Self.store(store), json])
        return try JSONSerialization.jsonObject(with: Data((result.scalar ?? "[]").utf8)) as? [[String: Any]] ?? []
    }

    static func pull(cursor: String, limit: Int = 1000, as store: String = "store-reader", over connection: PostgresConnection) throws -> (rows: [[String: Any]], cursor: String, lag: Int) {
        let result = try connection.query("SELECT sync_api.pull($1, $2::jsonb, $3, $4)",
                                          [String(SyncAgent.protocolVersion), Self.store(store), cursor, String(limit)])
        let object = try JSONSerialization.jsonObject(with: Data((result.scalar ?? "{}").utf8)) as? [String: Any] ?? [:]
        return (object["rows"] as? [[String: Any]] ?? [], object["cursor"] as? String ?? cursor, object["lag"] as? Int ?? -1)
    }

    /// Pulls from `cursor` until nothing waits at head office (a cinema's row can wait a page for
    /// the chain-wide rows before it, docs/feed.md). Gives up after 20 s and returns what arrived,
    /// for the test's expectations to judge.
    static func pullSettled(cursor: String, as store: String = "store-reader", over connection: PostgresConnection) throws -> (rows: [[String: Any]], cursor: String) {
        var rows: [[String: Any]] = [], cursor = cursor
        let deadline = Date().addingTimeInterval(20)
        while true {
            let page = try pull(cursor: cursor, as: store, over: connection)
            rows += page.rows
            cursor = page.cursor
            if page.lag == 0 || Date() >= deadline { return (rows, cursor) }
            if page.rows.isEmpty { Thread.sleep(forTimeInterval: 0.05) }
        }
    }

    static func instant(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss.SSS"
        return formatter.string(from: date)
    }

    static func suffix() -> String { String(UUID().uuidString.lowercased().prefix(8)) }
}
