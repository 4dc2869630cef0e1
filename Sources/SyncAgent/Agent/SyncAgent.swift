import BoxOfficeKit
import CLibpq
import Foundation
import Logging
import Synchronization

/// Reconciles a counter's store with head office's PostgreSQL: pushes the change log up and pulls
/// the cinema's feed down, applying head office's decisions (see the DocC article "Sync").
///
/// One round, ``syncOnce()``, pushes every pending change in batches (one PostgreSQL transaction
/// and one round trip each) and then pulls until the feed is drained. ``run()`` repeats rounds
/// until its task is cancelled, backing off while head office is unreachable; selling never waits
/// for it, because the store is local.
///
/// ```swift
/// let agent = SyncAgent(box: box, centralURL: nodeURL)
/// let report = try await agent.syncOnce()
/// print("pushed \(report.pushed.total), pulled \(report.pulled)")
///
/// try await withThrowingTaskGroup(of: Void.self) { group in
///     group.addTask { try await agent.run() }   // until the group is cancelled
///     …
/// }
/// ```
///
/// ## Topics
///
/// ### Syncing
/// - ``syncOnce()``
/// - ``push()``
/// - ``pull()``
/// - ``run()``
/// - ``Configuration``
public final class SyncAgent: Sendable {
    /// How the agent paces itself.
    public struct Configuration: Sendable {
        /// Changes per pushed batch: one PostgreSQL transaction and one round trip each.
        public var batchSize = 2_000
        /// Feed rows per pulled page.
        public var pageSize = 2_000
        /// How long to wait for head office to answer a connection.
        public var connectTimeout: Duration = .seconds(5)
        /// The pause between rounds in ``SyncAgent/run()``.
        public var interval: Duration = .seconds(15)
        /// The longest pause while head office is unreachable; the pause doubles up to it.
        public var maximumBackoff: Duration = .seconds(300)
        /// Called after every batch and page, e.g. to show progress on a terminal.
        public var progress: (@Sendable (SyncProgress) -> Void)?
        /// Called after every round of ``SyncAgent/run()``, successful or not.
        public var roundFinished: (@Sendable (Result<SyncReport, any Error>) -> Void)?
        /// Delivers queued mail after each round, when the store has a mailer configured.
        public var afterRound: (@Sendable () async -> Void)?
        /// Whether the agent's first round that succeeds remembers its URL for later syncs, through
        /// ``NodeCredentials/remember(_:)``: its password in the store's passfile, the rest in the store.
        /// Once per agent, so a long-running agent never puts an old password back over a new one.
        public var remembersCentralURL = false

        public init() {}
    }

    /// The sync protocol this agent speaks; head office (`central.protocol_version()`) must speak the
    /// same, or it refuses the call and the counter is told to upgrade (it keeps selling meanwhile).
    public static let protocolVersion = 4

    /// The version of the libpq the agent is linked against, e.g. `150018` for 15.18.
    public static var libpqVersion: Int { Int(PQlibVersion()) }

    let box: BoxOffice
    let configuration: Configuration
    private let centralURL: String
    private let credentials: NodeCredentials
    /// Whether this agent has remembered its URL already (``Configuration/remembersCentralURL``).
    private let rememberedURL = Mutex(false)
    private let link: CentralLink
    private let logger: Logger

    /// Creates an agent for `box` that syncs with head office at `centralURL` (the node URL that
    /// `boxoffice central add-node` printed).
    ///
    /// When the URL sets no password, libpq takes it from the store's passfile (`<store>.pgpass`,
    /// see ``NodeCredentials``).
    public init(box: BoxOffice, centralURL: String, configuration: Configuration = Configuration()) {
        self.box = box
        self.configuration = configuration
        self.centralURL = centralURL
        self.credentials = NodeCredentials(box: box)
        self.link = CentralLink(url: centralURL, credentials: credentials, connectTimeout: configuration.connectTimeout)
        self.logger = box.configuration.logger
    }

