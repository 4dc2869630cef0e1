import Foundation
import GRDB
import Testing
@testable import BoxOfficeKit

struct DemoDataTests {
    @Test func seedsCinemasStudiosMoviesAndAWeekOfShowtimes() async throws {
        let clock = TestClock(ISO8601DateFormatter().date(from: "2026-11-25T03:00:00Z")!)  // 10:00 in Jakarta
        let store = try TestStore(clock: clock)
        let summary = try await DemoData.seed(store.box)
        #expect(summary.cinemas.count == 3)
        #expect(summary.movieCount == 6)
        #expect(summary.studioCount == 6)
        #expect(Set(summary.cinemas.map(\.timeZone)) == ["Asia/Jakarta", "Asia/Makassar"])
        for cinema in summary.cinemas {
            let today = try await store.box.catalog.showtimes(cinemaID: cinema.id, on: "2026-11-25")
            let lastDay = try await store.box.catalog.showtimes(cinemaID: cinema.id, on: "2026-12-01")
            let after = try await store.box.catalog.showtimes(cinemaID: cinema.id, on: "2026-12-02")
            #expect(today.count >= 4, "\(cinema.name)")
            #expect(!lastDay.isEmpty)
            #expect(after.isEmpty)
            #expect(today.first?.localStart.time == "10:00")
        }
        let session = try await store.box.accounts.login(email: DemoData.managerEmail, password: DemoData.managerPassword)
        #expect(session.principal.role == .manager)
        #expect(summary.showtimeCount == (try await store.box.writer.read { db in try Showtime.fetchCount(db) }))
    }

    @Test func refusesAStoreThatHasAManager() async throws {
        let fixture = try await CatalogFixture()
        await #expect(throws: AccountError.alreadyInitialised) { _ = try await DemoData.seed(fixture.box) }
    }
}
