/// What an import of the old system's database did (or, in a dry run, would do): per old table the
/// rows read, imported, imported before, and skipped with the reason; notes on rows imported in
/// another form than they had; how much card data was dropped.
///
/// For every table, `read == imported + alreadyImported + skipped`. A second run of the same import
/// imports nothing: every row is `alreadyImported` or skipped again for the same reason.
///
/// ```swift
/// let report = try await importer.run(into: .store(box))
/// print(report.text)
/// let bookings = report.table("booking_seats")
/// print(bookings?.imported ?? 0, report.cardDataDropped)
/// ```
public struct LegacyImportReport: Sendable, Hashable, Codable {
    /// One old table's tally.
    public struct Table: Sendable, Hashable, Codable {
        /// The old table's name: `users`, `sessions`, `cinemas`, `studios`, `seats`, `movies`,
        /// `showtimes`, `payment_methods`, `booking_seats`.
        public var name: String
        /// Rows the old table holds.
        public var read = 0
        /// Rows imported by this run (in a dry run: that it would import).
        public var imported = 0
        /// Rows an earlier run imported; they are left as they are.
        public var alreadyImported = 0
        /// Rows not imported, grouped by reason.
        public var skipped: [Skip] = []
        /// Rows imported in another form than the old one had, and remarks on the whole table.
        public var notes: [Note] = []

        /// Creates an empty tally for the table `name`.
        public init(name: String) {
            self.name = name
        }

        /// How many rows were skipped, for every reason.
        public var skippedCount: Int { skipped.reduce(0) { $0 + $1.count } }

        enum CodingKeys: String, CodingKey {
            case name, read, imported, skipped, notes
            case alreadyImported = "already_imported"
        }
    }

    /// Rows skipped for one reason.
    public struct Skip: Sendable, Hashable, Codable {
        /// Why, e.g. "removed in the old system".
        public var reason: String
        /// How many rows.
        public var count: Int
        /// Their old ids (empty for sessions, whose ids are not integers).
        public var legacyIDs: [Int64]

        /// Creates a group of skipped rows.
        public init(reason: String, count: Int, legacyIDs: [Int64]) {
            self.reason = reason
            self.count = count
            self.legacyIDs = legacyIDs
        }

        enum CodingKeys: String, CodingKey {
            case reason, count, legacyIDs = "legacy_ids"
        }
    }

    /// A remark on one imported row (by its old id) or on the whole table (`legacyID` `nil`).
    public struct Note: Sendable, Hashable, Codable {
        /// The old row's id, or `nil` for the whole table.
        public var legacyID: Int64?
        /// What happened to it, e.g. "price 42500.50 has a fraction of a rupiah: …".
        public var text: String

        /// Creates a note.
        public init(legacyID: Int64?, text: String) {
            self.legacyID = legacyID
            self.text = text
        }

        enum CodingKeys: String, CodingKey {
            case legacyID = "legacy_id", text
        }
    }

    /// Where the rows went: `store PATH` or `head office DATABASE`.
    public var target = ""
    /// Whether this was a dry run, which wrote nothing.
    public var dryRun = false
    /// The zone the old timestamps were read in.
    public var timeZone: String
    /// The zone the imported cinemas got.
    public var cinemaTimeZone: String
    /// The node the imported customers' accounts belong to, for an import into head office.
    public var customersNode: String?
    /// The old tables, in import order.
    public var tables: [Table]
    /// How many old bookings carried card data (`payment_details`: card number, CVV, expiry), all
    /// of it dropped: never imported, logged or printed.
    public var cardDataDropped = 0

    /// Creates a report with an empty tally of each old table.
    public init(timeZone: String, cinemaTimeZone: String) {
        self.timeZone = timeZone
        self.cinemaTimeZone = cinemaTimeZone
        tables = Self.tableNames.map(Table.init(name:))
    }

    /// The old tables, in the order they are imported.
    public static let tableNames = [
        "users", "sessions", "cinemas", "studios", "seats", "movies", "showtimes", "payment_methods", "booking_seats",
    ]

    /// The tally of the old table `name`.
    public func table(_ name: String) -> Table? { tables.first { $0.name == name } }

    /// Whether the run imported nothing (everything was imported before, or is skipped).
    public var importedNothing: Bool { tables.allSatisfy { $0.imported == 0 } }

    enum CodingKeys: String, CodingKey {
        case target, tables
        case dryRun = "dry_run"
        case timeZone = "time_zone"
        case cinemaTimeZone = "cinema_time_zone"
        case customersNode = "customers_node"
        case cardDataDropped = "card_data_dropped"
    }

    // MARK: - Tallying

    mutating func update(_ name: String, _ change: (inout Table) -> Void) {
        guard let index = tables.firstIndex(where: { $0.name == name }) else { return }
        change(&tables[index])
    }

    mutating func read(_ name: String, _ count: Int) { update(name) { $0.read = count } }
    mutating func imported(_ name: String) { update(name) { $0.imported += 1 } }
    mutating func alreadyImported(_ name: String) { update(name) { $0.alreadyImported += 1 } }

    mutating func skip(_ name: String, _ legacyID: Int64?, _ reason: String, count: Int = 1) {
        update(name) { table in
            if let index = table.skipped.firstIndex(where: { $0.reason == reason }) {
                table.skipped[index].count += count
                if let legacyID { table.skipped[index].legacyIDs.append(legacyID) }
            } else {
                table.skipped.append(Skip(reason: reason, count: count, legacyIDs: legacyID.map { [$0] } ?? []))
            }
        }
    }

    mutating func note(_ name: String, _ legacyID: Int64?, _ text: String) {
        update(name) { $0.notes.append(Note(legacyID: legacyID, text: text)) }
    }
}
