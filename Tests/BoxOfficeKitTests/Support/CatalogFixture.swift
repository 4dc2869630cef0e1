import Foundation
import GRDB
@testable import BoxOfficeKit

/// A fresh store with a logged-in manager, and helpers to check that a refused change wrote nothing.
struct CatalogFixture {
    let store: TestStore
    let manager: Principal
    let cashier = Principal(userID: "00000000-0000-7000-8000-00000000c0de", role: .cashier)

    var box: BoxOffice { store.box }
    var catalog: Catalog { store.box.catalog }

    init(clock: TestClock = TestClock()) async throws {
        store = try TestStore(clock: clock)
        _ = try await store.box.accounts.createFirstManager(
            name: "Test Manager", email: "manager@test.example", password: "manager-pass-1")
        manager = try await store.box.accounts.login(email: "manager@test.example", password: "manager-pass-1").principal
    }

    /// Row counts of the catalog tables and the change log, and the store's last HLC.
    func snapshot() throws -> [String: String] {
        try box.writer.read { db in
            var result: [String: String] = [:]
            for table in ["cinemas", "studios", "seats", "movies", "showtimes", "payment_methods", "change_log"] {
                result[table] = String(try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? -1)
            }
            result["enabled_methods"] = String(try Int.fetchOne(db, sql: "SELECT count(*) FROM payment_methods WHERE enabled") ?? -1)
            result["last_hlc"] = try String.fetchOne(db, sql: "SELECT last_hlc FROM sync_state")
            return result
        }
    }

    /// Runs `body`, which must throw; returns the error after checking that nothing was written.
    func refused(_ body: () async throws -> Void) async throws -> any Error {
        let before = try snapshot()
        do {
            try await body()
        } catch {
            let after = try snapshot()
            guard before == after else { throw FixtureFailure("the refused change wrote: \(before) → \(after)") }
            return error
        }
        throw FixtureFailure("the change was not refused")
    }

    @discardableResult
    func addCinema(_ name: String = "Cinema Senayan", zone: String = "Asia/Jakarta") async throws -> Cinema {
        try await catalog.addCinema(CinemaDraft(name: name, city: "Jakarta", timeZone: zone), by: manager)
    }

    @discardableResult
    func addStudio(_ cinema: Cinema, _ name: String = "Studio 1", layout: String = "rows A-C; seats 1-10") async throws -> Studio {
        try await catalog.addStudio(cinemaID: cinema.id, name: name, layout: layout, by: manager)
    }

    @discardableResult
    func addMovie(_ title: String = "Ekspedisi Krakatau", minutes: Int = 120) async throws -> Movie {
        try await catalog.addMovie(MovieDraft(title: title, durationMinutes: minutes), by: manager)
    }
}

struct FixtureFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