    /// Expires this counter's holds that ran out, pushes every pending change, then pulls until the
    /// feed is drained.
    ///
    /// A store whose remembered URL still holds the node's password (an earlier build kept it
    /// there) has it moved to its passfile first.
    ///
    /// - Throws: ``PostgresError`` when head office is unreachable or refuses the node; nothing
    ///   local is lost, and the next round resumes where this one stopped.
    @discardableResult
    public func syncOnce() async throws -> SyncReport {
        do {
            _ = try await credentials.rememberedURL()
            let before = try await box.replica.state()
            let offset = try await measureClockOffset()
            // This counter's holds that ran out by its clock are expired first, so that head office,
            // which reads a hold's end by its own clock, hears of it now (a counter whose clock is
            // ahead would otherwise leave the seats held there long after its customer was told).
            try await box.sales.expireStaleHolds()
            let pushed = try await push()
            let pulled = try await pull()
            if configuration.remembersCentralURL, !rememberedURL.withLock({ $0 }) {
                try await credentials.remember(centralURL)
                rememberedURL.withLock { $0 = true }
            }
            try await box.replica.recordSyncFailure(nil)
            // A fork found in this round, or by the store itself (when it opened) since the last sync.
            let fork = try await box.replica.state().fork.flatMap { fork in
                pushed.forked > 0 || fork != before.fork || before.lastSyncAt.map { fork.detectedAt >= $0 } ?? true ? fork : nil
            }
            return SyncReport(pushed: pushed, pulled: pulled.received, skipped: pulled.skipped, quarantined: pulled.quarantined,
                              feedLag: pulled.lag ?? 0, fork: fork, clockOffset: offset)
        } catch {
            try? await box.replica.recordSyncFailure("\(error)")
            throw error
        }
    }

    /// How far the store's clock is ahead of head office's, in seconds: head office's clock read
    /// once, against the midpoint of the round trip on the store's clock.
    func measureClockOffset() async throws -> Double {
        let clock = box.configuration.clock
        let before = clock()
        let central = try await link.run { connection in
            try connection.query("SELECT extract(epoch FROM clock_timestamp())::text").scalar ?? ""
        }
        let after = clock()
        guard let seconds = Double(central) else { return 0 }
        let local = (before.timeIntervalSince1970 + after.timeIntervalSince1970) / 2
        let offset = local - seconds
        if abs(offset) > SyncReport.clockWarningSeconds {
            // A notice: the report carries the warning, which the CLI prints in the cashier's words.
            logger.notice("the counter's clock is off head office's", metadata: ["seconds": .stringConvertible(Int(offset))])
        }
        return offset
    }

    /// Pushes the change log in batches until nothing is pending.
    ///
    /// Head office takes the next batch while the outcomes of the one before are recorded here:
    /// the batches are read from the change log, which recording outcomes never changes, and a
    /// batch head office has taken but this store has not recorded (after a crash) is resent, and
    /// the inbox answers it with the same outcomes.
    ///
    /// When head office finds this store forked (restored from a backup or copied, see
    /// `StoreFork`), no further batch is sent on the old numbers: the store numbers its changes
    /// again, and they are pushed again from there, in the same call.
    ///
    /// A push that brought a customer account asks head office, in a transaction of its own, to
    /// check the account's email against the chain's other accounts (`sync_api.merge_accounts`):
    /// that reads accounts of every cinema, which no push does (docs/head-office-distribution.md).
    public func push() async throws -> PushSummary {
        var summary = PushSummary()
        var accountsToMerge = false
        // A store forks once per copy; a bound keeps a head office that keeps saying so from looping.
        for _ in 0..<Self.maximumForksPerPush {
            guard try await pushUntilForked(into: &summary, accountsToMerge: &accountsToMerge) else {
                if accountsToMerge { await mergeAccounts() }
                return summary
            }
        }
        throw PostgresError(message: "head office found this store forked \(Self.maximumForksPerPush) times in one sync; "
                            + "selling goes on: sync again, and call head office if this repeats")
    }

    /// How many times one ``push()`` numbers the store's changes again before it gives up.
    static let maximumForksPerPush = 5

