import Foundation

/// Crash points for fault tests: when `BOXOFFICE_SYNC_FAILPOINT` names one, the process kills
/// itself with SIGKILL right there — a real crash, with no cleanup, exactly as a power cut would.
/// Unset (always, outside tests), a failpoint costs one comparison.
enum Failpoint: String {
    /// Head office committed a pushed batch; the counter has not recorded the outcomes.
    case afterCentralCommit = "after-central-commit"
    /// The counter recorded a batch's outcomes; head office may be taking the next batch already.
    case afterLocalApply = "after-local-apply"
    /// A feed page arrived; the counter has not applied it.
    case afterPullFetch = "after-pull-fetch"

    private static let armed = ProcessInfo.processInfo.environment["BOXOFFICE_SYNC_FAILPOINT"].flatMap(Failpoint.init)

    static func hit(_ point: Failpoint) {
        guard armed == point else { return }
        kill(getpid(), SIGKILL)
    }
}
