import Foundation
import GRDB
import TestSupport
import Testing
@testable import BoxOfficeKit
@testable import SyncAgent

/// A seat's price is one rule in two languages: the counter's `SeatStates.priceSQL` (SQLite) and
/// head office's `central.seat_price` (rules/prices.sql). They agree on every case: each kind with
/// and without a surcharge, a zero surcharge, a zero base, and the largest prices the kit allows.
@Suite(.enabled(if: TestPostgres.isAvailable, "needs the PostgreSQL server started by scripts/test.sh"))
struct PriceAgreementTests {
    @Test func theCounterAndHeadOfficePriceEverySeatAlike() throws {
        let url = try TestPostgres.makeDatabase()
        try HeadOffice(url: url).initialise()
        let central = try PostgresConnection(url: url)
        let sqlite = try DatabaseQueue()
        let bases = [0, 1, 42_500, 100_000_000]
        let modifiers = ["{}", #"{"vip": 25000}"#, #"{"vip": 0, "couple": 40000}"#,
                         #"{"regular": 5, "vip": 100000000, "wheelchair": 0, "couple": 100000000}"#]
        for base in bases {
            for modifier in modifiers {
                for kind in SeatKind.allCases.map(\.rawValue) {
                    let counter = try sqlite.read { db in
                        try Int.fetchOne(db, sql: "SELECT \(SeatStates.priceSQL) FROM (SELECT ? AS base_price, ? AS price_modifiers) st, (SELECT ? AS kind) se",
                                         arguments: [base, modifier, kind])
                    }
                    let office = try central.query("SELECT central.seat_price($1, $2::jsonb, $3)", [String(base), modifier, kind]).scalar
                    #expect(office == counter.map(String.init), "base \(base), \(modifier), \(kind)")
                }
            }
        }
    }
}