    /// Asks head office to settle the accounts pushes left pending. The accounts are head office's
    /// already, and every later merge settles every pending account in the order head office
    /// received them (the next push of any counter that brings an account, or `boxoffice central
    /// merge-accounts`), so a failure here is logged and the sync goes on.
    private func mergeAccounts() async {
        do {
            let merged = try await link.run { connection in
                try connection.query("SELECT sync_api.merge_accounts()").scalar ?? "0"
            }
            if merged != "0" {
                logger.info("head office merged accounts registered twice", metadata: ["merged": .string(merged)])
            }
        } catch {
            logger.warning("head office did not merge the accounts this push brought; the next merge does",
                           metadata: ["error": .string("\(error)")])
        }
    }

    /// Pushes batches until nothing is pending (returns false) or head office found the store
    /// forked (returns true, with the store's changes numbered again).
    private func pushUntilForked(into summary: inout PushSummary, accountsToMerge: inout Bool) async throws -> Bool {
        let pending = try await box.replica.state().pendingChanges
        let batchSize = configuration.batchSize
        guard var batch = try await box.replica.nextBatch(limit: batchSize) else { return false }
        let store = try await storeJSON()
        var json = try await send(batch, as: store) ?? "[]"
        var next = try await box.replica.nextBatch(after: batch.lastSequence, limit: batchSize)
        while true {
            Failpoint.hit(.afterCentralCommit)
            let outcomes = try PushOutcome.decodeList(json)
            if outcomes.contains(where: { $0.mergePending == true }) { accountsToMerge = true }
            if outcomes.contains(where: { $0.status == .forked }) {
                // The next batch is of the old numbers too: it is not sent.
                summary.add(try await box.replica.recordPush(batch, outcomes: outcomes))
                return true
            }
            // Head office takes the next batch while this one is recorded and the one after is read.
            let sending = next
            async let nextJSON = send(sending, as: store)
            summary.add(try await box.replica.recordPush(batch, outcomes: outcomes))
            Failpoint.hit(.afterLocalApply)
            configuration.progress?(SyncProgress(phase: .push, done: summary.total, total: pending))
            guard let current = sending else { return false }
            let afterNext = try await box.replica.nextBatch(after: current.lastSequence, limit: batchSize)
            guard let sent = try await nextJSON else { return false }
            batch = current
            json = sent
            next = afterNext
        }
    }

    /// One batch to head office, one transaction there; its outcomes as JSON (`nil` for no batch).
    private func send(_ batch: ChangeBatch?, as store: String) async throws -> String? {
        guard let batch else { return nil }
        let changes = batch.json
        return try await link.run { connection in
            try connection.query("SELECT sync_api.push($1, $2::jsonb, $3::jsonb)",
                                 [String(Self.protocolVersion), store, changes]).scalar ?? "[]"
        }
    }

    /// This store as head office's calls name it: `{"node_id", "code_prefix"}`, and for a pull
    /// `"last_seq"`, the highest change number it ever issued (pull.sql).
    private func storeJSON(forPull: Bool = false) async throws -> String {
        let state = try await box.replica.state()
        var object: [String: Any] = ["node_id": state.nodeID, "code_prefix": state.bookingCodePrefix]
        if forPull { object["last_seq"] = try await box.replica.lastSequence() }
        return String(decoding: try JSONSerialization.data(withJSONObject: object, options: .sortedKeys), as: UTF8.self)
    }

