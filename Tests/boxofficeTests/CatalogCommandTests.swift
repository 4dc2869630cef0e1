import Foundation
import Testing

struct CatalogCommandTests {
    /// Runs `boxoffice demo` and returns the runner and the demo's cinemas from `cinemas list --json`.
    static func demo() throws -> (CLIRunner, [[String: Any]]) {
        let cli = try CLIRunner()
        let result = try cli.run(["demo"])
        guard result.status == 0 else { throw CLIFailure("demo failed: \(result.stderr)") }
        let cinemas = try cli.json(["cinemas", "list"])["items"] as? [[String: Any]] ?? []
        return (cli, cinemas)
    }

    @Test func demoThenShowtimesListShowsTodaysShowtimes() throws {
        let cli = try CLIRunner()
        let demo = try cli.run(["demo"])
        #expect(demo.status == 0, "\(demo.stderr)")
        #expect(demo.stdout.contains("What to try next"))
        #expect(demo.stdout.contains("password demo-pass-123"))
        #expect(demo.stdout.contains("manager  manager@demo.example"))
        #expect(demo.stdout.contains("cashier  cashier@demo.example"))
        #expect(demo.stdout.contains("Cinema Senayan"))

        let list = try cli.json(["cinemas", "list"])
        #expect(Set(list.keys) == ["items", "page", "limit", "total"])
        #expect(list["total"] as? Int == 3)
        #expect(list["page"] as? Int == 1)
        #expect(list["limit"] as? Int == 20)
        let cinemas = list["items"] as? [[String: Any]] ?? []
        #expect(cinemas.count == 3)
        for cinema in cinemas {
            let id = try #require(cinema["id"] as? String)
            let zone = try #require(cinema["time_zone"] as? String)
            let today = localToday(in: zone)
            let showtimes = try cli.json(["showtimes", "list", "--cinema", id, "--date", today])
            #expect(Set(showtimes.keys) == ["items", "page", "limit", "total"])
            let items = showtimes["items"] as? [[String: Any]] ?? []
            #expect(!items.isEmpty, "no showtimes today at \(cinema["name"] ?? id)")
            #expect(showtimes["total"] as? Int == items.count)
            for item in items {
                #expect((item["id"] as? String)?.count == 36)
                #expect((item["local_starts_at"] as? String)?.hasPrefix(today + "T") == true)
                #expect((item["starts_at"] as? String)?.hasSuffix("Z") == true)
                #expect(item["cinema_id"] as? String == id)
                #expect(item["hlc"] == nil)
            }
        }
    }

    @Test func demoRefusesAnExistingStoreWithoutForce() throws {
        let cli = try CLIRunner()
        #expect(try cli.run(["init"]).status == 0)
        let refused = try cli.run(["demo"])
        #expect(refused.status == 67)
        #expect(refused.stderr.contains("--force"))
        #expect(try cli.json(["cinemas", "list"])["total"] as? Int == 0)

        let forced = try cli.run(["demo", "--force"])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(try cli.json(["cinemas", "list"])["total"] as? Int == 3)
        #expect(try cli.run(["demo"]).status == 67)
    }

