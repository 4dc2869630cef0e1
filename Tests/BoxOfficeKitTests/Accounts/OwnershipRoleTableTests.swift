import Foundation
import GRDB
import Testing
@testable import BoxOfficeKit

/// The ownership table's role columns (`schemas/permissions.csv`), cell by cell: for every change
/// row and every actor, the kit's own operation is allowed or refused exactly as the cell says —
/// tried on a real store through the public API, on the actor's own row and on someone else's
/// (another cinema's, another customer's). A row no kit operation performs is listed here with
/// why, so a row added to the table, or an operation that asks the table for a row listed here,
/// makes this test fail until it is walked too.
struct OwnershipRoleTableTests {
    /// The change rows no operation of the kit performs as a logged-in (or anonymous) actor.
    static let notPerformed: [String: String] = [
        "studios delete": "no operation removes a studio",
        "seats update": "seats change only with a studio's layout, which is never replaced",
        "seats delete": "seats change only with a studio's layout, which is never replaced",
        "movies update": "no operation edits a movie",
        "movies delete": "no operation removes a movie",
        "showtimes delete": "a showtime is cancelled (an update), never deleted",
        "payment_methods insert": "the store's migrations bring the payment methods",
        "payment_methods delete": "a payment method is disabled (an update), never deleted",
        "seat_blocks insert": "seats are blocked by head office's feed only",
        "seat_blocks delete": "seats are blocked by head office's feed only",
        "users.customer update": "only the account's owner, proven by the mailed code (verify) or the password (login)",
        "users.customer delete": "no operation removes an account",
        "users.staff update": "staff accounts change online at head office (central staff password)",
        "users.staff delete": "staff accounts change online at head office",
        "bookings delete": "a booking is cancelled (an update), never deleted",
        "tickets delete": "a ticket is released (an update), never deleted",
    ]

    static var walked: [String] {
        OwnershipTable.standard.rows.map { "\($0.entity) \($0.operation.rawValue)" }.filter { notPerformed[$0] == nil }
    }

    @Test func everyRowIsWalkedOrListedAsNotPerformed() throws {
        let rows = Set(OwnershipTable.standard.rows.map { "\($0.entity) \($0.operation.rawValue)" })
        #expect(Set(Self.notPerformed.keys).isSubset(of: rows), "a listed row the table no longer has")
        #expect(Set(Self.walked) == rows.subtracting(Self.notPerformed.keys))
        #expect(Set(Permission.Entity.allCases.map(\.rawValue)) == Set(OwnershipTable.standard.rows.map(\.entity)))
        // Every change the kit's sources ask the table about is walked: none of a row listed as not performed.
        let asked = try Self.rowsAskedInSources()
        #expect(!asked.isEmpty)
        for row in asked {
            #expect(Self.walked.contains(row), "the kit asks the table for \(row), which this test does not walk")
        }
    }

