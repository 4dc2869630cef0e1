import ArgumentParser
import BoxOfficeKit
import Foundation
import SyncAgent

extension BoxOfficeCommand {
    /// `boxoffice import-legacy --from URL|- [--db PATH | --central URL|-] …`: moves a cinema off the old system.
    struct ImportLegacy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import-legacy",
            abstract: "Import the old system's PostgreSQL database: accounts, catalog and booking history.",
            discussion: """
                Reads the old database in one read-only transaction and writes everything in one transaction \
                into the store (--db) or head office (--central): all of it, or nothing. Running it again \
                imports only what is new. Card data in the old bookings is dropped, never printed. \
                No password goes on the command line: give the old database's URL on standard input (--from -) or in \
                $BOXOFFICE_LEGACY_URL, head office's on standard input (--central -), or use PGPASSWORD or a ~/.pgpass \
                file (or PGPASSFILE). See docs/legacy-import.md.
                """)

        @OptionGroup var options: StoreOptions
        @Option(help: ArgumentHelp("The old database, as a libpq URL without its password, or - to read it from standard input.",
                                   discussion: "Default: $BOXOFFICE_LEGACY_URL.", valueName: "url"))
        var from: String?
        @Option(help: ArgumentHelp(
            "Import into head office instead of a store: its owner's libpq URL without its password, or - to read it from standard input.",
            valueName: "url"))
        var central: String?
        @Option(help: "The time zone the old zone-less timestamps are read in.") var timeZone = "Asia/Jakarta"
        @Option(help: "The imported cinemas' time zone (default: --time-zone).") var cinemaTimeZone: String?
        @Option(help: "With --central: the node whose store keeps the customers' accounts (default: head office's own --all node).")
        var customersNode: String?
        @Flag(help: "Show what would be imported and write nothing.") var dryRun = false

        func validate() throws {
            guard central == nil || options.db == nil else { throw ValidationError("give --db or --central, not both") }
            guard customersNode == nil || central != nil else { throw ValidationError("--customers-node goes with --central") }
            try URLInput.refusePassword(in: from, option: "--from", whose: "the old database's",
                                        alternatives: "in $BOXOFFICE_LEGACY_URL, or use PGPASSWORD or a ~/.pgpass file (or PGPASSFILE)")
            try URLInput.refusePassword(in: central, option: "--central", whose: "head office's",
                                        alternatives: "use PGPASSWORD or a ~/.pgpass file (or PGPASSFILE)")
            try URLInput.refuseTwoFromStandardInput([("--from", from), ("--central", central)])
            guard from != nil || ProcessInfo.processInfo.environment["BOXOFFICE_LEGACY_URL"]?.isEmpty == false else {
                throw ValidationError("give the old database with --from URL (its password in PGPASSWORD or ~/.pgpass), --from - or $BOXOFFICE_LEGACY_URL")
            }
        }

        func run() async throws {
            var configuration = LegacyImporter.Configuration(sourceURL: try sourceURL())
            configuration.options.timeZone = timeZone
            configuration.options.cinemaTimeZone = cinemaTimeZone
            configuration.customersNode = customersNode
            configuration.dryRun = dryRun
            if let bar = ProgressBar.onTerminal() {
                configuration.progress = { progress in bar.draw(progress.step, fraction: progress.fraction) }
            }
            let importer = LegacyImporter(configuration: configuration)
            // The old database is read before the target is opened: one that cannot be read leaves no store behind.
            let snapshot = try await importer.readSource()
            let target: LegacyImporter.Target
            if let central = try URLInput.resolve(central, option: "--central", variable: nil) {
                target = .headOffice(url: central)
            } else {
                let path = options.storePath
                // A dry run into a store that does not exist yet must not create it; an import
                // makes the whole store, so it may (like init).
                let box = dryRun && !FileManager.default.fileExists(atPath: path) ? try BoxOffice.inMemory() : try options.openStore(creating: true)
                target = .store(box, name: path)
            }
            let report = try await importer.run(snapshot, into: target)
            ProgressBar.onTerminal()?.clear()
            if options.json { return try Output.json(report) }
            print(report.text)
        }

        private func sourceURL() throws -> String {
            if let url = try URLInput.resolve(from, option: "--from", variable: "BOXOFFICE_LEGACY_URL") { return url }
            throw ValidationError("give the old database with --from URL (its password in PGPASSWORD or ~/.pgpass), --from - or $BOXOFFICE_LEGACY_URL")
        }
    }
}
