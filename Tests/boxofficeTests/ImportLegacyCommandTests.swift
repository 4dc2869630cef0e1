import BoxOfficeKit
import Foundation
import Testing
import TestSupport

/// `boxoffice import-legacy` as an operator runs it: the built binary, a realistic old database.
@Suite(.enabled(if: TestPostgres.isAvailable, "needs the PostgreSQL server started by scripts/test.sh"))
struct ImportLegacyCommandTests {
    let cli: CLIRunner
    let old: LegacyDatabase

    init() throws {
        cli = try CLIRunner()
        old = try LegacyDatabase()
    }

    private func object(_ result: CLIRunner.Result) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stderr)")
    }

    private func tables(_ report: [String: Any]) -> [String: [String: Any]] {
        Dictionary(uniqueKeysWithValues: (report["tables"] as? [[String: Any]] ?? []).map { ($0["name"] as? String ?? "", $0) })
    }

    @Test func aDryRunPrintsTheReportAndWritesNothingThenTheImportRunsOnce() async throws {
        let dry = try cli.run(["import-legacy", "--from", old.url, "--dry-run", "--json"])
        #expect(dry.status == 0, "\(dry.stderr)")
        let planned = try object(dry)
        #expect(planned["dry_run"] as? Bool == true)
        #expect(planned["time_zone"] as? String == "Asia/Jakarta" && planned["cinema_time_zone"] as? String == "Asia/Jakarta")
        #expect(planned["card_data_dropped"] as? Int == 7)
        let bookings = try #require(tables(planned)["booking_seats"])
        #expect(bookings["read"] as? Int == 11 && bookings["imported"] as? Int == 10 && bookings["already_imported"] as? Int == 0)
        let skipped = try #require((bookings["skipped"] as? [[String: Any]])?.first)
        #expect(skipped["reason"] as? String == "removed in the old system" && skipped["legacy_ids"] as? [Int] == [77])
        #expect(!FileManager.default.fileExists(atPath: cli.storePath), "a dry run creates no store")

        let imported = try cli.run(["import-legacy", "--from", old.url])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.hasPrefix("Imported the old database into store \(cli.storePath)."))
        #expect(imported.stdout.contains("Old timestamps read in Asia/Jakarta; imported cinemas keep time in Asia/Jakarta."))
        let lines = imported.stdout.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(lines.contains(["TABLE", "READ", "IMPORTED", "BEFORE", "SKIPPED"]))
        #expect(lines.contains(["booking_seats", "11", "10", "0", "1"]))
        #expect(lines.contains(["users", "4", "3", "0", "1"]))
        #expect(imported.stdout.contains("old booking 70: its seat was already taken by booking OLD-65"))
        #expect(imported.stdout.contains("Card data dropped from 7 old bookings"))
        for secret in LegacyDatabase.cardData {
            #expect(!imported.stdout.contains(secret) && !imported.stderr.contains(secret) && !dry.stdout.contains(secret))
        }

        // The imported catalog is the store's: the seat map of the first showtime shows its sales,
        // the showtime whose price had a fraction says it is not on sale.
        let cinemas = try cli.json(["cinemas", "list"])["items"] as? [[String: Any]] ?? []
        #expect(Set(cinemas.compactMap { $0["name"] as? String }) == ["Grand Indonesia XXI", "PIM 3 XXI"])
        let mapping = try await BoxOffice.open(path: cli.storePath).legacyImport.mapping()
        let seats = try cli.run(["seats", try #require(mapping[.showtimes, 1])])
        #expect(seats.status == 0, "\(seats.stderr)")
        #expect(seats.stdout.split(separator: "\n").contains { $0.hasPrefix("A ") && $0.contains("XX") })
        #expect(seats.stdout.contains("4 of 6 seats free."))
        let waiting = try cli.run(["seats", try #require(mapping[.showtimes, 4])])
        #expect(waiting.stdout.contains("NOT ON SALE: its price is not set"))

        let again = try object(try cli.run(["import-legacy", "--from", old.url, "--json"]))
        #expect(again["dry_run"] as? Bool == false)
        for (name, table) in tables(again) {
            #expect(table["imported"] as? Int == 0, "\(name)")
        }
        #expect(tables(again)["booking_seats"]?["already_imported"] as? Int == 10)
    }

    @Test func theOldDatabaseCanBeNamedInTheEnvironmentAndGoStraightToHeadOffice() throws {
        let central = try TestPostgres.makeDatabase()
        #expect(try cli.run(["central", "init", "--url", central]).status == 0)
        #expect(try cli.run(["central", "add-node", "hq", "--all", "--url", central]).status == 0)
        let result = try cli.run(["import-legacy", "--central", central, "--json"], environment: ["BOXOFFICE_LEGACY_URL": old.url])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try object(result)
        #expect(report["customers_node"] as? String == "hq")
        #expect(tables(report)["users"]?["imported"] as? Int == 3)
        #expect(!FileManager.default.fileExists(atPath: cli.storePath), "an import into head office touches no store")
        let conflicts = try cli.run(["central", "conflicts", "--url", central, "--json"])
        #expect(conflicts.stdout.contains("refund_required"))
    }

    @Test func theOldPasswordNeverGoesOnTheCommandLine() throws {
        for url in ["postgresql://reader:s3cret@127.0.0.1/cinema", "postgres://reader:s3cret@127.0.0.1:5432/cinema",
                    "postgresql://reader@127.0.0.1/cinema?password=s3cret", "host=127.0.0.1 user=reader password=s3cret"] {
            let result = try cli.run(["import-legacy", "--from", url])
            #expect(result.status == 64, "\(url)")
            #expect(result.stderr.contains("keep the old database's password off the command line"))
            #expect(result.stderr.contains("PGPASSWORD"))
        }
        #expect(!FileManager.default.fileExists(atPath: cli.storePath))
    }

    @Test func badInputIsOneClearLineAndChangesNothing() throws {
        #expect(try cli.run(["import-legacy", "--from", old.url, "--db", "x.sqlite", "--central", "postgresql://hq/x"]).status == 64)
        #expect(try cli.run(["import-legacy", "--from", old.url, "--customers-node", "hq"]).status == 64)
        #expect(try cli.run(["import-legacy"], environment: ["BOXOFFICE_LEGACY_URL": ""]).status == 64)

        let zone = try cli.run(["import-legacy", "--from", old.url, "--time-zone", "Asia/Atlantis"])
        #expect(zone.status == 65)
        #expect(zone.stderr == "error: 'Asia/Atlantis' is not a time zone: give an IANA zone like Asia/Jakarta\n")

        let unreachable = try cli.run(["import-legacy", "--from", "postgresql://reader@127.0.0.1:1/cinema"])
        #expect(unreachable.status == 69)
        #expect(unreachable.stderr.hasPrefix("error: the old database cannot be reached: "))
        #expect(unreachable.stderr.split(separator: "\n").count == 1)

        let notOld = try cli.run(["import-legacy", "--from", try TestPostgres.makeDatabase()])
        #expect(notOld.status == 65)
        #expect(notOld.stderr.hasPrefix("error: that database is not the old system's: it has no table users"))
        #expect(!FileManager.default.fileExists(atPath: cli.storePath), "a failed import leaves no store behind")

        let help = try cli.run(["help", "import-legacy"])
        #expect(help.status == 0 && help.stdout.contains("--customers-node") && help.stdout.contains("--dry-run"))
    }
}
