import Foundation

/// The clock seam of the simulation harness (`boxoffice-sim`, docs/simulation.md), for tests only:
/// `BOXOFFICE_TEST_CLOCK_OFFSET=SECONDS` moves this process's store clock by that many seconds, so
/// a counter's agent runs on the same skewed clock as its sales. It is no option and not in the
/// README: a real counter's clock is the machine's.
enum TestClock {
    /// The offset the harness set, if any.
    static var offset: TimeInterval? {
        ProcessInfo.processInfo.environment["BOXOFFICE_TEST_CLOCK_OFFSET"].flatMap(TimeInterval.init)
    }
}
