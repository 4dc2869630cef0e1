import Foundation
@testable import BoxOfficeKit

/// A clock that tests move by hand.
final class TestClock: @unchecked Sendable {
    // @unchecked: the lock guards `current`, the only mutable state.
    private let lock = NSLock()
    private var current: Date

    init(_ start: Date = Date(timeIntervalSince1970: 1_767_225_600)) {  // 2026-01-01 00:00 UTC
        current = start
    }

    var now: Date { lock.withLock { current } }

    func advance(by seconds: TimeInterval) {
        lock.withLock { current = current.addingTimeInterval(seconds) }
    }
}

/// A fresh store file in its own temporary folder, for one test.
struct TestStore {
    let directory: URL
    let path: String
    let clock: TestClock
    let box: BoxOffice

    init(clock: TestClock = TestClock(), configure: (inout BoxOffice.Configuration) -> Void = { _ in }) throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("boxoffice-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent("store.sqlite").path
        self.clock = clock
        var configuration = BoxOffice.Configuration()
        configuration.clock = { [clock] in clock.now }
        configure(&configuration)
        box = try BoxOffice.open(path: path, configuration: configuration)
    }
}
