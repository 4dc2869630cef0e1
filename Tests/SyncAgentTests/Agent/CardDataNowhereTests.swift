import Foundation
import GRDB
import TestSupport
import Testing
@testable import BoxOfficeKit
@testable import SyncAgent

/// Issue 15, "Done when": no card-like string reaches the store, the change log, head office or a
/// receipt. Every one is tried where people type text at a counter — a walk-in's name, a payment
/// reference, a customer's name when registering, a cinema's address — then the counter syncs and
/// all four are searched.
@Suite(.enabled(if: TestPostgres.isAvailable, "needs the PostgreSQL server started by scripts/test.sh"))
struct CardDataNowhereTests {
    /// The digits of every card number among the strings, as a search finds them whatever the separators.
    static func cardDigits(_ text: String) -> [String] {
        let digits = text.unicodeScalars.compactMap(CardData.digit).map(String.init).joined()
        return digits.count >= 13 ? [String(digits.prefix(16)), String(digits.prefix(15))] : []
    }

    @Test func noCardDataReachesTheStoreTheChangeLogHeadOfficeOrAReceipt() async throws {
        let world = try await SyncWorld()
        let counter = try await world.counter("braga")
        let (box, cashier) = (counter.box, counter.principal)
        let strings = CardLikeStrings.all
        for (index, text) in strings.enumerated() {
            await #expect(throws: (any Error).self, "walk-in name \(text)") {
                _ = try await box.sales.sell(showtime: world.showtimeID, seats: ["A1"], for: .walkIn(name: text),
                                             method: "cash", by: cashier)
            }
            await #expect(throws: (any Error).self, "reference \(text)") {
                _ = try await box.sales.sell(showtime: world.showtimeID, seats: ["A1"], method: "debit_card",
                                             reference: text, by: cashier)
            }
            await #expect(throws: (any Error).self, "customer name \(text)") {
                _ = try await box.accounts.register(name: text, email: "card\(index)@example.com", phone: "0812-3456-7890",
                                                    password: "kursi-F12-nyaman")
            }
            await #expect(throws: (any Error).self, "cinema address \(text)") {
                _ = try await box.catalog.editCinema(id: world.cinemaID, CinemaChanges(address: text), by: cashier)
            }
        }
        // What does pass, passes: a sale with a name, a reference and a receipt.
        let sale = try await box.sales.sell(showtime: world.showtimeID, seats: ["A2"], for: .walkIn(name: "Budi +62 812-3456-7890"),
                                            method: "debit_card", reference: "APPR 004211 RRN 123456789012", by: cashier)
        try await counter.settle()
        let receipt = try await box.sales.receipt(code: sale.code, by: cashier).text
        #expect(receipt.contains("Budi +62 812-3456-7890"))

        let store: String = try await box.read { db in
            var text = ""
            for table in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'") {
                for row in try Row.fetchAll(db, sql: "SELECT * FROM \"\(table)\"") {
                    text += row.databaseValues.map(\.description).joined(separator: " ") + "\n"
                }
            }
            return text
        }
        let changeLog: String = try await box.read { db in
            try String.fetchAll(db, sql: "SELECT payload FROM change_log").joined(separator: "\n")
        }
        #expect(changeLog.contains(sale.id), "the sale is in the change log")
        let central = try PostgresConnection(url: world.centralURL)
        let tables = try central.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'central'").values.map { $0[0]! }
        var headOffice = ""
        for table in tables {
            headOffice += try central.query("SELECT coalesce(string_agg(t::text, E'\\n'), '') FROM central.\"\(table)\" t").scalar ?? ""
        }
        #expect(headOffice.contains(sale.code), "the sale reached head office")
        let places = ["store": store, "change log": changeLog, "head office": headOffice, "receipt": receipt]
        for text in strings {
            for (place, content) in places {
                #expect(!content.contains(text), "\(text) is in the \(place)")
                for digits in Self.cardDigits(text) {
                    #expect(!content.contains(digits), "\(digits) (of \(text)) is in the \(place)")
                }
            }
        }
    }

    /// Every text of head office's tables (`central`), row by row.
    static func headOfficeText(_ url: String) throws -> String {
        let central = try PostgresConnection(url: url)
        let tables = try central.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'central'").values.map { $0[0]! }
        var text = ""
        for table in tables {
            text += try central.query("SELECT coalesce(string_agg(t::text, E'\\n'), '') FROM central.\"\(table)\" t").scalar ?? ""
        }
        return text
    }

    /// A hostile counter (or an old build's store) pushes card data straight to head office's
    /// functions: as walk-ins' names and payment references of paid sales, as a customer's name,
    /// as a change's entity and stamp. Head office takes each sale without it (no honest sale is
    /// lost), refuses what it cannot take, and keeps the card data nowhere: not in its rows, the
    /// feed, the inbox, conflict records, refusal reasons or clock reports.
    @Test func headOfficeKeepsNoCardDataAPushCarries() throws {
        let fixture = try CentralFixture()
        let (registration, connection) = try fixture.counter("braga")
        let store = "store-" + registration.name
        let strings = CardLikeStrings.all
        let stamp = "001700000000001-00000-braga"
        var changes: [[String: Any]] = []
        var bookings: [String] = []
        for (index, text) in strings.enumerated() {
            let booking = UUID().uuidString.lowercased()
            bookings.append(booking)
            let seat = ["A1", "A2", "A3", "B1", "B2", "B3"][index % 6]
            var sale = fixture.sale(booking: booking, seats: [seat], stamp: stamp, firstSeq: changes.count + 1)
            var payload = sale[0]["payload"] as! [String: Any]
            payload["customer_name"] = text
            payload["payment_reference"] = strings[(index + 1) % strings.count]
            sale[0]["payload"] = payload
            changes += sale
        }
        let customer = UUID().uuidString.lowercased()
        changes.append(CentralFixture.change(changes.count + 1, stamp, "users", customer, [
            "id": customer, "name": strings[0], "email": "kartu@example.com", "role": "customer",
        ]))
        changes.append(CentralFixture.change(changes.count + 1, stamp, strings[1], UUID().uuidString.lowercased(), ["id": "x"]))
        changes.append(CentralFixture.change(changes.count + 1, strings[2], "movies", "movie-card", ["id": "movie-card"]))
        let outcomes = try CentralFixture.push(changes, as: store, over: connection)
        #expect(outcomes.count == changes.count)
        // Every sale is kept: accepted where its seat was free, refund-required where it was not.
        for (index, outcome) in outcomes.prefix(strings.count * 2).enumerated() {
            #expect(["accepted", "reseated", "refund_required"].contains(outcome["status"] as? String ?? ""), "change \(index + 1): \(outcome)")
        }
        let database = try PostgresConnection(url: fixture.databaseURL)
        let names = try database.query("SELECT DISTINCT payload->>'customer_name', payload->>'payment_reference' FROM central.bookings")
        #expect(names.values.count == 1 && names.values.first == ["[card data removed]", "[card data removed]"], "\(names.values)")
        #expect(try database.query("SELECT count(*) FROM central.bookings").scalar == String(strings.count))
        #expect(outcomes[strings.count * 2 + 1]["status"] as? String == "rejected")

        let headOffice = try Self.headOfficeText(fixture.databaseURL)
        #expect(headOffice.contains(bookings[0]), "the sales reached head office")
        for text in strings {
            #expect(!headOffice.contains(text), "\(text) is at head office")
            for digits in Self.cardDigits(text) {
                #expect(!headOffice.contains(digits), "\(digits) (of \(text)) is at head office")
            }
        }
    }
}
