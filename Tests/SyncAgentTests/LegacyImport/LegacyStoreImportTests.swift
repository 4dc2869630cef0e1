import Foundation
import GRDB
import Testing
import TestSupport
@testable import BoxOfficeKit
@testable import SyncAgent

/// `boxoffice import-legacy` into a store, from a realistic old database (``LegacyDatabase``): every
/// mapping rule of issue 17, checked on the store's rows and through the kit's own operations.
@Suite(.enabled(if: TestPostgres.isAvailable, "needs the PostgreSQL server started by scripts/test.sh"))
struct LegacyStoreImportTests {
    let fixture: LegacyImportFixture

    init() throws {
        fixture = try LegacyImportFixture()
    }

    @Test func theReportCountsEveryOldTable() async throws {
        let report = try await fixture.importIntoStore()
        let expected: [String: (read: Int, imported: Int, skipped: Int)] = [
            "users": (4, 3, 1), "sessions": (6, 0, 6), "cinemas": (2, 2, 0), "studios": (4, 4, 0), "seats": (20, 19, 1),
            "movies": (3, 3, 0), "showtimes": (7, 7, 0), "payment_methods": (4, 4, 0), "booking_seats": (11, 10, 1),
        ]
        #expect(report.tables.map(\.name) == LegacyImportReport.tableNames)
        for table in report.tables {
            let counts = try #require(expected[table.name])
            #expect((table.read, table.imported, table.skippedCount) == counts, "\(table.name)")
            #expect(table.alreadyImported == 0)
        }
        #expect(report.cardDataDropped == 7)
        #expect(report.timeZone == "Asia/Jakarta" && report.cinemaTimeZone == "Asia/Jakarta")
        #expect(report.table("users")?.skipped.first?.legacyIDs == [33])
        #expect(report.table("seats")?.skipped.first?.reason == "removed in the old system")
        #expect(report.table("booking_seats")?.skipped.first?.legacyIDs == [77])
        #expect(report.table("sessions")?.skipped.first?.reason.contains("never imported") == true)
        #expect(report.text.contains("users") && report.text.contains("Card data dropped from 7 old bookings"))
    }

