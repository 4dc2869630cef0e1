import BoxOfficeKit
import Foundation
import GRDB
import Testing

/// Issue 16, the CLI at a real counter: each bullet of the issue, tried as a cashier would, on the
/// demo store (three cinemas; Kuta is in Asia/Makassar). Sales are made tomorrow, whose showtimes
/// have all still to start.
struct CounterCommandTests {
    let cli: CLIRunner
    let tomorrow: String

    init() throws {
        cli = try CLIRunner()
        let demo = try cli.run(["demo"])
        guard demo.status == 0 else { throw CLIFailure("demo failed: \(demo.stderr)") }
        tomorrow = localDay(in: "Asia/Jakarta", daysFromToday: 1)
    }

    /// Tomorrow's showtimes of a cinema as `showtimes list --json` gives them.
    func showtimes(_ cinema: String, on day: String? = nil) throws -> [[String: Any]] {
        try cli.json(["showtimes", "list", "--cinema", cinema, "--date", day ?? tomorrow])["items"] as? [[String: Any]] ?? []
    }

    // MARK: ids and lookups

    @Test func cinemasStudiosMoviesAndMethodsAreNamedNotCopied() async throws {
        // A name in any case, a prefix of a word of it; an ambiguous one lists the candidates.
        for name in ["Cinema Braga", "cinema braga", "braga", "BRA"] {
            #expect(try cli.json(["cinemas", "show", name])["name"] as? String == "Cinema Braga", "\(name)")
        }
        let ambiguous = try cli.run(["showtimes", "list", "--cinema", "cinema"])
        #expect(ambiguous.status == 65)
        #expect(ambiguous.stderr == "error: \"cinema\" could be any of these cinemas: Cinema Braga (Bandung); "
            + "Cinema Kuta (Badung, Bali); Cinema Senayan (Jakarta) — type more of the one you mean\n")
        let none = try cli.run(["showtimes", "list"])
        #expect(none.status == 65)
        #expect(none.stderr == "error: this store has 3 cinemas (Cinema Braga, Cinema Kuta, Cinema Senayan): name the one you mean\n")

        // An id prefix works once it is unambiguous (UUIDv7 ids made together share 13 characters).
        let braga = try cli.json(["cinemas", "show", "braga"])
        let id = try #require(braga["id"] as? String)
        #expect(try cli.json(["cinemas", "show", String(id.prefix(30))])["id"] as? String == id)
        #expect(try cli.json(["cinemas", "show", id.uppercased()])["id"] as? String == id)
        #expect(try cli.run(["cinemas", "show", "nowhere"]).status == 66)

        #expect(try cli.json(["studios", "show", "studio 2", "--cinema", "braga"])["name"] as? String == "Studio 2")
        let studios = try cli.run(["studios", "show", "Studio 1"])
        #expect(studios.status == 65, "three cinemas have a Studio 1")
        #expect(studios.stderr.contains("Studio 1 at Cinema Braga; Studio 1 at Cinema Kuta; Studio 1 at Cinema Senayan"))