    /// The rows the kit's sources name in a ``Permission`` (`.insert(.movies`, `.update(.studios`).
    static func rowsAskedInSources() throws -> Set<String> {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources/BoxOfficeKit")
        let pattern = try Regex(#"\.(insert|update|delete)\(\.(\w+)"#)
        var rows = Set<String>()
        for path in try FileManager.default.subpathsOfDirectory(atPath: root.path) where path.hasSuffix(".swift") {
            let text = try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
            for line in text.split(separator: "\n") where line.contains("require(") || line.contains("may(") {
                for match in line.matches(of: pattern) {
                    guard let operation = match.output[1].substring, let name = match.output[2].substring,
                          let entity = Permission.Entity.allCases.first(where: { "\($0)" == name })
                    else { continue }
                    rows.insert("\(entity.rawValue) \(operation)")
                }
            }
        }
        return rows
    }

    @Test(arguments: walked)
    func everyCellIsEnforced(_ name: String) async throws {
        let row = try #require(OwnershipTable.standard.rows.first { "\($0.entity) \($0.operation.rawValue)" == name })
        for actor in OwnershipTable.Actor.allCases {
            for own in [true, false] {
                let expected = switch row.grants[actor]! { case .yes: true; case .own: own; case .no: false }
                let fixture = try await Fixture()
                let change = try await fixture.prepare(name, as: actor, own: own)
                let before = try fixture.snapshot()
                let outcome = try await Fixture.outcome(change)
                let what = "\(name) by \(actor.rawValue) on \(own ? "its own" : "another's") row"
                switch outcome {
                case .done: #expect(expected, "\(what): allowed, but the table says no")
                case let .refused(reason):
                    #expect(!expected, "\(what): refused (\(reason)), but the table says \(row.grants[actor]!.rawValue)")
                    #expect(try fixture.snapshot() == before, "\(what): refused, yet the store changed")
                case .needsLogin:
                    #expect(!expected, "\(what): the operation needs a login, but the table lets anyone")
                }
            }
        }
    }

    @Test func refusalsSayWhoMay() async throws {
        let fixture = try await Fixture()
        await #expect(throws: AccountError.notAllowed("only head office may add a movie")) {
            _ = try await fixture.box.catalog.addMovie(MovieDraft(title: "Agak Laen 2", durationMinutes: 119), by: fixture.sales.manager)
        }
        await #expect(throws: AccountError.notAllowed("only head office or the cinema's own manager may add a studio")) {
            _ = try await fixture.box.catalog.addStudio(cinemaID: fixture.other.cinema, name: "Studio 9", layout: "rows A; seats 1-4",
                                                       by: fixture.sales.manager)
        }
        await #expect(throws: AccountError.notAllowed("only staff may sell to a walk-in customer")) {
            _ = try await fixture.box.sales.book(showtime: fixture.sales.upcoming, seats: ["C1"], for: .walkIn(name: nil),
                                                 by: fixture.sales.customer)
        }
        await #expect(throws: AccountError.notAllowed("only someone not logged in or staff may register a customer account")) {
            _ = try await fixture.box.accounts.register(name: "Sari", email: "sari@example.com", phone: "0812-3456-7890",
                                                        password: "a-long-password", by: fixture.sales.customer)
        }
    }

    @Test func aManagerOfNoCinemaActsAsHeadOfficeAndOfOneAsItsManager() async throws {
        let fixture = try await Fixture()
        #expect(fixture.sales.headOffice.actor == .headOffice)
        #expect(fixture.sales.manager.actor == .cinemaManager)
        // The store's first manager, as `init` and `demo` make it, is of no cinema: head office's store.
        let store = try TestStore()
        _ = try await store.box.accounts.createFirstManager(name: "Admin", email: "admin@example.com", password: "a-long-password")
        let first = try await store.box.accounts.login(email: "admin@example.com", password: "a-long-password").principal
        #expect(first.actor == .headOffice)
    }

    enum Outcome {
        case done
        case refused(String)
        case needsLogin
    }

    /// A ``SalesFixture`` (cinema A: the cashier's and the manager's own) with a second cinema B
    /// (another's), each with a studio of seats, a studio without a layout and a showtime to come.
    struct Fixture {
        let sales: SalesFixture
        var box: BoxOffice { sales.box }
        let other: (cinema: String, studio: String, showtime: String)
        let emptyStudios: (own: String, other: String)

        init() async throws {
            sales = try SalesFixture()
            let catalog = sales.box.catalog
            let admin = sales.headOffice
            let cinema = try await catalog.addCinema(CinemaDraft(name: "Cinema Kuta", city: "Badung", timeZone: "Asia/Makassar"), by: admin)
            let studio = try await catalog.addStudio(cinemaID: cinema.id, name: "Studio 1", layout: "rows A-B; seats 1-4", by: admin)
            let showtime = try await catalog.addShowtime(ShowtimeDraft(
                cinemaID: cinema.id, studioID: studio.id, movieID: sales.movieID, date: "2026-01-03", time: "19:00",
                basePrice: 40_000), by: admin)
            other = (cinema.id, studio.id, showtime.id)
            let now = sales.clock.now
            let empty = (EntityID.make(), EntityID.make())
            for (id, cinemaID) in [(empty.0, sales.cinemaID), (empty.1, cinema.id)] {
                try sales.execute("""
                    INSERT INTO studios (id, cinema_id, name, layout_spec, seat_count, created_at, updated_at, hlc)
                    VALUES (?, ?, ?, '', 0, ?, ?, '')
                    """, [id, cinemaID, "Empty \(id.suffix(6))", now, now])
            }
            emptyStudios = (empty.0, empty.1)
        }

        /// Every row of every synced table and the change log, as text.
        func snapshot() throws -> [String] {
            try box.writer.read { db in
                var rows: [String] = []
                for table in ["cinemas", "studios", "seats", "movies", "showtimes", "payment_methods", "users", "bookings",
                              "tickets", "change_log"] {
                    rows += try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY rowid").map { "\(table) \($0)" }
                }
                return rows
            }
        }

        func principal(_ actor: OwnershipTable.Actor) -> Principal? {
            switch actor {
            case .anonymous: nil
            case .customer: sales.customer
            case .cashier: sales.cashier
            case .cinemaManager: sales.manager
            case .headOffice: sales.headOffice
            }
        }

        /// Row `name`'s change as `actor` on its own row (`own`: cinema A, or the actor's own
        /// booking) or another's (cinema B, another customer's booking), ready to try (`nil`: the
        /// operation takes a principal, which only a login gives); what it acts on is made first.
        func prepare(_ name: String, as actor: OwnershipTable.Actor, own: Bool) async throws -> (@Sendable () async throws -> Void)? {
            let catalog = box.catalog
            let cinema = own ? sales.cinemaID : other.cinema
            let unique = String(EntityID.make().suffix(8))
            // Every operation but registering takes a principal, which only a login gives.
            let box = box, sales = sales, other = other, emptyStudios = emptyStudios
            guard let principal = principal(actor) else {
                guard name == "users.customer insert" else { return nil }
                return {
                    _ = try await box.accounts.register(name: "Sari", email: "sari-\(unique)@example.com",
                                                        phone: "0812-3456-7890", password: "a-long-password", by: nil)
                }
            }
            if name == "bookings update" || name == "tickets update" {
                // Cancelling a hold changes the booking and releases its tickets.
                let owner = own ? principal : (principal == sales.customer ? sales.otherCustomer : sales.customer)
                let held = try await box.sales.book(showtime: sales.upcoming, seats: ["C2"], for: .me, by: owner)
                return { _ = try await box.sales.cancel(code: held.code, by: principal) }
            }
            return {
                switch name {
                case "cinemas insert":
                    _ = try await catalog.addCinema(CinemaDraft(name: "Cinema \(unique)", city: "Bandung"), by: principal)
                case "cinemas update":
                    _ = try await catalog.editCinema(id: cinema, CinemaChanges(city: "Bogor"), by: principal)
                case "cinemas delete":
                    try await catalog.removeCinema(id: cinema, cancellingShowtimes: true, by: principal)
                case "studios insert", "seats insert":
                    _ = try await catalog.addStudio(cinemaID: cinema, name: "Studio \(unique)", layout: "rows A; seats 1-4", by: principal)
                case "studios update":
                    _ = try await catalog.completeLayout(studioID: own ? emptyStudios.own : emptyStudios.other,
                                                         layout: "rows A; seats 1-4", by: principal)
                case "movies insert":
                    _ = try await catalog.addMovie(MovieDraft(title: "Movie \(unique)", durationMinutes: 100), by: principal)
                case "showtimes insert":
                    _ = try await catalog.addShowtime(ShowtimeDraft(
                        cinemaID: cinema, studioID: own ? sales.studioID : other.studio, movieID: sales.movieID,
                        date: "2026-01-05", time: "10:00", basePrice: 30_000), by: principal)
                case "showtimes update":
                    _ = try await catalog.setPrice(showtimeID: own ? sales.upcoming : other.showtime, basePrice: 35_000, by: principal)
                case "payment_methods update":
                    try await catalog.setPaymentMethod("ovo", enabled: false, by: principal)
                case "users.customer insert":
                    _ = try await box.accounts.register(name: "Sari", email: "sari-\(unique)@example.com",
                                                        phone: "0812-3456-7890", password: "a-long-password", by: principal)
                case "users.staff insert":
                    _ = try await box.accounts.addStaff(name: "Budi", email: "budi-\(unique)@example.com", role: .cashier,
                                                        password: "a-long-password", by: principal)
                case "bookings insert", "tickets insert":
                    // Its own booking is for itself; another's is a walk-in's, whom no customer is.
                    _ = try await box.sales.book(showtime: sales.upcoming, seats: ["C1"], for: own ? .me : .walkIn(name: nil),
                                                 by: principal)
                default:
                    Issue.record("no operation walks \(name)")
                }
            }
        }

        static func outcome(_ change: (@Sendable () async throws -> Void)?) async throws -> Outcome {
            guard let change else { return .needsLogin }
            do {
                try await change()
                return .done
            } catch let AccountError.notAllowed(reason) {
                return .refused(reason)
            } catch let SaleError.notYourBooking(code) {
                return .refused("not your booking \(code)")
            }
        }
    }
}