    @Test func accountsKeepTheirBcryptHashAndVerifiedFlagAndLogInOnceVerified() async throws {
        try await fixture.importIntoStore()
        let dewiID = try await fixture.id(.users, 17), budiID = try await fixture.id(.users, 26)
        let dewi = try #require(try await fixture.row("users", dewiID))
        #expect(dewi["email"] == "dewi@gmail.com")
        #expect(dewi["name"] == "dewi")
        #expect(dewi["role"] == "customer")
        let hash: String? = dewi["password_hash"]
        #expect(hash == LegacyDatabase.hashes[17])
        #expect(hash?.hasPrefix("$2a$14$") == true)
        #expect(dewi["phone"] == "+6281234567890")
        #expect(dewi["verified_at"] as Date? == LegacyImportFixture.jakarta(LegacyDatabase.jakarta(days: -40, at: "09:20:03.500000")))
        let budi = try #require(try await fixture.row("users", budiID))
        #expect(budi["name"] == "budi", "the username is trimmed")
        #expect(budi["phone"] == "+628567891234", "the phone's trailing newline is gone")
        #expect(budi["verified_at"] as Date? == nil)
        // Dewi@Gmail.com differs from dewi@gmail.com only by case: one account, and the report says so.
        #expect(try await fixture.id(.users, 31) == dewiID)
        #expect(try await fixture.box.legacyImport.newID(of: .users, legacyID: 33) == nil)

        // The verified account logs in with the old password, and its hash becomes yescrypt.
        let session = try await fixture.box.accounts.login(email: "Dewi@gmail.com", password: LegacyDatabase.passwords[17]!)
        #expect(session.user.id == dewiID)
        let rehashed: String? = try await fixture.row("users", dewiID)?["password_hash"]
        #expect(rehashed?.hasPrefix("$y$") == true)

        // The unverified one is refused until it verifies by code.
        await #expect(throws: AccountError.notVerified(email: "budi@yahoo.com")) {
            try await fixture.box.accounts.login(email: "budi@yahoo.com", password: LegacyDatabase.passwords[26]!)
        }
        let mail = try #require(try await fixture.box.accounts.resendCode(email: "budi@yahoo.com")).mailID
        let text = try await fixture.box.read { db -> String in
            let row = try #require(try Row.fetchOne(db, sql: "SELECT message_id, sealed_body FROM mail_outbox WHERE id = ?", arguments: [mail]))
            return try SealedBody.opened(row["sealed_body"], messageID: row["message_id"], key: LocalSecret.mailKey.key(db)).text
        }
        let verified = try await fixture.box.accounts.verify(email: "budi@yahoo.com", code: try SMTPSink.code(in: text))
        #expect(verified.user.id == budiID && verified.user.isVerified)
    }

    @Test func cinemasStudiosAndSeatsFollowTheForeignKeysAndMakeADrawableGrid() async throws {
        try await fixture.importIntoStore()
        let grand = try await fixture.id(.cinemas, 1), pim = try await fixture.id(.cinemas, 2)
        let cinema = try #require(try await fixture.row("cinemas", grand))
        #expect(cinema["name"] == "Grand Indonesia XXI")
        #expect(cinema["time_zone"] == "Asia/Jakarta")
        #expect(cinema["city"] == "Jakarta")
        #expect(cinema["address"] == "Jl. M.H. Thamrin No.1, Menteng, Jakarta Pusat")
        // Studio 2 is cinema 1's, although 2 is also cinema 2's id.
        #expect(try await fixture.row("studios", try await fixture.id(.studios, 2))?["cinema_id"] == grand)
        #expect(try await fixture.row("studios", try await fixture.id(.studios, 4))?["cinema_id"] == pim)

        let studio1 = try await fixture.catalogStudio(1)
        #expect(studio1.layoutSpec == "rows A-B; seats 1-3" && studio1.seatCount == 6)
        #expect(try SeatLayout(parsing: studio1.layoutSpec).seats.count == 6)
        let a3 = try #require(try await fixture.row("seats", try await fixture.id(.seats, 3)))
        #expect(a3["label"] == "A3")
        #expect(a3["row_label"] == "A")
        #expect(a3["number"] == 3)
        #expect(a3["kind"] == "regular")
        #expect(a3["grid_row"] == 0)
        #expect(a3["grid_column"] == 2)
        #expect(try await fixture.row("seats", try await fixture.id(.seats, 4))?["grid_row"] == 1)

        // Studio 4's old seats leave a gap (no A3); its second A1 names the first.
        let studio4 = try await fixture.catalogStudio(4)
        #expect(studio4.layoutSpec == "rows A-B; seats 1-4" && studio4.seatCount == 4)
        let seats = try await fixture.box.catalog.seats(studioID: studio4.id)
        #expect(seats.map(\.label) == ["A1", "A2", "A4", "B1"])
        #expect(seats.first { $0.label == "A4" }?.gridColumn == 3)
        #expect(try await fixture.id(.seats, 22) == seats[0].id)
        #expect(try await fixture.box.legacyImport.newID(of: .seats, legacyID: 21) == nil, "a soft-deleted seat is skipped")

        // Studio 3 has no seats: imported without a layout, its showtime kept but not on sale.
        let studio3 = try await fixture.catalogStudio(3)
        #expect(studio3.seatCount == 0 && studio3.layoutSpec == "")
    }

    @Test func showtimesAreReadInJakartaAndNeverRoundAPrice() async throws {
        let report = try await fixture.importIntoStore()
        let first = try await fixture.box.catalog.showtime(id: try await fixture.id(.showtimes, 1))
        let start = LegacyImportFixture.jakarta(LegacyDatabase.jakarta(days: -10, at: "17:38:00"))
        #expect(first.startsAt == start && first.localStart.time == "17:38")
        #expect(first.endsAt == start.addingTimeInterval((149 + 15) * 60), "start + running time + cleaning, not the old end_time")
        #expect(first.basePrice == 50_000 && !first.priceNeeded && first.status == .scheduled)
        #expect(first.cinemaID == (try await fixture.id(.cinemas, 1)))
        // Showtime 2 plays in studio 2, so in cinema 1; its seconds are kept.
        let second = try await fixture.box.catalog.showtime(id: try await fixture.id(.showtimes, 2))
        #expect(second.cinemaID == (try await fixture.id(.cinemas, 1)))
        #expect(abs(second.startsAt.timeIntervalSince(LegacyImportFixture.jakarta(LegacyDatabase.jakarta(days: -9, at: "17:38:31.683841")))) < 0.001)
        // 42500.50 is not rounded: the showtime waits for its price, its paid booking is kept.
        let fraction = try await fixture.box.catalog.showtime(id: try await fixture.id(.showtimes, 4))
        #expect(fraction.priceNeeded && fraction.basePrice == 0)
        #expect(report.table("showtimes")?.notes.contains { $0.legacyID == 4 && $0.text.contains("42500.50") } == true)
        #expect(try await fixture.row("bookings", try await fixture.id(.bookings, 76))?["status"] == "paid")
        // A soft-deleted showtime is cancelled; one overlapping an earlier showtime of its studio too.
        #expect(try await fixture.box.catalog.showtime(id: try await fixture.id(.showtimes, 6)).status == .cancelled)
        #expect(try await fixture.box.catalog.showtime(id: try await fixture.id(.showtimes, 7)).status == .cancelled)
        #expect(report.table("showtimes")?.notes.contains { $0.legacyID == 7 && $0.text.contains("overlaps") } == true)
        // Movies: director, cast names, the soft-deleted one removed.
        let movie = try await fixture.box.catalog.movie(id: try await fixture.id(.movies, 1))
        #expect(movie.director == "Anthony Russo" && movie.castMembers == ["Robert Downey Jr.", "Chris Hemsworth"])
        #expect(movie.durationMinutes == 149 && movie.releaseDate == "2018-04-27" && movie.genre == "Action")
        #expect(try await fixture.row("movies", try await fixture.id(.movies, 3))?["deleted_at"] as Date? != nil)
    }

    @Test func paymentMethodsAndBookingsFollowTheRules() async throws {
        let report = try await fixture.importIntoStore()
        #expect(try await fixture.id(.paymentMethods, 1) == "00000000-0000-7000-8000-000000000003")
        #expect(try await fixture.id(.paymentMethods, 2) == "00000000-0000-7000-8000-000000000005")
        #expect(try await fixture.id(.paymentMethods, 3) == "00000000-0000-7000-8000-000000000007")
        let dana = try #require(try await fixture.row("payment_methods", try await fixture.id(.paymentMethods, 4)))
        #expect(dana["code"] == "dana")
        #expect(dana["enabled"] == false)

        let dewi = try await fixture.id(.users, 17)
        func booking(_ id: Int64) async throws -> (row: StoredRow, ticket: StoredRow) {
            let bookingID = try await fixture.id(.bookings, id)
            let row = try #require(try await fixture.row("bookings", bookingID))
            let ticket = try #require(try await fixture.row("tickets", try await fixture.id(.tickets, id)))
            let owner: String? = ticket["booking_id"]
            #expect(owner == bookingID)
            return (row, ticket)
        }
        let paid = try await booking(65)
        #expect(paid.row["code"] == "OLD-65")
        #expect(paid.row["status"] == "paid")
        #expect(paid.row["user_id"] == dewi)
        #expect(paid.row["payment_method_id"] == "00000000-0000-7000-8000-000000000005")
        #expect(paid.row["total"] == 50_000)
        #expect(paid.row["sold_at"] as Date? == LegacyImportFixture.jakarta(LegacyDatabase.jakarta(days: -11, at: "16:55:42.870000")))
        #expect(paid.row["payment_reference"] as String? == nil)
        #expect(paid.ticket["status"] == "active")
        // The later of two bookings of one seat keeps its payment and gets a refund-required record.
        let duplicate = try await booking(70)
        #expect(duplicate.row["status"] == "paid")
        #expect(duplicate.ticket["status"] == "released")
        let duplicateID: String? = duplicate.row["id"]
        let conflict = try #require(try await fixture.box.replica.conflicts().first { $0.bookingID == duplicateID })
        #expect(conflict.kind == .refundRequired)
        #expect(conflict.seatBefore == "A3")
        #expect(conflict.reason.contains("OLD-65"))
        #expect(report.table("booking_seats")?.notes.contains { $0.legacyID == 70 && $0.text.contains("refund required") } == true)
        // A walk-in, an expired pending one, a fresh hold, a merged account's, a deleted account's.
        #expect(try await booking(71).row["user_id"] as String? == nil)
        let expired = try await booking(72)
        #expect(expired.row["status"] == "expired")
        #expect(expired.ticket["status"] == "released")
        #expect(try await booking(73).row["user_id"] == dewi)
        let held = try await booking(74)
        #expect(held.row["status"] == "held")
        #expect(held.ticket["status"] == "active")
        let until = try #require(held.row["hold_expires_at"] as Date?)
        #expect(until > Date() && until < Date().addingTimeInterval(11 * 60))
        let anonymous = try await booking(75)
        #expect(anonymous.row["user_id"] as String? == nil)
        #expect(anonymous.row["customer_email"] as String? == nil)
        // An unpaid booking of a seat already sold ends expired.
        let lost = try await booking(78)
        #expect(lost.row["status"] == "expired")
        #expect(lost.ticket["status"] == "released")

        // The seat maps show the imported sales; the old global is_available flag means nothing.
        let past = try await fixture.box.sales.seatMap(showtime: try await fixture.id(.showtimes, 1))
        let pastStates: [String: SeatState] = Dictionary(uniqueKeysWithValues: past.seats.map { ($0.label, $0.state) })
        let expectedPast: [String: SeatState] = ["A1": .free, "A2": .free, "A3": .sold, "B1": .sold, "B2": .free, "B3": .free]
        #expect(pastStates == expectedPast)
        let soon = try await fixture.box.sales.seatMap(showtime: try await fixture.id(.showtimes, 5))
        let soonStates: [String: SeatState] = Dictionary(uniqueKeysWithValues: soon.seats.map { ($0.label, $0.state) })
        let expectedSoon: [String: SeatState] = ["A1": .sold, "A2": .held, "A3": .free, "B1": .free, "B2": .sold, "B3": .free]
        #expect(soonStates == expectedSoon)
    }

    @Test func showtimesWaitingForAPriceOrALayoutGoOnSaleOnceAManagerCompletesThem() async throws {
        try await fixture.importIntoStore()
        _ = try await fixture.box.accounts.createFirstManager(name: "Manager", email: "manager@example.com", password: "manager-pass-1")
        let manager = try await fixture.box.accounts.login(email: "manager@example.com", password: "manager-pass-1").principal
        let priced = try await fixture.id(.showtimes, 4), unlaid = try await fixture.id(.showtimes, 3)
        await #expect(throws: SaleError.priceNeeded(priced)) {
            try await fixture.box.sales.sell(showtime: priced, seats: ["A2"], method: "cash", by: manager)
        }
        await #expect(throws: SaleError.layoutNeeded(studio: "Studio 1")) {
            try await fixture.box.sales.sell(showtime: unlaid, seats: ["A1"], method: "cash", by: manager)
        }
        let showtime = try await fixture.box.catalog.setPrice(showtimeID: priced, basePrice: 42_500, by: manager)
        #expect(!showtime.priceNeeded)
        #expect(try await fixture.box.sales.sell(showtime: priced, seats: ["A2"], method: "cash", by: manager).total == 42_500)
        let studio = try await fixture.catalogStudio(3)
        _ = try await fixture.box.catalog.completeLayout(studioID: studio.id, layout: "rows A-C; seats 1-8", by: manager)
        #expect(try await fixture.box.sales.sell(showtime: unlaid, seats: ["A1"], method: "cash", by: manager).total == 50_000)
        await #expect(throws: CatalogError.studioHasLayout("Studio 1")) {
            try await fixture.box.catalog.completeLayout(studioID: studio.id, layout: "rows A-B; seats 1-2", by: manager)
        }
    }

    @Test func rowsAreJournalledWithTheSamePayloadsHeadOfficeTakes() async throws {
        let plan = try await fixture.box.legacyImport.plan(try fixture.snapshot(), options: LegacyImportOptions())
        try await fixture.box.legacyImport.apply(plan.batch)
        let logged = try await fixture.box.read { db in
            Dictionary(try Row.fetchAll(db, sql: "SELECT entity, entity_id, payload FROM change_log WHERE operation = 'insert'")
                .map { ("\($0["entity"] as String)/\($0["entity_id"] as String)", $0["payload"] as String) },
                uniquingKeysWith: { first, _ in first })
        }
        let changes = try #require(try JSONSerialization.jsonObject(with: Data(plan.batch.headOfficeChanges().utf8)) as? [[String: Any]])
        var compared = 0
        for change in changes where change["entity"] as? String != "legacy_ids" {
            var pairs = [(change["entity"] as! String, change["entity_id"] as! String, change["payload"] as! [String: Any])]
            for ticket in change["tickets"] as? [[String: Any]] ?? [] {
                pairs.append(("tickets", ticket["entity_id"] as! String, ticket["payload"] as! [String: Any]))
            }
            for (entity, id, payload) in pairs {
                let text = try #require(logged["\(entity)/\(id)"], "\(entity) \(id) is journalled")
                var journalled = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
                #expect(journalled.removeValue(forKey: "hlc") != nil)
                // The store settles these against its rows (a taken seat, an overlap); the keys are the same.
                for key in ["status", "sold_hlc"] where journalled[key] != nil { journalled[key] = payload[key] }
                #expect(NSDictionary(dictionary: journalled).isEqual(to: payload), "\(entity) \(id)")
                compared += 1
            }
        }
        #expect(compared == plan.batch.rowCount - plan.batch.legacyIDs.count)
        #expect(!plan.batch.isEmpty && plan.batch.legacyIDs.count > 40)
    }

    @Test func theStoreAndTheReportHoldNoCardData() async throws {
        let report = try await fixture.importIntoStore()
        let bytes = fixture.storeBytes()
        #expect(bytes.count > 10_000)
        let json = String(decoding: try JSONEncoder().encode(report), as: UTF8.self)
        for secret in LegacyDatabase.cardData {
            #expect(bytes.range(of: Data(secret.utf8)) == nil, "the store holds \(secret)")
            #expect(!report.text.contains(secret) && !json.contains(secret), "the report holds \(secret)")
        }
    }

    @Test func aSecondRunChangesNothing() async throws {
        let first = try await fixture.importIntoStore()
        let before = try await fixture.footprint()
        let second = try await fixture.importIntoStore()
        #expect(try await fixture.footprint() == before)
        #expect(second.importedNothing)
        for (old, again) in zip(first.tables, second.tables) {
            #expect(again.read == old.read && again.alreadyImported == old.imported, "\(old.name)")
            #expect(again.skipped == old.skipped, "\(old.name) skips the same rows for the same reasons")
        }
        #expect(second.text.hasPrefix("Nothing to import"))
    }

    @Test func aDryRunSettlesEverythingAndWritesNothing() async throws {
        let before = try await fixture.footprint()
        let report = try await fixture.importIntoStore(dryRun: true)
        #expect(try await fixture.footprint() == before)
        #expect(report.dryRun && report.table("booking_seats")?.imported == 10)
        #expect(report.table("booking_seats")?.notes.contains { $0.legacyID == 70 && $0.text.contains("refund required") } == true)
        #expect(report.text.hasPrefix("Dry run: nothing was written."))
    }

    @Test func aBrokenRowIsReportedAndSkippedAndTheRestImported() async throws {
        // A seat of a studio that does not exist (the foreign key dropped, as in a hand-edited copy)
        // and a booking of it.
        try fixture.old.execute("""
            ALTER TABLE public.seats DROP CONSTRAINT seats_studio_id_fkey;
            INSERT INTO public.seats (id, cinema_id, seat_number) VALUES (50, 99, 'Z9');
            INSERT INTO public.booking_seats (id, user_id, showtime_id, seat_id, payment_method_id, status)
            VALUES (90, 17, 1, 50, 2, 'PAID');
            """)
        let report = try await fixture.importIntoStore()
        let seats = try #require(report.table("seats"))
        #expect(seats.read == 21 && seats.imported == 19)
        #expect(seats.skipped.contains { $0.legacyIDs == [50] && $0.reason == "its studio 99 is not in the old database" })
        let bookings = try #require(report.table("booking_seats"))
        #expect(bookings.skipped.contains { $0.legacyIDs == [90] && $0.reason.hasPrefix("its seat 50 was not imported") })
        #expect(bookings.imported == 10)
        #expect(try await fixture.box.legacyImport.newID(of: .bookings, legacyID: 65) != nil)
    }

    @Test func theEarlierNamingOfTheOldSchemaIsReadToo() async throws {
        try fixture.old.execute("""
            ALTER TABLE public.booking_seats RENAME TO booking_seat;
            ALTER TABLE public.seats RENAME COLUMN cinema_id TO studio_id;
            ALTER TABLE public.showtimes RENAME COLUMN cinema_id TO studio_id;
            """)
        let report = try await fixture.importIntoStore()
        #expect(report.table("booking_seats")?.imported == 10 && report.table("seats")?.imported == 19)
    }

    @Test func aDatabaseThatIsNotTheOldSystemsIsRefusedAndNothingWritten() async throws {
        let before = try await fixture.footprint()
        try fixture.old.execute("DROP TABLE public.booking_seats; ALTER TABLE public.users DROP COLUMN is_verified")
        await #expect(throws: LegacyImportError.notAnOldDatabase(missing: ["column users.is_verified", "table booking_seats"])) {
            try await fixture.importIntoStore()
        }
        #expect(try await fixture.footprint() == before)
        var options = LegacyImportOptions()
        options.timeZone = "Mars/Olympus"
        var configuration = LegacyImporter.Configuration(sourceURL: fixture.old.url)
        configuration.options = options
        await #expect(throws: LegacyImportError.unknownTimeZone("Mars/Olympus")) {
            try await LegacyImporter(configuration: configuration).run(into: .store(fixture.box, name: "store"))
        }
    }
}

extension LegacyImportFixture {
    /// The imported studio of an old studio id.
    func catalogStudio(_ legacyID: Int64) async throws -> Studio {
        try await box.catalog.studio(id: try await id(.studios, legacyID))
    }
}
