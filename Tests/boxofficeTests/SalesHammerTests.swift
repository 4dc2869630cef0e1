import Foundation
import GRDB
import Testing

/// Several OS processes (the real `boxoffice` binary) sell overlapping seats of one showtime in one
/// store file at the same time. The partial unique index, `BEGIN IMMEDIATE` writes and the busy
/// timeout must leave every seat with at most one active ticket, every loser with a clean
/// "seat taken" error (never "database is locked"), and no booking half-written.
struct SalesHammerTests {
    struct Attempt {
        var seats: [String]
        var process: Process
        var stdout: Pipe
        var stderr: Pipe
    }

    struct Outcome {
        var seats: [String]
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Starts every sale at once, then waits for all of them (at most `deadline` seconds).
    private func hammer(
        _ fixture: SalesCLIFixture, _ requests: [[String]], holdEvery: Int = 0, deadline: TimeInterval = 90
    ) throws -> [Outcome] {
        var attempts: [Attempt] = []
        for (index, seats) in requests.enumerated() {
            let process = Process()
            process.executableURL = CLIRunner.executable
            let hold = holdEvery > 0 && index % holdEvery == 0
            process.arguments = (hold ? ["book", fixture.showtimeID] + seats : ["sell", fixture.showtimeID] + seats + ["--method", "cash"])
                + ["--json"]
            var environment = ProcessInfo.processInfo.environment
            environment["BOXOFFICE_DB"] = fixture.cli.storePath
            process.environment = environment
            let stdout = Pipe(), stderr = Pipe()
            process.standardOutput = stdout
            process.standardError = stderr
            attempts.append(Attempt(seats: seats, process: process, stdout: stdout, stderr: stderr))
        }
        for attempt in attempts { try attempt.process.run() }
        let end = Date().addingTimeInterval(deadline)
        while attempts.contains(where: \.process.isRunning) && Date() < end {
            Thread.sleep(forTimeInterval: 0.05)
        }
        for attempt in attempts where attempt.process.isRunning {
            attempt.process.terminate()
            Issue.record("a sale of \(attempt.seats) was still running after \(deadline) s")
        }
        return attempts.map { attempt in
            attempt.process.waitUntilExit()
            return Outcome(
                seats: attempt.seats, status: attempt.process.terminationStatus,
                stdout: String(decoding: attempt.stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self),
                stderr: String(decoding: attempt.stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
        }
    }

    /// Checks the outcomes against each other and against the store.
    private func check(_ outcomes: [Outcome], _ fixture: SalesCLIFixture) throws {
        var soldSeats: [String] = []
        for outcome in outcomes {
            if outcome.status == 0 {
                let booking = try SalesCLIFixture.object(outcome.stdout)
                #expect(["paid", "held"].contains(booking["status"] as? String))
                #expect(Set(booking["seats"] as? [String] ?? []) == Set(outcome.seats))
                soldSeats += outcome.seats
            } else {
                #expect(outcome.status == 67, "\(outcome.seats): \(outcome.stderr)")
                #expect(outcome.stderr.hasPrefix("error: seat"), "\(outcome.stderr)")
                #expect(outcome.stderr.hasSuffix("already taken: nothing was booked\n"), "\(outcome.stderr)")
                #expect(!outcome.stderr.contains("locked"))
                #expect(outcome.stdout.isEmpty)
            }
        }
        #expect(Set(soldSeats).count == soldSeats.count, "a seat was sold twice: \(soldSeats.sorted())")
        #expect(outcomes.contains { $0.status == 0 })

        try fixture.read { db in
            let doubled = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM (SELECT 1 FROM tickets WHERE status = 'active'
                                      GROUP BY showtime_id, seat_id HAVING COUNT(*) > 1)
                """)
            #expect(doubled == 0)
            let active = try String.fetchAll(db, sql: """
                SELECT se.label FROM tickets t JOIN seats se ON se.id = t.seat_id WHERE t.status = 'active'
                """)
            #expect(Set(active) == Set(soldSeats))
            #expect(active.count == soldSeats.count)
            let bookings = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM bookings WHERE status IN ('paid', 'held')")
            #expect(bookings == outcomes.filter { $0.status == 0 }.count)
            // No booking is half-written: each has all its tickets, its total is their sum, and the
            // change log holds every row.
            let halfWritten = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM bookings b
                WHERE b.total <> (SELECT COALESCE(SUM(price), 0) FROM tickets t WHERE t.booking_id = b.id)
                   OR NOT EXISTS (SELECT 1 FROM tickets t WHERE t.booking_id = b.id)
                """)
            #expect(halfWritten == 0)
            let logged = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM change_log WHERE entity IN ('bookings', 'tickets') AND operation = 'insert'
                """)
            let rows = try Int.fetchOne(db, sql: "SELECT (SELECT COUNT(*) FROM bookings) + (SELECT COUNT(*) FROM tickets)")
            #expect(logged == rows)
        }
    }

    @Test(.timeLimit(.minutes(3)))
    func processesSellingOverlappingSeatsNeverSellASeatTwice() async throws {
        let fixture = try await SalesCLIFixture()
        try await fixture.logIn(SalesCLIFixture.managerEmail)
        // Eight sales of three neighbouring seats each: every window overlaps the next two.
        let windows = (0..<8).map { start in (start + 1...start + 3).map { "C\($0)" } }
        let outcomes = try hammer(fixture, windows)
        try check(outcomes, fixture)
        #expect(outcomes.contains { $0.status != 0 }, "overlapping windows cannot all succeed")
    }

    @Test(.timeLimit(.minutes(3)))
    func processesRacingForTheSameSeatsLeaveExactlyOneWinner() async throws {
        let fixture = try await SalesCLIFixture()
        try await fixture.logIn(SalesCLIFixture.managerEmail)
        let outcomes = try hammer(fixture, Array(repeating: ["E5", "E6"], count: 8))
        try check(outcomes, fixture)
        #expect(outcomes.filter { $0.status == 0 }.count == 1)
        let losers = outcomes.filter { $0.status != 0 }
        #expect(losers.allSatisfy { $0.stderr == "error: seats E5, E6 are already taken: nothing was booked\n" })
    }

    @Test(.timeLimit(.minutes(3)))
    func heldAndSoldSeatsExcludeEachOtherAcrossProcesses() async throws {
        let fixture = try await SalesCLIFixture()
        try await fixture.logIn(SalesCLIFixture.managerEmail)
        // Twelve processes, every third one holding (`book`) instead of selling, over rows A and B.
        let requests = (0..<12).map { index in
            let row = index % 2 == 0 ? "A" : "B"
            return (0..<(2 + index % 3)).map { "\(row)\((index * 3 + $0 * 2) % 10 + 1)" }
        }
        let outcomes = try hammer(fixture, requests, holdEvery: 3)
        try check(outcomes, fixture)
    }
}
