import Foundation
import GRDB
import Logging

/// A box office: the local SQLite store of one counter, and every operation of the domain on it.
///
/// Open one per store file and share it: it is `Sendable`, and the underlying WAL `DatabasePool`
/// lets readers run beside the single writer. Several processes may open the same file; SQLite's
/// locks and the store's constraints keep them consistent.
///
/// ```swift
/// let box = try BoxOffice.open(path: "counter.sqlite")
/// let cinemas = try await box.catalog.cinemas(page: PageRequest(page: 1, limit: 20))
/// ```
///
/// ## Topics
///
/// ### Opening a store
/// - ``open(path:configuration:ifMissing:)``
/// - ``MissingStore``
/// - ``inMemory(configuration:)``
/// - ``Configuration``
///
/// ### Identity
/// - ``nodeID``
/// - ``path``
///
/// ### Files
/// - ``FileAccess``
public final class BoxOffice: Sendable {
    /// The database connection(s): a `DatabasePool` for a file, a `DatabaseQueue` in memory.
    let writer: any DatabaseWriter
    /// How this store behaves.
    public let configuration: Configuration
    /// The id of this node (this counter), made when the store was created.
    public let nodeID: String
    /// The store's file; `nil` for a store in memory. The files that belong to the store sit beside
    /// it under this name (`-wal`, `-shm`, and the CLI's `.session` and sync agent's `.pgpass`).
    public let path: String?
    /// The check that the store's file was not restored or copied, and its marker (file stores only).
    let origin: StoreOrigin?

    private init(writer: any DatabaseWriter, path: String?, configuration: Configuration, isNew: Bool) throws {
        self.writer = writer
        self.path = path
        self.configuration = configuration
        self.nodeID = try writer.write { db in try Self.ensureIdentity(db, isNew: isNew) }
        self.origin = path.map { StoreOrigin(storePath: $0, logger: configuration.logger) }
    }

    /// What ``open(path:configuration:ifMissing:)`` does when no store exists at its path.
    public enum MissingStore: Sendable, Hashable {
        /// Create a new, empty store (`boxoffice init`, `boxoffice demo`).
        case create
        /// Throw ``StoreError/notFound(path:)``: every other use of a store.
        case refuse
    }

