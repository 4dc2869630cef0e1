import Foundation
import Testing
@testable import BoxOfficeKit

/// The plan alone, on hand-made old rows: the parsing rules and the bookkeeping that make a second
/// run change nothing.
struct LegacyImportPlanTests {
    typealias Old = LegacySnapshot

    /// A small old database: one cinema, a studio with two seats, a movie, a showtime, an account and a booking.
    static func snapshot() -> LegacySnapshot {
        var snapshot = LegacySnapshot()
        snapshot.cinemas = [Old.Cinema(id: 1, name: " Braga XXI ", location: "Jl. Braga 1", createdAt: "2025-01-01 10:00:00",
                                       updatedAt: nil, deletedAt: nil)]
        snapshot.studios = [Old.Studio(id: 5, cinemaID: 1, name: "Studio 1", createdAt: nil, updatedAt: nil, deletedAt: nil),
                            Old.Studio(id: 6, cinemaID: 9, name: "Studio 9", createdAt: nil, updatedAt: nil, deletedAt: nil)]
        snapshot.seats = [Old.Seat(id: 1, studioID: 5, seatNumber: "a1", deletedAt: nil),
                          Old.Seat(id: 2, studioID: 5, seatNumber: "A2", deletedAt: nil),
                          Old.Seat(id: 3, studioID: 6, seatNumber: "A1", deletedAt: nil)]
        snapshot.movies = [Old.Movie(id: 1, title: "Dilan 1990", description: nil, duration: 110, releaseDate: "2018-01-25",
                                     genre: "Romance", rating: nil, posterURL: nil, directorInfo: #"{"name": "Fajar Bustomi"}"#,
                                     castInfo: #"{"name": "Iqbaal Ramadhan", "role": "Dilan"}"#, createdAt: nil, updatedAt: nil,
                                     deletedAt: nil)]
        snapshot.showtimes = [Old.Showtime(id: 1, movieID: 1, studioID: 5, startTime: "2025-02-01 19:30:00", endTime: nil,
                                           price: "50000.00", createdAt: nil, updatedAt: nil, deletedAt: nil),
                              Old.Showtime(id: 2, movieID: 1, studioID: 6, startTime: "2025-02-01 19:30:00", endTime: nil,
                                           price: "50000.00", createdAt: nil, updatedAt: nil, deletedAt: nil)]
        snapshot.users = [Old.User(id: 3, username: "asep", email: "Asep@Example.com", passwordHash: "$2a$04$abc", phoneNumber: "0812 3456 789",
                                   createdAt: "2025-01-02 08:00:00", updatedAt: nil, deletedAt: nil, isVerified: true),
                          Old.User(id: 4, username: "", email: "asep@example.com", passwordHash: "", phoneNumber: "12345",
                                   createdAt: "2025-01-03 08:00:00", updatedAt: nil, deletedAt: nil, isVerified: false)]
        snapshot.paymentMethods = [Old.PaymentMethod(id: 1, name: "OVO", createdAt: nil, updatedAt: nil, deletedAt: nil)]
        snapshot.bookings = [Old.BookingSeat(id: 9, userID: 4, showtimeID: 1, seatID: 1, paymentMethodID: 1, status: "PAID",
                                             createdAt: "2025-01-20 12:00:00", updatedAt: "2025-01-20 12:05:00", deletedAt: nil,
                                             hadCardData: true),
                             Old.BookingSeat(id: 10, userID: 3, showtimeID: 2, seatID: 3, paymentMethodID: 1, status: "paid",
                                             createdAt: nil, updatedAt: nil, deletedAt: nil, hadCardData: false)]
        return snapshot
    }

    static func options() -> LegacyImportOptions {
        var options = LegacyImportOptions()
        options.now = Date(timeIntervalSince1970: 1_767_225_600)   // 2026-01-01
        return options
    }

    @Test func pricesAreWholeRupiahOrNothing() {
        #expect(LegacyImportPlan.wholeRupiah("50000.00") == 50_000)
        #expect(LegacyImportPlan.wholeRupiah("45000") == 45_000)
        #expect(LegacyImportPlan.wholeRupiah("42500.50") == nil)
        #expect(LegacyImportPlan.wholeRupiah("0.01") == nil)
        #expect(LegacyImportPlan.wholeRupiah("-5.00") == nil)
        #expect(LegacyImportPlan.wholeRupiah("100000001.00") == nil)
        #expect(LegacyImportPlan.wholeRupiah("abc") == nil)
    }

