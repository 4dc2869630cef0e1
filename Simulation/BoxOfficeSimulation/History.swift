/// What the customers were told and what the harness did, recorded as it happened: the checker
/// holds head office's final state against it.
public struct History: Sendable, Codable, Equatable {
    /// A receipt a counter printed.
    public struct Receipt: Sendable, Codable, Equatable {
        /// The counter that printed it.
        public var counter: String
        /// The step of the schedule that printed it.
        public var step: Int
        /// The booking's id, code (as printed) and showtime.
        public var bookingID: String
        public var code: String
        public var showtimeID: String
        /// Seat labels, sorted.
        public var seats: [String]
        /// Rupiah.
        public var amount: Int
        /// Every state the customer was told, in order (`held`, `paid`, `cancelled`, …).
        public var told: [String]
        /// Whether every seat was allotted to this counter when it sold them.
        public var fromAllotment: Bool
        /// Whether a restore destroyed every copy of the sale: printed after the backup that was put
        /// back, and not at head office when it was (no system could keep it; the checker skips it).
        public var lostInRestore = false
    }

    /// A counter store put back from an earlier backup, and what survived it elsewhere.
    public struct Restore: Sendable, Codable, Equatable {
        /// The counter whose store was put back.
        public var counter: String
        /// The step of the restore, and of the backup it put back.
        public var step: Int
        public var backupStep: Int
        /// Whether the store's origin marker was put back with it (a whole disk rolled back), so
        /// that only head office can find the fork.
        public var withMarker: Bool
        /// The change numbers head office held from the node when the store was put back: the
        /// original's changes, which the restored store's own log no longer has.
        public var headOfficeSeqs: [Int]
        /// The bookings of the counter that the backup holds only in an earlier state than head
        /// office does (held there, paid by the original after the backup): the restored store may
        /// sell their seats again once their hold runs out, and those sales meet the original's.
        public var behindInBackup: [String]
    }

    /// A block of seats head office allotted to a counter.
    public struct Allotment: Sendable, Codable, Equatable {
        public var showtimeID: String
        /// Seat labels.
        public var seats: [String]
        /// The node the seats went to.
        public var counter: String
    }

    /// The run's seed.
    public var seed: UInt64
    /// Every receipt printed, in order.
    public var receipts: [Receipt] = []
    /// Every allotment head office made, in order.
    public var allotments: [Allotment] = []
    /// Counters head office revoked (they neither sell nor sync afterwards).
    public var revoked: [String] = []
    /// Showtimes head office cancelled.
    public var cancelledShowtimes: [String] = []
    /// Every counter store put back from a backup, in order.
    public var restores: [Restore] = []
    /// Every step as one line, for the failing history printed with a violation.
    public var log: [String] = []

    /// An empty history of the run of `seed`.
    public init(seed: UInt64) { self.seed = seed }

    /// Records that the customer of `code` was told `state`.
    mutating func tell(_ code: String, _ state: String) {
        guard let index = receipts.lastIndex(where: { $0.code == code }) else { return }
        receipts[index].told.append(state)
    }
}