    @Test func exitCodesTellNotFoundBadValueConflictAndLoginApart() async throws {
        let (cli, cinemas) = try Self.demo()
        let cinema = try #require(cinemas.first { $0["name"] as? String == "Cinema Senayan" }?["id"] as? String)

        let missing = try cli.run(["cinemas", "show", "01a2139f-0000-7000-8000-000000000000"])
        #expect(missing.status == 66)
        #expect(missing.stderr == "error: no cinema 01a2139f-0000-7000-8000-000000000000\n")
        #expect(try cli.run(["cinemas", "list", "--page", "0"]).status == 65)
        #expect(try cli.run(["showtimes", "list", "--cinema", cinema, "--date", "25/11/2026"]).status == 65)
        #expect(try cli.run(["cinemas", "add", "--name", "X", "--city", "Y"]).status == 77)

        try await cli.logIn()
        let badLayout = try cli.run(["studios", "add", "--cinema", cinema, "--name", "Studio 9", "--layout", "rows A-J"])
        #expect(badLayout.status == 65)
        #expect(badLayout.stderr.contains("seats clause"))
        let taken = try cli.run(["studios", "add", "--cinema", cinema, "--name", "Studio 1", "--layout", "rows A-B; seats 1-4"])
        #expect(taken.status == 67)
        #expect(taken.stderr.contains("already has a studio called Studio 1"))

        // Schedule over a demo showtime: a conflict naming it.
        let day = localToday(in: "Asia/Jakarta")
        let existing = try #require(
            (try cli.json(["showtimes", "list", "--cinema", cinema, "--date", day])["items"] as? [[String: Any]])?.first)
        let localStart = try #require(existing["local_starts_at"] as? String)
        let time = String(localStart.dropFirst(11).prefix(5))
        let clash = try cli.run([
            "showtimes", "add", "--cinema", cinema, "--studio", existing["studio_id"] as! String,
            "--movie", existing["movie_id"] as! String, "--date", day, "--time", time, "--price", "50000",
        ])
        #expect(clash.status == 67)
        #expect(clash.stderr.contains(existing["id"] as! String))
        let negative = try cli.run([
            "showtimes", "add", "--cinema", cinema, "--studio", existing["studio_id"] as! String,
            "--movie", existing["movie_id"] as! String, "--date", day, "--time", "03:00", "--price=-5000",
        ])
        #expect(negative.status == 65)
        #expect(negative.stderr == "error: --price: must not be negative\n")
    }

    @Test func managerAddsEditsAndRemovesACinemaStudioMovieAndShowtime() async throws {
        let (cli, _) = try Self.demo()
        try await cli.logIn()
        let cinema = try cli.json(["cinemas", "add", "--name", "Cinema Malioboro", "--city", "Yogyakarta"])
        let id = try #require(cinema["id"] as? String)
        #expect(cinema["time_zone"] as? String == "Asia/Jakarta")
        let edited = try cli.json(["cinemas", "edit", id, "--address", "Jl. Malioboro 1"])
        #expect(edited["address"] as? String == "Jl. Malioboro 1")
        #expect(try cli.json(["cinemas", "show", id])["name"] as? String == "Cinema Malioboro")

        let studio = try cli.json(["studios", "add", "--cinema", id, "--name", "Studio 1", "--layout", "rows A-E; seats 1-10; aisles after 5; vip E"])
        #expect(studio["seat_count"] as? Int == 50)
        #expect(try cli.json(["studios", "list", "--cinema", id])["total"] as? Int == 1)

        let movie = try cli.json([
            "movies", "add", "--title", "Bumi Manusia Baru", "--duration", "100", "--cast", "A", "--cast", "B",
            "--poster-url", "https://posters.example/bm.jpg",
        ])
        #expect(movie["cast_members"] as? [String] == ["A", "B"])
        #expect(try cli.json(["movies", "list"])["total"] as? Int == 7)

        let showtime = try cli.json([
            "showtimes", "add", "--cinema", id, "--studio", studio["id"] as! String, "--movie", movie["id"] as! String,
            "--date", "2030-01-02", "--time", "19:30", "--price", "40000", "--modifier", "vip=20000",
        ])
        #expect(showtime["local_starts_at"] as? String == "2030-01-02T19:30:00+07:00")
        #expect(showtime["price_modifiers"] as? [String: Int] == ["vip": 20_000])
        let found = try cli.json(["showtimes", "find", "--cinema", id, "--date", "2030-01-02", "--time", "19:30"])
        #expect(found["id"] as? String == showtime["id"] as? String)

        // Issue 15, item 4: a showtime still to come is not left on sale by a removal.
        let refused = try cli.run(["cinemas", "remove", id])
        #expect(refused.status == 67)
        #expect(refused.stderr == "error: Cinema Malioboro has 1 showtime still to come: remove it with --force to cancel it too, or once it has played — nothing was changed\n")
        let forced = try cli.run(["cinemas", "remove", id, "--force"])
        #expect(forced.stdout == "Removed cinema Cinema Malioboro (\(id)); its 1 showtime still to come was cancelled.\n", "\(forced.stderr)")
        #expect(try cli.run(["showtimes", "find", "--cinema", id, "--date", "2030-01-02", "--time", "19:30"]).status == 66)
        #expect(try cli.run(["cinemas", "show", id]).status == 66)
    }

    @Test func paymentMethodsListAndDisable() async throws {
        let (cli, _) = try Self.demo()
        let methods = try cli.json(["payment-methods", "list"])
        #expect(methods["total"] as? Int == 7)
        let codes = (methods["items"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
        #expect(codes == ["cash", "debit_card", "credit_card", "qris", "gopay", "ovo", "virtual_account"])
        #expect(try cli.run(["payment-methods", "disable", "ovo"]).status == 77)
        try await cli.logIn()
        let disabled = try cli.json(["payment-methods", "disable", "ovo"])
        #expect(disabled["enabled"] as? Bool == false)
        #expect(try cli.json(["payment-methods", "list", "--enabled-only"])["total"] as? Int == 6)
        #expect(try cli.run(["payment-methods", "enable", "bitcoin"]).status == 66)
    }
}