        try await cli.logIn()
        let movie = try cli.json(["showtimes", "add", "--cinema", "kuta", "--studio", "studio 1", "--movie", "ekspedisi",
                                  "--date", "2030-01-02", "--time", "09:00", "--price", "50000"])
        #expect(movie["movie_title"] as? String == "Ekspedisi Krakatau")
        #expect(movie["handle"] as? String == "09:00/1")
        #expect(try cli.json(["payment-methods", "disable", "OVO"])["code"] as? String == "ovo")
        #expect(try cli.json(["payment-methods", "enable", "Debit"])["code"] as? String == "debit_card")
    }

    @Test func aCashierSellsByHandleAndRangeAndTheCountersOwnCinemaIsTheDefault() async throws {
        try await cli.logIn(email: DemoData.cashierEmail, password: DemoData.cashierPassword)
        let list = try cli.run(["showtimes", "list", "--cinema", "Braga", "--date", tomorrow])
        #expect(list.stdout.hasPrefix("Cinema Braga, \(tomorrow) (Asia/Jakarta)\nHANDLE   START  END "))
        #expect(list.stdout.contains("10:00/1  10:00  "), "Studio 1 opens every day at 10:00")
        #expect(!list.stdout.contains(try #require(showtimes("Braga").first?["id"] as? String)), "no UUID to copy")

        let sold = try cli.run(["sell", "10:00/1", "B1-B3", "C7", "--cinema", "braga", "--date", tomorrow, "--method", "Cash"])
        #expect(sold.status == 0, "\(sold.stderr)")
        #expect(sold.stdout.split(separator: "\n").last == "Sold B1 B2 B3 C7 for Rp 180.000. Receipt: boxoffice receipt "
            + sold.stdout.prefix(11))
        let byName = try cli.json(["sell", "10:00/studio 1", "D1", "--cinema", "braga", "--date", tomorrow, "--method", "qr",
                                   "--ref", "QR-1"])
        #expect(byName["payment_method"] as? String == "qris")
        let map = try cli.json(["seats", "10:00/1", "--cinema", "braga", "--date", tomorrow])
        let taken = (map["seats"] as? [[String: Any]] ?? []).filter { $0["state"] as? String == "sold" }.compactMap { $0["label"] as? String }
        #expect(Set(taken) == ["B1", "B2", "B3", "C7", "D1"])
        let badRange = try cli.run(["sell", "10:00/1", "B3-A1", "--cinema", "braga", "--date", tomorrow, "--method", "cash"])
        #expect(badRange.status == 65)
        #expect(badRange.stderr == "error: seats: \"B3-A1\" is not a seat or a range of one row like A1-A20\n")
        let noSuch = try cli.run(["sell", "09:59", "A1", "--cinema", "braga", "--date", tomorrow, "--method", "cash"])
        #expect(noSuch.status == 66)
        #expect(noSuch.stderr == "error: no showtime starts at 09:59 on \(tomorrow) at Cinema Braga\n")

        // A counter's store has its own cinema only: no --cinema at all.
        try await cli.logIn()
        #expect(try cli.run(["cinemas", "remove", "kuta", "--force"]).status == 0)
        #expect(try cli.run(["cinemas", "remove", "senayan", "--force"]).status == 0)
        try await cli.logIn(email: DemoData.cashierEmail, password: DemoData.cashierPassword)
        #expect(try cli.run(["showtimes", "list", "--date", tomorrow]).stdout.hasPrefix("Cinema Braga, "))
        let mine = try cli.run(["sell", "10:30/2", "A3", "--date", tomorrow, "--method", "cash"])
        #expect(mine.status == 0, "\(mine.stderr)")
    }

    // MARK: time

    @Test func showtimesListTellsTheMoviesEndAndMarksTheNextDay() async throws {
        try await cli.logIn()
        let movie = try cli.json(["movies", "add", "--title", "Malam Panjang", "--duration", "133"])
        let late = try cli.json(["showtimes", "add", "--cinema", "braga", "--studio", "1", "--movie", "malam",
                                 "--date", "2030-01-02", "--time", "22:45", "--price", "50.000"])
        #expect(late["movie_id"] as? String == movie["id"] as? String)
        #expect(late["local_movie_ends_at"] as? String == "2030-01-03T00:58:00+07:00")
        #expect(late["local_ends_at"] as? String == "2030-01-03T01:13:00+07:00", "the studio's end keeps its cleaning time")
        let list = try cli.run(["showtimes", "list", "--cinema", "braga", "--date", "2030-01-02"])
        #expect(list.stdout.contains("22:45/1  22:45  00:58 +1  Studio 1  Malam Panjang  Rp 50.000"), "\(list.stdout)")
    }

    @Test func timesPeopleReadAreLocalAndMarkedWhileJSONKeepsUTC() async throws {
        try await cli.logIn(email: DemoData.cashierEmail, password: DemoData.cashierPassword)
        let held = try cli.run(["book", "10:00/1", "E5", "--cinema", "kuta", "--date", localDay(in: "Asia/Makassar", daysFromToday: 1),
                                "--walk-in"])
        #expect(held.status == 0, "\(held.stderr)")
        let code = String(held.stdout.prefix(11))
        let booking = try cli.json(["cancel", code])
        let expiry = try #require((booking["hold_expires_at"] as? String).flatMap { ISO8601DateFormatter().date(from: $0) })
        #expect((booking["hold_expires_at"] as? String)?.hasSuffix("Z") == true)
        let local = LocalDateTime(expiry, timeZone: TimeZone(identifier: "Asia/Makassar")!)
        #expect(held.stdout.contains("until \(local) (Asia/Makassar)."), "\(held.stdout)")

        // Chain-wide times (three cinemas here) are in the machine's zone, marked.
        let machine = ["TZ": "Asia/Jayapura"]
        let register = try cli.run(["register", "--name", "Ayu", "--email", "ayu@example.com", "--phone", "081234567890",
                                    "--password-stdin"], stdin: "ayu-password-1\n", environment: ["BOXOFFICE_SMTP_URL": ""])
        #expect(register.status == 0, "\(register.stderr)")
        try await cli.logIn(email: DemoData.managerEmail, password: DemoData.managerPassword)
        let mail = try cli.run(["mail", "list"], environment: machine)
        #expect(mail.stdout.contains("NEXT TRY / SENT (Asia/Jayapura)"))
        #expect(!mail.stdout.contains("Z "), "no UTC times for people")

        var lockout = CLIRunner.Result(status: 0, stdout: "", stderr: "")
        for _ in 1...5 {
            lockout = try cli.run(["login", "--email", "ayu@example.com", "--password-stdin"], stdin: "wrong-password-9\n",
                                  environment: machine)
        }
        #expect(lockout.status == 77)
        #expect(lockout.stderr.hasPrefix("error: too many failed logins: this account is locked until "))
        #expect(lockout.stderr.hasSuffix(" (Asia/Jayapura)\n"))
        #expect(lockout.stderr.split(separator: "\n").count == 1, "no log line before the error: \(lockout.stderr)")
    }

    @Test func conflictsPrintLocalTimesAndTheirJSONHasDatesAndDetailsAsAnObject() throws {
        let id = EntityID.make()
        let queue = try DatabaseQueue(path: cli.storePath)
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO sync_conflicts (id, kind, entity, entity_id, seat_before, seat_after, reason, details, created_at)
                VALUES (?, 'reseated', 'tickets', ?, 'F12', 'F14', 'seat F12 was taken; moved to F14',
                        '{"node_side": {"seat": "F12"}, "central_side": null}', '2026-12-01 08:29:34.322')
                """, arguments: [id, EntityID.make()])
        }
        try queue.close()
        let list = try cli.json(["conflicts"])
        #expect(list["limit"] is NSNull, "an unpaged list says so")
        let conflict = try #require((list["items"] as? [[String: Any]])?.first)
        #expect(conflict["created_at"] as? String == "2026-12-01T08:29:34Z")
        #expect((conflict["details"] as? [String: Any])?["node_side"] as? [String: String] == ["seat": "F12"])
        let table = try cli.run(["conflicts"], environment: ["TZ": "Asia/Jakarta"])
        #expect(table.stdout.contains("WHEN (Asia/Jakarta)"))
        #expect(table.stdout.contains("2026-12-01 15:29"))
    }

    // MARK: the seat map and receipts

    @Test func theSeatMapNeedsNoColourToTellStatesAndKindsAndSellsCouplesInPairs() async throws {
        try await cli.logIn(email: DemoData.cashierEmail, password: DemoData.cashierPassword)
        let pair = try cli.json(["sell", "10:00/1", "J5", "--cinema", "braga", "--date", tomorrow, "--method", "cash"])
        #expect(pair["seats"] as? [String] == ["J5", "J6"], "a couple seat is sold with its partner")
        #expect(pair["total"] as? Int == 2 * 85_000)
        let kuta = localDay(in: "Asia/Makassar", daysFromToday: 1)
        let alone = try cli.json(["sell", "10:00/1", "H3", "--cinema", "kuta", "--date", kuta, "--method", "cash"])
        #expect(alone["seats"] as? [String] == ["H3"], "H3 stands alone between the wall and an aisle")
        #expect(try cli.run(["book", "10:00/1", "A5", "--cinema", "braga", "--date", tomorrow, "--walk-in"]).status == 0)

        let map = try cli.json(["seats", "10:00/1", "--cinema", "braga", "--date", tomorrow])
        let seats = map["seats"] as? [[String: Any]] ?? []
        #expect(seats.first { $0["label"] as? String == "J7" }?["paired_with"] as? String == "J8")
        #expect(seats.first { $0["label"] as? String == "A5" }?["paired_with"] is NSNull)

        // On a terminal, with colour: every state still has its own mark.
        let coloured = try cli.runOnTerminal(["seats", "10:00/1", "--cinema", "braga", "--date", tomorrow])
        #expect(coloured.status == 0, "\(coloured.stdout)")
        #expect(coloured.stdout.contains("\u{1B}[31mXX\u{1B}[0m"), "sold is XX, in red as well")
        #expect(coloured.stdout.contains("\u{1B}[33mHH\u{1B}[0m"), "held is HH, in yellow as well")
        let plain = try cli.run(["seats", "10:00/1", "--cinema", "braga", "--date", tomorrow])
        let lines = plain.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("J  C 1=C 2 C 3=C 4     CXX=CXX C 7=C 8") }, "\(plain.stdout)")
        #expect(lines.contains { $0.hasPrefix("A  W 1 W 2   3   4      HH   6") }, "\(plain.stdout)")
        #expect(lines.contains { $0.hasPrefix("F  V 1 V 2") })
        #expect(plain.stdout.contains("Kinds:  no mark regular  V vip  W wheelchair  C couple (C 1=C 2 is a pair, sold together)"))
    }

    @Test func receiptsWrapLongLinesInsteadOfCuttingThem() async throws {
        try await cli.logIn(email: DemoData.cashierEmail, password: DemoData.cashierPassword)
        let sale = try cli.run(["sell", "10:00/1", "E7", "--cinema", "kuta", "--date", localDay(in: "Asia/Makassar", daysFromToday: 1),
                                "--method", "cash", "--name", "Ni Luh Putu Ayu Kusumawardhani Saraswati Dewi"])
        #expect(sale.status == 0, "\(sale.stderr)")
        let receipt = try cli.run(["receipt", String(sale.stdout.prefix(11))])
        let lines = receipt.stdout.split(separator: "\n").map(String.init)
        #expect(lines.allSatisfy { $0.count <= 42 }, "\(receipt.stdout)")
        #expect(receipt.stdout.contains("(Asia/Makassar)"), "the zone is not cut: \(receipt.stdout)")
        #expect(receipt.stdout.contains("Saraswati") && receipt.stdout.contains("Dewi"), "the name is wrapped whole")
        let json = try cli.json(["receipt", String(sale.stdout.prefix(11))])
        #expect((json["id"] as? String)?.count == 36)
        #expect((json["local_sold_at"] as? String)?.hasSuffix("+08:00") == true)
        #expect(json["payment_method"] as? String == "cash" && json["payment_method_name"] as? String == "Cash")
    }

    @Test func moneyIsTypedAsItIsPrintedAndErrorsNameTheOptions() async throws {
        try await cli.logIn()
        let priced = try cli.json(["showtimes", "add", "--cinema", "braga", "--studio", "2", "--movie", "ekspedisi",
                                   "--date", "2030-01-02", "--time", "08:00", "--price", "Rp 50.000", "--modifier", "vip=25.000"])
        #expect(priced["base_price"] as? Int == 50_000)
        #expect(priced["price_modifiers"] as? [String: Int] == ["vip": 25_000])
        let fraction = try cli.run(["showtimes", "price", "08:00/2", "--cinema", "braga", "--date", "2030-01-02", "--price", "50.5"])
        #expect(fraction.status == 64)
        #expect(fraction.stderr == "error: The value '50.5' is invalid for '--price <price>': use a whole number of rupiah like "
            + "50000 or 50.000 (see `boxoffice showtimes price --help`)\n")
        let duration = try cli.run(["movies", "add", "--title", "Kosong", "--duration", "0"])
        #expect(duration.stderr == "error: --duration: must be between 1 and 600 minutes\n")
        #expect(try cli.json(["showtimes", "price", "08:00/2", "--cinema", "braga", "--date", "2030-01-02", "--price", "42.500"])["base_price"]
            as? Int == 42_500)
    }

    @Test func everyCommandsJSONKeepsItsSchema() async throws {
        // Each --json output below is checked against schemas/json by CLIRunner (JSONSchemas).
        let demo = try CLIRunner()
        #expect(try demo.run(["demo", "--json"]).status == 0)
        try await cli.logIn()
        let reads = [["cinemas", "list"], ["cinemas", "show", "kuta"], ["studios", "list", "--cinema", "kuta"],
                     ["studios", "show", "1", "--cinema", "kuta"], ["movies", "list", "--limit", "2"], ["payment-methods", "list"],
                     ["showtimes", "list", "--cinema", "kuta", "--date", tomorrow],
                     ["showtimes", "find", "--cinema", "kuta", "--date", tomorrow, "--time", "10:00"],
                     ["seats", "10:00/1", "--cinema", "kuta", "--date", tomorrow], ["users", "list"], ["whoami"], ["mail", "list"],
                     ["sync", "status"], ["conflicts"], ["bookings"]]
        for arguments in reads {
            let result = try cli.run(arguments + ["--json"])
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
        }
        let staff = try cli.run(["users", "add-staff", "--email", "rina@example.com", "--name", "Rina", "--role", "cashier",
                                 "--password-stdin", "--json"], stdin: "rina-password-1\n")
        #expect(staff.status == 0, "\(staff.stderr)")
        let register = try cli.run(["register", "--name", "Dewi", "--email", "dewi@example.com", "--phone", "081234567890",
                                    "--password-stdin", "--json"], stdin: "dewi-password-1\n", environment: ["BOXOFFICE_SMTP_URL": ""])
        #expect(register.status == 0, "\(register.stderr)")
        let sold = try cli.json(["sell", "10:00/1", "C3", "--cinema", "kuta", "--date", tomorrow, "--method", "cash"])
        #expect(sold["sold_hlc"] == nil && sold["payment_method"] as? String == "cash")
        #expect(try cli.run(["receipt", sold["code"] as! String, "--json"]).status == 0)
        #expect(try cli.run(["logout", "--json"]).stdout.contains("\"logged_out\" : true"))
        #expect(try cli.run(["logout", "--json"]).stdout.contains("\"logged_out\" : false"))
    }

    // MARK: feedback

    @Test func everyErrorIsOneLineInOneStyle() throws {
        for arguments in [["sell"], ["sell", "10:00/1", "A1"], ["showtimes", "list", "--colour"], ["bookings", "--limit", "x"], ["nonsense"]] {
            let result = try cli.run(arguments)
            #expect(result.status == 64, "\(arguments)")
            #expect(result.stderr.hasPrefix("error: ") && result.stderr.split(separator: "\n").count == 1, "\(arguments): \(result.stderr)")
            #expect(!result.stderr.contains("Usage:") && !result.stderr.contains("Error:"))
        }
        #expect(try cli.run(["sell"]).stderr == "error: Missing expected argument '<showtime>' (see `boxoffice sell --help`)\n")
        let help = try cli.run(["sell", "--help"])
        #expect(help.status == 0 && help.stdout.contains("USAGE: boxoffice sell"))
    }
}

/// A local date in a time zone, `YYYY-MM-DD`, some days from today.
func localDay(in zone: String, daysFromToday days: Int) -> String {
    LocalDateTime(Date().addingTimeInterval(TimeInterval(days) * 86_400), timeZone: TimeZone(identifier: zone)!).date
}
