import BoxOfficeKit
import BoxOfficeServer
import Foundation
import Logging

/// `http`: N concurrent clients on 127.0.0.1, each on its own keep-alive connection to an
/// in-process `boxoffice serve`, booking two seats (`POST /v1/bookings`) and reading the showtime's
/// seat map (`GET /v1/showtimes/{id}/seats`) in turn, against N tasks making the same calls to the
/// kit directly, in the same run. Every pair of seats is wanted by two clients at once, so half the
/// bookings are refused as taken; after each side the seat maps must show each pair held once,
/// by the booking that won it: no seat sold twice.
struct HTTPLoadScenario {
    var clients: Int
    /// Distinct two-seat bookings; each is tried by two clients.
    var bookings: Int
    var scratch: Scratch

    func run() async throws -> ScenarioResult {
        let served = try await BenchStore.make(at: scratch.path("http-served.sqlite"), sales: bookings)
        let direct = try await BenchStore.make(at: scratch.path("http-direct.sqlite"), sales: bookings)
        let overHTTP = try await serve(served)
        let called = try await callDirectly(direct)
        return ScenarioResult(
            scenario: "http", kit: overHTTP.perSecond, baseline: called.perSecond, unit: "requests/s",
            note: "\(clients) clients over HTTP on 127.0.0.1 vs \(clients) tasks calling the kit; \(bookings) two-seat "
                + "bookings each tried by 2 clients (half refused as taken) and a seat map after each try",
            kitP50Milliseconds: overHTTP.latencies.percentileMilliseconds(0.5),
            kitP99Milliseconds: overHTTP.latencies.percentileMilliseconds(0.99),
            baselineP50Milliseconds: called.latencies.percentileMilliseconds(0.5),
            baselineP99Milliseconds: called.latencies.percentileMilliseconds(0.99), size: overHTTP.requests)
    }

    struct Figure {
        var requests: Int
        var seconds: Double
        var latencies: Samples
        var perSecond: Double { seconds > 0 ? Double(requests) / seconds : 0 }
    }

    /// The sale numbers client `index` tries: each number falls to two clients.
    func numbers(of index: Int) -> [Int] {
        let pairs = max(1, clients / 2)
        return Array(stride(from: index % pairs, to: bookings, by: pairs))
    }

