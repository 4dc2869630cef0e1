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
}