    /// Pulls and applies the feed page by page until head office has no row left for this store.
    ///
    /// The next page is fetched while the current one is applied (a page names the cursor the next
    /// one starts from), so head office and the store work at the same time. The store's cursor
    /// moves only with an applied page, so a page fetched and never applied is simply fetched again.
    ///
    /// A store put back from a backup together with everything beside it still has the original's
    /// booking-code prefix; head office tells it so (it holds later changes of the node than the
    /// store ever made, ``PostgresError/storeBehind``) before handing out a row, and the store takes
    /// a prefix of its own (``Replica/fellBehind(nextSequence:)``) and pulls again, so that the
    /// original's later sales reach it.
    public func pull() async throws -> PullSummary {
        var total = PullSummary()
        var cursor = try await box.replica.state().feedCursor
        var store = try await storeJSON(forPull: true)
        var fetched: FeedPage?
        do {
            fetched = try await fetchPage(after: cursor, as: store)
        } catch let error as PostgresError where error.sqlState == PostgresError.storeBehind {
            guard let next = error.detail.flatMap(Int64.init), next > 0 else { throw error }
            try await box.replica.fellBehind(nextSequence: next)
            logger.warning("this store was restored or copied: head office holds later changes of its node", metadata: [
                "next_sequence": .stringConvertible(next),
            ])
            store = try await storeJSON(forPull: true)
            fetched = try await fetchPage(after: cursor, as: store)
        }
        while let page = fetched {
            // Head office counts the lag only on a page that is not full; a page whose
            // cursor did not move holds nothing more either.
            let isLast = page.lag != nil || page.cursor == cursor
            async let following = isLast ? nil : fetchPage(after: page.cursor, as: store)
            Failpoint.hit(.afterPullFetch)
            let summary = try await box.replica.applyFeed(page)
            total.received += summary.received
            total.skipped = summary.skipped   // what waits after the latest page
            total.quarantined += summary.quarantined
            total.lag = summary.lag
            total.cursor = summary.cursor
            configuration.progress?(SyncProgress(phase: .pull, done: total.received, total: total.received + (summary.lag ?? 0)))
            cursor = page.cursor
            fetched = try await following
        }
        if total.skipped > 0 {
            logger.notice("feed rows wait for a row they need", metadata: ["count": .stringConvertible(total.skipped)])
        }
        if total.quarantined > 0 {
            logger.error("feed rows quarantined: see boxoffice conflicts", metadata: ["count": .stringConvertible(total.quarantined)])
        }
        return total
    }

    private func fetchPage(after cursor: String, as store: String) async throws -> FeedPage {
        let pageSize = String(configuration.pageSize)
        let result = try await link.run { connection in
            try connection.query("SELECT * FROM sync_api.pull_rows($1, $2::jsonb, $3, $4)",
                                 [String(Self.protocolVersion), store, cursor, pageSize])
        }
        return try FeedPage(pulledRows: result)
    }

    /// Resolves a conflict of this node's cinema at head office — another seat, a refund (`seat`
    /// `nil`), or closed as it stands (`close`: a refused change stays refused, a reseated ticket
    /// keeps its new seat) — and pulls the decision.
    public func resolveConflict(_ id: String, seat: String?, close: Bool = false, by person: String) async throws {
        let store = try await storeJSON()
        try await link.run { connection in
            try connection.query("SELECT sync_api.resolve_conflict($1, $2::jsonb, $3, $4, $5, $6)",
                                 [String(Self.protocolVersion), store, id, seat, person, close ? "true" : "false"])
        }
        _ = try await pull()
    }

    /// Syncs round after round until the task is cancelled.
    ///
    /// While head office is unreachable the pause doubles, up to ``Configuration/maximumBackoff``;
    /// errors never end the loop, only cancellation does.
    public func run() async throws {
        var pause = configuration.interval
        while !Task.isCancelled {
            do {
                let report = try await syncOnce()
                configuration.roundFinished?(.success(report))
                pause = configuration.interval
            } catch {
                if Task.isCancelled || error is CancellationError { return }  // asked to stop: not a failure
                if let roundFinished = configuration.roundFinished {
                    // Its owner reports the round (the CLI prints one line); the log only notes it.
                    roundFinished(.failure(error))
                    logger.notice("sync round failed", metadata: ["error": .string("\(error)")])
                } else {
                    logger.warning("sync round failed", metadata: ["error": .string("\(error)")])
                }
                link.disconnect()
                pause = min(pause * 2, configuration.maximumBackoff)
            }
            await configuration.afterRound?()
            do {
                try await Task.sleep(for: pause)
            } catch {
                return  // cancelled while sleeping: a clean stop
            }
        }
    }
}