    private func serve(_ store: BenchStore) async throws -> Figure {
        let (box, _) = try await store.open()
        var logger = Logger(label: "boxoffice.bench.serve")
        logger.logLevel = .warning
        let server = BoxOfficeServer(box: box, configuration: .init(port: 0), logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            let (ports, listening) = AsyncStream.makeStream(of: Int.self)
            group.addTask { try await server.run { _, port in listening.yield(port) } }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw LoadFailure.notListening }
            var tokens: [String] = []
            for _ in 0..<clients {
                tokens.append(try await box.accounts.login(email: BenchStore.managerEmail, password: BenchStore.managerPassword).token)
            }
            let clientTokens = tokens
            let reports = try await LoadClients.run(count: clients) { index in
                let connection = try BlockingHTTP(port: port, token: clientTokens[index])
                var report = LoadClients.Report()
                for number in numbers(of: index) {
                    let sale = store.sale(number)
                    let body = #"{"showtime_id": "\#(sale.showtimeID)", "seats": ["\#(sale.seats[0])", "\#(sale.seats[1])"]}"#
                    let started = ContinuousClock.now
                    let booked = try connection.request("POST", "/v1/bookings", body: body)
                    report.latencies.add(ContinuousClock.now - started)
                    guard booked == 201 || booked == 409 else { throw LoadFailure.unexpected(booked) }
                    if booked == 201 { report.booked += 1 }
                    let read = ContinuousClock.now
                    guard try connection.request("GET", "/v1/showtimes/\(sale.showtimeID)/seats", body: nil) == 200 else {
                        throw LoadFailure.unexpected(0)
                    }
                    report.latencies.add(ContinuousClock.now - read)
                    report.requests += 2
                }
                return report
            }
            group.cancelAll()
            return try await check(reports, on: box, store)
        }
    }

    private func callDirectly(_ store: BenchStore) async throws -> Figure {
        let (box, manager) = try await store.open()
        let reports = try await withThrowingTaskGroup(of: LoadClients.Report.self) { group in
            let start = ContinuousClock.now
            for index in 0..<clients {
                group.addTask {
                    var report = LoadClients.Report()
                    report.startedAt = start
                    for number in numbers(of: index) {
                        let sale = store.sale(number)
                        let started = ContinuousClock.now
                        do {
                            _ = try await box.sales.book(showtime: sale.showtimeID, seats: sale.seats, by: manager)
                            report.booked += 1
                        } catch SaleError.seatTaken {}
                        report.latencies.add(ContinuousClock.now - started)
                        let read = ContinuousClock.now
                        _ = try await box.sales.seatMap(showtime: sale.showtimeID)
                        report.latencies.add(ContinuousClock.now - read)
                        report.requests += 2
                    }
                    report.finishedAt = ContinuousClock.now
                    return report
                }
            }
            var reports: [LoadClients.Report] = []
            for try await report in group { reports.append(report) }
            return reports
        }
        return try await check(reports, on: box, store)
    }

    /// Every pair booked exactly once, and the seat maps hold exactly those seats: none twice.
    private func check(_ reports: [LoadClients.Report], on box: BoxOffice, _ store: BenchStore) async throws -> Figure {
        let booked = reports.reduce(0) { $0 + $1.booked }
        var held = 0
        for showtime in Set((0..<bookings).map { store.sale($0).showtimeID }) {
            held += try await box.sales.seatMap(showtime: showtime).seats.filter { $0.state == .held }.count
        }
        guard booked == bookings, held == 2 * bookings else { throw LoadFailure.soldTwice(booked: booked, heldSeats: held) }
        var latencies = Samples()
        for report in reports { latencies.append(report.latencies) }
        let start = reports.compactMap(\.startedAt).min(), end = reports.compactMap(\.finishedAt).max()
        let seconds = start.flatMap { start in end.map { ($0 - start).seconds } } ?? 0
        return Figure(requests: reports.reduce(0) { $0 + $1.requests }, seconds: seconds, latencies: latencies)
    }

    enum LoadFailure: Error {
        case notListening, unexpected(Int), soldTwice(booked: Int, heldSeats: Int)
    }
}

/// Clients on threads of their own (blocking sockets must not hold the few threads Swift
/// concurrency has, which the server's handlers run on), released together.
enum LoadClients {
    struct Report: Sendable {
        var requests = 0
        var booked = 0
        var latencies = Samples()
        var startedAt: ContinuousClock.Instant?
        var finishedAt: ContinuousClock.Instant?
    }

    static func run(count: Int, _ body: @escaping @Sendable (Int) throws -> Report) async throws -> [Report] {
        let results = Results(count: count)
        let ready = DispatchGroup(), done = DispatchGroup()
        let go = DispatchSemaphore(value: 0)
        for index in 0..<count {
            ready.enter()
            done.enter()
            let thread = Thread {
                ready.leave()
                go.wait()
                let started = ContinuousClock.now
                do {
                    var report = try body(index)
                    report.startedAt = started
                    report.finishedAt = ContinuousClock.now
                    results.set(index, .success(report))
                } catch {
                    results.set(index, .failure(error))
                }
                done.leave()
            }
            thread.start()
        }
        await withCheckedContinuation { continuation in ready.notify(queue: .global()) { continuation.resume() } }
        for _ in 0..<count { go.signal() }
        await withCheckedContinuation { continuation in done.notify(queue: .global()) { continuation.resume() } }
        return try results.all()
    }

    /// One slot per client.
    final class Results: @unchecked Sendable {
        // @unchecked: `lock` guards `slots`, the only mutable state.
        private let lock = NSLock()
        private var slots: [Result<Report, any Error>?]

        init(count: Int) { slots = Array(repeating: nil, count: count) }

        func set(_ index: Int, _ result: Result<Report, any Error>) { lock.withLock { slots[index] = result } }

        func all() throws -> [Report] { try lock.withLock { try slots.map { try $0!.get() } } }
    }
}