    /// Opens the store at `path`, creating and migrating it when needed.
    ///
    /// The store uses WAL, foreign keys, full synchronous durability (a sale that returned is on
    /// disk) and a busy timeout, so several processes can share it. Its rules (triggers and views)
    /// are replaced by this build's when they differ.
    ///
    /// The store's files — the database and SQLite's `-wal` and `-shm` — are readable and writable
    /// by their user only (mode 0600), or by their group too with ``FileAccess/ownerAndGroup``: a new
    /// store is created so, and an existing store's files are put back to that mode when they are
    /// opened (with a warning in the log when other users could read them).
    ///
    /// ```swift
    /// let box = try BoxOffice.open(path: "/var/lib/boxoffice/counter.sqlite")
    /// ```
    ///
    /// - Parameters:
    ///   - path: The SQLite file. Its folder must exist.
    ///   - configuration: Timeouts, limits, clock and logger.
    ///   - ifMissing: Whether to create a store that does not exist (``MissingStore/create``, for
    ///     `init` and `demo`) or refuse (``MissingStore/refuse``: a mistyped path).
    ///
    /// A store that finds it was restored from a backup or copied to another machine takes a new
    /// booking-code prefix before it sells (``StoreFork``): its receipts never repeat a code of the
    /// store it came from. It keeps a small marker beside its file for that, `<store>.origin`.
    /// - Throws: ``StoreError/newerSchema(path:parts:)`` when a newer version wrote the file,
    ///   ``StoreError/madeByEarlierBuild(path:)`` or ``StoreError/ruleEdited(path:rule:version:)``
    ///   (the file is left untouched in all three), ``StoreError/notFound(path:)`` for a missing
    ///   store with `ifMissing: .refuse`, ``StoreError/damaged(_:)`` for a store that opens but
    ///   does not read as one (a table gone, a damaged page, its node identity gone),
    ///   ``StoreError/cannotOpen(path:reason:)`` otherwise.
    public static func open(
        path: String, configuration: Configuration = Configuration(), ifMissing: MissingStore = .create
    ) throws -> BoxOffice {
        let pool: DatabasePool
        let access = configuration.fileAccess
        let isNew = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int).map { $0 == 0 } ?? true
        if isNew && ifMissing == .refuse { throw StoreError.notFound(path: path) }
        do {
            // Before SQLite opens anything: the -wal and -shm it makes take the database file's mode.
            StoreFiles.restrict(path: path, to: access, logger: configuration.logger)
            try refuseUnusableSchema(path: path, configuration: configuration)
            try StoreFiles.createIfMissing(path: path, access: access)
            pool = try DatabasePool(path: path, configuration: databaseConfiguration(configuration))
        } catch let error as DatabaseError {
            throw StoreError.cannotOpen(path: path, reason: error.message ?? "\(error.resultCode)")
        }
        StoreFiles.restrict(path: path, to: access, logger: configuration.logger)
        // A store that opens can still be damaged (a table dropped, a page or header byte changed):
        // SQLite's own errors then say it in many lines of its words; this says it in one.
        do {
            try migrate(pool, path: path, now: configuration.clock())
            try checkTables(pool)
            let box = try BoxOffice(writer: pool, path: path, configuration: configuration, isNew: isNew)
            try box.origin?.check(pool, machine: configuration.machineIdentity(), now: configuration.clock())
            return box
        } catch let error as DatabaseError {
            throw StoreError.damaged(Self.oneLine(error))
        }
    }

    /// A SQLite error as one line of its own words (its message, or its result code).
    static func oneLine(_ error: DatabaseError) -> String {
        (error.message ?? "\(error.resultCode)").split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    /// The tables every store of this build has, from a store made in memory.
    private static let expectedTables: Set<String> = {
        do {
            let queue = try DatabaseQueue()
            try Migrations.migrator.migrate(queue)
            return try queue.read { db in try BoxOffice.tables(db) }
        } catch {
            return []   // the migrations' own tests fail first
        }
    }()

    private static func tables(_ db: Database) throws -> Set<String> {
        Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"))
    }

    /// Throws ``StoreError/damaged(_:)`` naming the tables a store lacks.
    private static func checkTables(_ writer: any DatabaseWriter) throws {
        let missing = try writer.read { db in expectedTables.subtracting(try tables(db)) }.sorted()
        guard missing.isEmpty else {
            throw StoreError.damaged("its table\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")) \(missing.count == 1 ? "is" : "are") gone: restore the store from a backup")
        }
    }

    /// Opens a new, empty store that lives in memory only: for tests and demos.
    ///
    /// ```swift
    /// let box = try BoxOffice.inMemory()
    /// ```
    public static func inMemory(configuration: Configuration = Configuration()) throws -> BoxOffice {
        let queue = try DatabaseQueue(configuration: databaseConfiguration(configuration))
        try migrate(queue, path: ":memory:", now: configuration.clock())
        return try BoxOffice(writer: queue, path: nil, configuration: configuration, isNew: true)
    }

    /// The current time of this store's clock.
    var now: Date { configuration.clock() }

    /// The logger of this store.
    var logger: Logger { configuration.logger }

    private static func databaseConfiguration(_ configuration: Configuration) -> GRDB.Configuration {
        var config = GRDB.Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(configuration.busyTimeout.timeInterval)
        config.label = "BoxOfficeKit"
        config.prepareDatabase { db in
            // A sale that returned must survive a power cut: WAL's default NORMAL could lose it.
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // Deleted rows (queued mail, expired OTPs) are overwritten, not left in free pages.
            try db.execute(sql: "PRAGMA secure_delete = ON")
        }
        return config
    }

    /// Applies the migrations the store lacks (each puts the rules back after it), then this
    /// build's rules when the store's differ.
    static func migrate(
        _ writer: any DatabaseWriter, path: String, now: Date, migrator: DatabaseMigrator = Migrations.migrator
    ) throws {
        try writer.read { db in try refuseUnusableSchema(db, path: path) }
        try migrator.migrate(writer)
        if try writer.read({ db in try StoreRules.needApplying(db, path: path) }) {
            try writer.write { db in try StoreRules.apply(db, path: path, now: now) }
        }
    }

    /// Throws when an existing file was written by a newer version or an earlier layout, checked on
    /// a read-only connection: opening a `DatabasePool` already writes (GRDB creates and drops a
    /// table to make the WAL file), which would change the file.
    private static func refuseUnusableSchema(path: String, configuration: Configuration) throws {
        guard FileManager.default.fileExists(atPath: path) else { return }
        var config = GRDB.Configuration()
        config.readonly = true
        config.busyMode = .timeout(configuration.busyTimeout.timeInterval)
        try DatabaseQueue(path: path, configuration: config).read { db in try refuseUnusableSchema(db, path: path) }
    }

    /// Throws ``StoreError/madeByEarlierBuild(path:)``, ``StoreError/newerSchema(path:parts:)`` or
    /// ``StoreError/ruleEdited(path:rule:version:)`` when this build must not touch the store.
    private static func refuseUnusableSchema(_ db: Database, path: String) throws {
        guard try db.tableExists("grdb_migrations") else { return }
        let migrator = Migrations.migrator
        let applied = try migrator.appliedIdentifiers(db)
        guard applied.isDisjoint(with: Migrations.earlierLayout) else { throw StoreError.madeByEarlierBuild(path: path) }
        let unknown = applied.subtracting(migrator.migrations).sorted()
        guard unknown.isEmpty else { throw StoreError.newerSchema(path: path, parts: unknown) }
        _ = try StoreRules.needApplying(db, path: path)
    }

    /// Gives a new store its node id, booking-code prefix and local secrets; returns the node id.
    /// An existing store without its identity is damaged: a new identity would make it another
    /// node to head office, its sales orphaned.
    private static func ensureIdentity(_ db: Database, isNew: Bool) throws -> String {
        if let nodeID = try String.fetchOne(db, sql: "SELECT node_id FROM sync_state WHERE singleton = 1") {
            return nodeID
        }
        guard isNew else { throw StoreError.damaged("its node identity (sync_state) is gone: restore the store from a backup") }
        let nodeID = EntityID.make()
        try db.execute(
            sql: "INSERT INTO sync_state (singleton, node_id, code_prefix) VALUES (1, ?, ?)",
            arguments: [nodeID, BookingCodePrefix.random()])
        try db.execute(sql: """
            INSERT OR IGNORE INTO local_secrets (name, value)
            VALUES ('otp_key', randomblob(32)), ('mail_key', randomblob(32))
            """)
        return nodeID
    }
}
