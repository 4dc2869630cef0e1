@testable import BoxOfficeSimulation
import Testing

/// The checker's allotment rule, on histories written out by hand: a restored store selling again
/// seats its original had sold is no broken promise, and any other conflict of an allotted sale is.
struct AllotmentRuleTests {
    let checker = HistoryChecker(centralURL: "postgresql://unused", counters: [], changeLogs: [:])

    /// The original held B3 before the backup and was paid after it; the restored store, its hold
    /// run out, sold B3 again from its allotment and head office kept the paid sale (seed 3 of
    /// `make test`, once head office stopped taking the release of a paid sale's ticket).
    func history(behindInBackup: [String]) -> History {
        var history = History(seed: 3)
        history.receipts = [
            History.Receipt(counter: "c4", step: 93, bookingID: "paid-after-backup", code: "Z8PGCS-0007", showtimeID: "show",
                            seats: ["B3"], amount: 45_000, told: ["held", "paid"], fromAllotment: true),
            History.Receipt(counter: "c4", step: 262, bookingID: "sold-again", code: "Z8PGCS-0013", showtimeID: "show",
                            seats: ["B3"], amount: 45_000, told: ["paid"], fromAllotment: true),
        ]
        history.restores = [History.Restore(counter: "c4", step: 246, backupStep: 125, withMarker: true, headOfficeSeqs: [],
                                            behindInBackup: behindInBackup)]
        return history
    }

    @Test func aSeatTheBackupHeldOnlyOnHoldIsTheRestoredStoresOwnPast() {
        let conflicts = ["sold-again": ["refund_required", "recoded"]]
        #expect(checker.allotmentViolations(history(behindInBackup: ["paid-after-backup"]), conflicts: conflicts).isEmpty)
        #expect(checker.allotmentViolations(history(behindInBackup: []), conflicts: conflicts).map(\.rule) == [.allotmentConflicted],
                "without the restore's record the same conflict is a broken promise")
    }
}
