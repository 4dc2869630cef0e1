import BoxOfficeKit
import Dispatch
import Foundation

/// `boxoffice import-legacy`: moves a cinema chain off the old Go/PostgreSQL system — its
/// customers' accounts and passwords, its catalog and its booking history — into a store or
/// straight into head office. See `docs/legacy-import.md` for every mapping rule.
///
/// One run reads the old database in one read-only transaction, plans the rows against what the
/// target has imported before (so a second run changes nothing), and writes them in one
/// transaction: all of them, or nothing. A dry run does all of it and rolls the write back.
///
/// ```swift
/// var configuration = LegacyImporter.Configuration(sourceURL: "postgresql://reader@old-db/cinema")
/// configuration.dryRun = true
/// let report = try await LegacyImporter(configuration: configuration).run(into: .store(box, name: "store hq.sqlite"))
/// print(report.text)
/// ```
///
/// - warning: The old database holds card numbers, CVVs and expiry dates in plain text. The
///   importer never selects them; it only counts the bookings that had any.
public struct LegacyImporter: Sendable {
    /// Where the old database is and how to read it.
    public struct Configuration: Sendable {
        /// A libpq connection string or URL of the old database. Keep its password out of it (use
        /// `PGPASSWORD` or a passfile): command lines are readable by every local user.
        public var sourceURL: String
        /// The time zones, and now.
        public var options = LegacyImportOptions()
        /// For head office: the node whose store keeps the imported customers' accounts; `nil`
        /// means head office's own node (the one that serves every cinema).
        public var customersNode: String?
        /// Settle everything and write nothing.
        public var dryRun = false
        /// Told what the import is doing, e.g. to draw a progress bar.
        public var progress: (@Sendable (LegacyImportProgress) -> Void)?

        /// Reads the old database at `sourceURL`.
        public init(sourceURL: String) {
            self.sourceURL = sourceURL
        }
    }

    /// Where the imported rows go.
    public enum Target: Sendable {
        /// A store; its change log sends the rows to head office at its next sync. `name` is how
        /// the report calls it.
        case store(BoxOffice, name: String)
        /// Head office's PostgreSQL, through its owner's URL; counters receive the rows by pull.
        case headOffice(url: String)
    }

    /// How this importer reads and writes.
    public let configuration: Configuration

    /// An importer with this configuration.
    public init(configuration: Configuration) {
        self.configuration = configuration
    }

    /// Reads the old database, plans, writes (unless a dry run), and reports.
    ///
    /// - Returns: What was (or would be) imported, per old table.
    /// - Throws: ``LegacyImportError`` (nothing is written); ``PostgresError`` when head office
    ///   cannot be reached.
    public func run(into target: Target) async throws -> LegacyImportReport {
        try await run(try await readSource(), into: target)
    }

    /// Reads the old database, in one read-only transaction.
    ///
    /// Read first, then open the target and ``run(_:into:)``: a source that cannot be read leaves
    /// no trace in the target.
    ///
    /// - Throws: ``LegacyImportError/unknownTimeZone(_:)``, ``LegacyImportError/sourceUnreachable(_:)``,
    ///   ``LegacyImportError/notAnOldDatabase(missing:)``, ``LegacyImportError/sourceRefused(_:)``.
    public func readSource() async throws -> LegacySnapshot {
        let configuration = self.configuration
        _ = try configuration.options.validated()
        let progress = configuration.progress
        return try await Self.blocking {
            try LegacySource.read(url: configuration.sourceURL) { step, done, total in
                progress?(LegacyImportProgress(step: step, done: done, total: total))
            }
        }
    }

    /// Plans and writes (unless a dry run) an old database already read, and reports.
    ///
    /// - Returns: What was (or would be) imported, per old table.
    /// - Throws: ``LegacyImportError`` (nothing is written); ``PostgresError`` when head office
    ///   cannot be reached.
    public func run(_ snapshot: LegacySnapshot, into target: Target) async throws -> LegacyImportReport {
        let configuration = self.configuration
        let options = try configuration.options.validated()
        let progress = configuration.progress
        progress?(LegacyImportProgress(step: "planning", done: 0, total: 1))
        switch target {
        case let .store(box, name):
            let plan = try await box.legacyImport.plan(snapshot, options: options)
            let outcome = try await box.legacyImport.apply(plan.batch, dryRun: configuration.dryRun) { done, total in
                progress?(LegacyImportProgress(step: "writing", done: done, total: total))
            }
            return plan.report(target: "store \(name)", dryRun: configuration.dryRun, outcome: outcome)
        case let .headOffice(url):
            return try await Self.blocking {
                let headOffice = try HeadOffice(url: url)
                let node = try headOffice.customersNode(named: configuration.customersNode)
                let plan = try LegacyImportPlan(snapshot, mapping: try headOffice.legacyIDs(), options: options)
                progress?(LegacyImportProgress(step: "writing", done: 0, total: plan.batch.rowCount))
                let outcome = try headOffice.importLegacy(plan.batch, customersNode: node, dryRun: configuration.dryRun)
                progress?(LegacyImportProgress(step: "writing", done: plan.batch.rowCount, total: plan.batch.rowCount))
                return plan.report(target: headOffice.databaseDescription, dryRun: configuration.dryRun,
                                   customersNode: node, outcome: outcome)
            }
        }
    }

    /// Runs libpq's blocking calls off Swift's cooperative threads.
    private static func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try body() })
            }
        }
    }
}

/// What an import is doing: a step (`reading users`, `planning`, `writing`) and how far it is.
public struct LegacyImportProgress: Sendable, Hashable {
    /// The step, in words.
    public var step: String
    /// How much of the step is done.
    public var done: Int
    /// How much the step has in all.
    public var total: Int

    /// The step's share done, from 0 to 1.
    public var fraction: Double { total > 0 ? min(1, Double(done) / Double(total)) : 0 }
}
