import BoxOfficeKit
import Foundation
import Synchronization

/// One counter of the simulation: its own SQLite file, its node at head office, its network (a
/// ``FaultProxy``) and its clock. Its sales run in the harness, through the kit; its sync agent is
/// a separate `boxoffice sync` process each round, which the harness may kill.
public final class SimulatedCounter: Sendable {
    /// The node's name at head office.
    public let name: String
    /// The cinema the node serves.
    public let cinemaID: String
    /// The store file.
    public let path: String
    /// The node's sync URL through its proxy (holds its password: environment only, never argv).
    let url: String
    /// The counter's network to head office.
    public let proxy: FaultProxy
    /// How far this counter's clock is from the true time, in seconds (the harness sets it).
    let clockOffset: Mutex<TimeInterval>
    private let opened: Mutex<(box: BoxOffice, principal: Principal)?>

    init(name: String, cinemaID: String, path: String, url: String, proxy: FaultProxy) {
        self.name = name
        self.cinemaID = cinemaID
        self.path = path
        self.url = url
        self.proxy = proxy
        self.clockOffset = Mutex(0)
        self.opened = Mutex(nil)
    }

    /// The counter's clock, as its store and its agent read it.
    var now: Date { Date().addingTimeInterval(clockOffset.withLock { $0 }) }

    /// The store, opened in the harness on the counter's clock, and the cashier logged in there.
    func session(holdDuration: Duration) async throws -> (box: BoxOffice, principal: Principal) {
        if let session = opened.withLock({ $0 }) { return session }
        var configuration = BoxOffice.Configuration()
        configuration.holdDuration = holdDuration
        configuration.clock = { [self] in now }
        configuration.logger.logLevel = .error
        let box = try BoxOffice.open(path: path, configuration: configuration)
        let principal = try await box.accounts.login(email: Simulation.managerEmail, password: Simulation.managerPassword).principal
        opened.withLock { $0 = (box, principal) }
        return (box, principal)
    }

    /// Closes the harness's handle on the store (before a file is put back from a backup).
    func closeSession() { opened.withLock { $0 = nil } }

    /// The environment of this counter's `boxoffice sync`: its URL, and its clock when it is off.
    func syncEnvironment(failpoint: String? = nil) -> [String: String] {
        var environment = ["BOXOFFICE_CENTRAL_URL": url, "BOXOFFICE_LOG_LEVEL": "error"]
        let offset = clockOffset.withLock { $0 }
        if offset != 0 { environment["BOXOFFICE_TEST_CLOCK_OFFSET"] = String(Int(offset)) }
        if let failpoint { environment["BOXOFFICE_SYNC_FAILPOINT"] = failpoint }
        return environment
    }
}
