import Foundation
@testable import BoxOfficeKit
@testable import SyncAgent

/// A chain of two cinemas at one head office, for playing a hostile counter: the
/// ``CentralFixture``'s cinema (Jakarta), whose counter `attacker` is in hostile hands, and a second
/// cinema (Bandung) with its own studio, showtime and honest counter `victim`, which has sold seat
/// A1 (booking `victim-sale`). Head office owns a chain manager account, a movie and a payment method.
struct ChainFixture {
    let base: CentralFixture
    let attacker: (registration: NodeRegistration, connection: PostgresConnection)
    let victim: (registration: NodeRegistration, connection: PostgresConnection)
    let otherCinemaID = "cin-bdg-" + UUID().uuidString.lowercased()
    let otherStudioID = "st-bdg-" + UUID().uuidString.lowercased()
    let otherShowtimeID = "sh-bdg-" + UUID().uuidString.lowercased()
    let managerEmail = "manager@chain.example"
    let methodID = "method-cash"
    /// Head office's own view (the owner's connection).
    let database: PostgresConnection

    static let attackerStore = "store-attacker"
    static let victimStore = "store-victim"

    init() async throws {
        base = try CentralFixture()
        database = try PostgresConnection(url: base.databaseURL)
        let stamp = "001600000000000-00000-hq"
        var catalog: [[String: Any]] = [
            CentralFixture.change(100, stamp, "cinemas", otherCinemaID, ["id": otherCinemaID, "name": "Bandung"]),
            CentralFixture.change(101, stamp, "studios", otherStudioID, ["id": otherStudioID, "cinema_id": otherCinemaID, "name": "Studio B"]),
            CentralFixture.change(102, stamp, "payment_methods", methodID, ["id": methodID, "code": "cash", "name": "Cash", "kind": "cash"]),
        ]
        for label in ["A1", "A2", "A3"] {
            let seat = otherStudioID + "-" + label
            catalog.append(CentralFixture.change(catalog.count + 100, stamp, "seats", seat, [
                "id": seat, "studio_id": otherStudioID, "label": label, "grid_row": 0,
                "grid_column": Int(label.dropFirst())! - 1,
            ]))
        }
        let tomorrow = Date().addingTimeInterval(86_400)
        catalog.append(CentralFixture.change(catalog.count + 100, stamp, "showtimes", otherShowtimeID, [
            "id": otherShowtimeID, "cinema_id": otherCinemaID, "studio_id": otherStudioID, "movie_id": "movie-1",
            "starts_at": CentralFixture.instant(tomorrow), "ends_at": CentralFixture.instant(tomorrow.addingTimeInterval(7200)),
        ]))
        let outcomes = try CentralFixture.push(catalog, as: "store-hq", over: base.hqConnection)
        precondition(outcomes.allSatisfy { $0["status"] as? String == "accepted" }, "second cinema not accepted: \(outcomes)")
        try base.headOffice.addStaff(StaffAccount(name: "Chain Manager", email: managerEmail, role: .manager, cinemaID: nil,
                                                  password: "chain-pass-1234"))

        attacker = try base.counter("attacker")
        let victimRegistration = try base.headOffice.addNode(named: "victim-" + CentralFixture.suffix(), cinemaID: otherCinemaID)
        victim = (victimRegistration, try PostgresConnection(url: victimRegistration.url))
        let sale = try CentralFixture.push(self.otherSale(booking: "victim-sale", seats: ["A1"], stamp: "001700000000000-00000-victim", firstSeq: 1),
                                           as: Self.victimStore, over: victim.connection)
        precondition(sale.allSatisfy { $0["status"] as? String == "accepted" }, "victim's sale not accepted: \(sale)")
        _ = try CentralFixture.push([], as: Self.attackerStore, over: attacker.connection)   // binds its store
    }

    func otherSeatID(_ label: String) -> String { otherStudioID + "-" + label }

    /// The changes of a paid sale of the second cinema's showtime.
    func otherSale(booking: String, seats: [String], stamp: String, firstSeq: Int) -> [[String: Any]] {
        var changes = [CentralFixture.change(firstSeq, stamp, "bookings", booking, [
            "id": booking, "showtime_id": otherShowtimeID, "status": "paid", "sold_hlc": stamp, "total": 50_000 * seats.count,
        ])]
        for (index, label) in seats.enumerated() {
            changes.append(CentralFixture.change(firstSeq + index + 1, stamp, "tickets", booking + "-" + label, [
                "id": booking + "-" + label, "booking_id": booking, "showtime_id": otherShowtimeID, "seat_id": otherSeatID(label),
                "price": 50_000, "price_version": "v1",
            ]))
        }
        return changes
    }

    /// An update of a row head office has, as the change of a counter that sends it.
    static func update(_ seq: Int, _ stamp: String, _ entity: String, _ id: String, _ payload: [String: Any]) -> [String: Any] {
        var change = CentralFixture.change(seq, stamp, entity, id, payload)
        change["operation"] = "update"
        return change
    }

    /// Pushes `changes` as the attacker, numbered after its earlier pushes (a seq head office has
    /// already answered would be taken as a resend): their outcomes, in order.
    func attack(_ changes: [[String: Any]], completing: Bool = true) throws -> [[String: Any]] {
        let last = Int(try database.query("SELECT coalesce(max(seq), 0) FROM central.inbox WHERE node_name = $1",
                                          [attacker.registration.name]).scalar ?? "0") ?? 0
        let numbered = changes.enumerated().map { index, change in
            var change = change
            change["seq"] = last + index + 1
            return change
        }
        return try CentralFixture.push(numbered, as: Self.attackerStore, over: attacker.connection, completing: completing)
    }

    /// One of the attacker's own honest changes, to push beside an attack: a rename of its cinema.
    func honestChange(_ seq: Int) -> [String: Any] {
        Self.update(seq, "001700000000000-00000-attacker", "cinemas", base.cinemaID,
                    ["id": base.cinemaID, "name": "Jakarta Selatan \(seq)"])
    }

    /// Head office's stored payload of a row, as text, for comparing before and after.
    func stored(_ table: String, _ id: String) throws -> String? {
        try database.query("SELECT payload::text FROM central.\(table) WHERE id = $1", [id]).scalar
    }

    /// Everything head office holds of the second cinema: its rows, feed and conflicts, as text.
    func otherCinemaState() throws -> [String] {
        try database.query("""
            SELECT 'row ' || t || ' ' || id || ' ' || payload::text FROM (
                SELECT 'cinemas' AS t, id, payload FROM central.cinemas WHERE id = $1
                UNION ALL SELECT 'studios', id, payload FROM central.studios WHERE cinema_id = $1
                UNION ALL SELECT 'seats', id, payload FROM central.seats WHERE cinema_id = $1
                UNION ALL SELECT 'showtimes', id, payload FROM central.showtimes WHERE cinema_id = $1
                UNION ALL SELECT 'bookings', id, payload FROM central.bookings WHERE cinema_id = $1
                UNION ALL SELECT 'tickets', id, payload FROM central.tickets WHERE cinema_id = $1) r
            UNION ALL SELECT 'feed ' || id || ' ' || entity || ' ' || entity_id FROM central.feed WHERE cinema_id = $1
            UNION ALL SELECT 'conflict ' || id FROM central.conflicts WHERE cinema_id = $1
            ORDER BY 1
            """, [otherCinemaID]).values.map { $0[0] ?? "" }
    }
}