    @Test func seatNumbersAreARowLetterAndANumber() {
        #expect(LegacyImportPlan.Planner.seatLabel(" a1 ")! == ("A", 1))
        #expect(LegacyImportPlan.Planner.seatLabel("B12")! == ("B", 12))
        for bad in ["", "AA1", "A0", "A100", "1A", "A-1", nil] as [String?] {
            #expect(LegacyImportPlan.Planner.seatLabel(bad) == nil, "\(bad ?? "nil")")
        }
    }

    @Test func oldTimestampsAreWallClockTimesOfTheGivenZone() {
        let jakarta = TimeZone(identifier: "Asia/Jakarta")!
        let instant = LegacyImportPlan.instant("2026-01-15 17:38:31.683841", in: jakarta)!
        #expect(abs(instant.timeIntervalSince1970 - 1_768_473_511.683841) < 0.000_01)
        #expect(LegacyImportPlan.instant("2026-01-15T17:38:00", in: jakarta)?.timeIntervalSince1970 == 1_768_473_480)
        #expect(LegacyImportPlan.instant("2026-02-30 10:00:00", in: jakarta) == nil)
        #expect(LegacyImportPlan.instant("yesterday", in: jakarta) == nil)
        var options = Self.options()
        options.timeZone = "Asia/Makassar"
        let plan = try! LegacyImportPlan(Self.snapshot(), mapping: LegacyIDMap(), options: options)
        #expect(plan.batch.showtimes.first { $0.id == plan.batch.legacyIDs.first { $0.entity == .showtimes }?.newID }?.startsAt
            == Date(timeIntervalSince1970: 1_738_409_400))   // 19:30 WITA = 11:30 UTC
    }

    @Test func everyOldRowIsImportedBeforeOrNowOrSkippedWithItsReason() throws {
        let plan = try LegacyImportPlan(Self.snapshot(), mapping: LegacyIDMap(), options: Self.options())
        for table in plan.report.tables {
            #expect(table.read == table.imported + table.alreadyImported + table.skippedCount, "\(table.name)")
        }
        let report = plan.report
        #expect(report.table("studios")?.skipped == [.init(reason: "its cinema 9 is not in the old database", count: 1, legacyIDs: [6])])
        #expect(report.table("seats")?.skipped.first?.reason == "its studio 6 was not imported (its cinema 9 is not in the old database)")
        #expect(report.table("showtimes")?.skipped.first?.legacyIDs == [2])
        #expect(report.table("booking_seats")?.skipped.first?.legacyIDs == [10])
        #expect(report.cardDataDropped == 1)
        // Asep@Example.com and asep@example.com are one account; the merged one's password and phone do not matter.
        #expect(plan.batch.users.count == 1)
        let user = try #require(plan.batch.users.first)
        #expect(user.email == "asep@example.com" && user.phone == "+628123456789" && user.passwordHash == "$2a$04$abc")
        #expect(plan.batch.legacyIDs.filter { $0.entity == .users }.map(\.newID) == [user.id, user.id])
        #expect(plan.batch.bookings.first?.userID == user.id && plan.batch.bookings.first?.customerEmail == "asep@example.com")
        #expect(plan.batch.paymentMethods.isEmpty, "OVO is a built-in method")
        #expect(plan.batch.cinemas.first?.name == "Braga XXI")
        #expect(plan.batch.movies.first?.castMembers == ["Iqbaal Ramadhan"] && plan.batch.movies.first?.director == "Fajar Bustomi")
        #expect(plan.batch.bookings.first?.code == "OLD-9")
    }

    @Test func aPlanAgainstItsOwnMappingIsEmpty() throws {
        let first = try LegacyImportPlan(Self.snapshot(), mapping: LegacyIDMap(), options: Self.options())
        var mapping = LegacyIDMap()
        for entry in first.batch.legacyIDs { mapping[entry.entity, entry.legacyID] = entry.newID }
        let second = try LegacyImportPlan(Self.snapshot(), mapping: mapping, options: Self.options())
        #expect(second.batch.isEmpty)
        #expect(second.report.importedNothing)
        for (old, again) in zip(first.report.tables, second.report.tables) {
            #expect(again.alreadyImported == old.imported && again.skipped == old.skipped, "\(old.name)")
        }
        // A new old account whose email an earlier run imported joins that account.
        var grown = Self.snapshot()
        grown.users.append(Old.User(id: 8, username: "Asep", email: "ASEP@example.com", passwordHash: "$2a$04$def", phoneNumber: nil,
                                    createdAt: "2025-03-01 08:00:00", updatedAt: nil, deletedAt: nil, isVerified: true))
        let third = try LegacyImportPlan(grown, mapping: mapping, options: Self.options())
        #expect(third.batch.users.isEmpty)
        #expect(third.batch.legacyIDs == [LegacyID(entity: .users, legacyID: 8, newID: mapping[.users, 3]!)])
    }

    /// Issue 15: the old system checked no name, so its names, titles and addresses go through
    /// the kit's one sanitiser (``HumanText``): control characters become spaces, card data is
    /// not kept (the row takes its usual name without it), and the report says so for each row.
    @Test func oldNamesAreSanitisedAsEveryTypedTextIs() throws {
        var snapshot = Self.snapshot()
        snapshot.users[0].username = "Asep\nTOTAL Rp 0"
        snapshot.cinemas[0].name = "Braga\u{1B}[2J XXI"
        snapshot.cinemas[0].location = "Jl. Braga 1, 4111 1111 1111 1111"
        snapshot.studios[0].name = "5500 0000 0000 0004"
        snapshot.movies[0].title = "Dilan\r1990"
        snapshot.movies[0].castInfo = #"[{"name": "Iqbaal"}, {"name": "EXP 12/27 CVV 123"}]"#
        snapshot.paymentMethods[0].name = "Dana\u{202E}"
        let plan = try LegacyImportPlan(snapshot, mapping: LegacyIDMap(), options: Self.options())
        let batch = plan.batch
        #expect(batch.users.first { $0.email == "asep@example.com" }?.name == "Asep TOTAL Rp 0")
        #expect(batch.cinemas.first?.name == "Braga [2J XXI")
        #expect(batch.cinemas.first?.address == "")
        #expect(batch.studios.first { $0.name.hasPrefix("Studio") }?.name == "Studio 5")
        #expect(batch.movies.first?.title == "Dilan 1990")
        #expect(batch.movies.first?.castMembers == ["Iqbaal"])
        #expect(batch.paymentMethods.first?.name == "Dana")
        // Every kept text passes the kit's own check, as one typed at a counter would.
        let texts = batch.users.map(\.name) + batch.cinemas.flatMap { [$0.name, $0.address] } + batch.studios.map(\.name)
            + batch.movies.flatMap { [$0.title, $0.description, $0.director] + $0.castMembers } + batch.paymentMethods.map(\.name)
        for text in texts where !text.isEmpty {
            #expect(throws: Never.self, "\(text.debugDescription)") { try HumanText.checked(text, field: "name", maximum: 5000) }
        }
        let report = plan.report
        #expect(report.table("users")?.notes.contains { $0.legacyID == 3 && $0.text == "its name: control characters replaced by spaces" } == true)
        #expect(report.table("cinemas")?.notes.contains { $0.legacyID == 1 && $0.text.hasPrefix("its location: held card data") } == true)
        #expect(report.table("studios")?.notes.contains { $0.legacyID == 5 && $0.text.hasPrefix("its name: held card data") } == true)
        #expect(report.table("movies")?.notes.contains { $0.legacyID == 1 && $0.text.hasPrefix("its cast: held card data") } == true)
        let printed = "\(report.tables)"
        for card in ["4111 1111 1111 1111", "5500 0000 0000 0004", "EXP 12/27"] { #expect(!printed.contains(card)) }
    }

    @Test func anUnknownZoneIsRefused() {
        var options = Self.options()
        options.cinemaTimeZone = "Jakarta"
        #expect(throws: LegacyImportError.unknownTimeZone("Jakarta")) {
            try LegacyImportPlan(Self.snapshot(), mapping: LegacyIDMap(), options: options)
        }
    }
}
