import BoxOfficeKit
import Foundation
import GRDB
import SyncAgent

extension Simulation {
    /// One step of the schedule: an operation or a fault, drawn from the seed.
    ///
    /// Every choice comes from ``SeededRandom``; the outcomes of a step (a seat taken, a hold run
    /// out) come from the real stores and head office, and are logged, so a failing run's history
    /// shows what happened.
    func play() async {
        restartDueServices()
        let live = counters.filter { !history.revoked.contains($0.name) }
        guard !live.isEmpty else { return }
        let counter = live[Int.random(in: 0..<live.count, using: &random)]
        let roll = Int.random(in: 0..<100, using: &random)
        do {
            switch roll {
            case 0..<22: try await sell(at: counter)
            case 22..<30: try await book(at: counter)
            case 30..<36: try await pay(at: counter)
            case 36..<40: try await cancel(at: counter)
            case 40..<42: try await expireHolds(at: counter)
            case 42..<45: try await register(at: counter)
            case 45..<47: try await counterResolves(at: counter)
            case 47..<60: await sync(counter)
            case 60..<66: await syncBurst(live)
            case 66..<68: try hqAllot()
            case 68..<69: try hqPolicy()
            case 69..<71: try hqResolve()
            case 71..<76: cut(counter)
            case 76..<80: await cutAfterCommit(counter)
            case 80..<86: await killMidBatch(counter)
            case 86..<88: try postgresCrash()
            case 88..<92: skewClock(counter)
            case 92..<93: try await revoke(counter, among: live)
            case 93..<95: try await backUpOrRestore(counter)
            case 95..<96: try hqCancelShowtime()
            default: try await sell(at: counter)
            }
        } catch {
            report.count(operation: "refused")
            note("\(counter.name): refused: \(error)")
        }
    }

    // MARK: Counter operations

    private func pickSeats(at counter: SimulatedCounter, box: BoxOffice) async throws -> (String, [String])? {
        guard let candidates = showtimes[counter.cinemaID], !candidates.isEmpty else { return nil }
        let showtimeID = candidates[Int.random(in: 0..<candidates.count, using: &random)]
        let map = try await box.sales.seatMap(showtime: showtimeID)
        let free = map.seats.filter { $0.state == .free }.map(\.label).sorted()
        guard !free.isEmpty else { return nil }
        let own = Set(history.allotments.filter { $0.counter == counter.name && $0.showtimeID == showtimeID }.flatMap(\.seats))
        let pool = random.chance(0.4) && !free.filter(own.contains).isEmpty ? free.filter(own.contains) : free
        let count = min(pool.count, Int.random(in: 1...2, using: &random))
        var seats = Set<String>()
        while seats.count < count { seats.insert(pool[Int.random(in: 0..<pool.count, using: &random)]) }
        return (showtimeID, seats.sorted())
    }

    private func receipt(of booking: Booking, at counter: SimulatedCounter, told: String) {
        let own = Set(history.allotments.filter { $0.counter == counter.name && $0.showtimeID == booking.showtimeID }.flatMap(\.seats))
        let seats = booking.seats.sorted()
        history.receipts.append(History.Receipt(
            counter: counter.name, step: step, bookingID: booking.id, code: booking.code, showtimeID: booking.showtimeID,
            seats: seats, amount: booking.total.rupiah, told: [told], fromAllotment: seats.allSatisfy(own.contains)))
        note("\(counter.name): \(told) \(booking.code) \(seats.joined(separator: ",")) \(booking.total.rupiah)")
    }

    func sell(at counter: SimulatedCounter) async throws {
        let (box, principal) = try await counter.session(holdDuration: Self.holdDuration)
        guard let (showtimeID, seats) = try await pickSeats(at: counter, box: box) else { return }
        report.count(operation: "sell")
        let booking = try await box.sales.sell(showtime: showtimeID, seats: seats, method: "cash", by: principal)
        receipt(of: booking, at: counter, told: "paid")
    }

    func book(at counter: SimulatedCounter) async throws {
        let (box, principal) = try await counter.session(holdDuration: Self.holdDuration)
        guard let (showtimeID, seats) = try await pickSeats(at: counter, box: box) else { return }
        report.count(operation: "book")
        let booking = try await box.sales.book(showtime: showtimeID, seats: seats, for: .walkIn(name: "Walk-in"), by: principal)
        receipt(of: booking, at: counter, told: "held")
    }

    func pay(at counter: SimulatedCounter) async throws {
        guard let held = history.receipts.last(where: { $0.counter == counter.name && $0.told.last == "held" && !$0.lostInRestore }) else { return }
        let (box, principal) = try await counter.session(holdDuration: Self.holdDuration)
        report.count(operation: "pay")
        do {
            let booking = try await box.sales.pay(code: held.code, method: "cash", amount: Money(rupiah: held.amount), by: principal)
            history.tell(held.code, booking.status.rawValue)
            note("\(counter.name): paid \(held.code)")
        } catch let error as SaleError {
            if case .holdExpired = error { history.tell(held.code, "expired") }
            if case let .bookingClosed(_, status) = error { history.tell(held.code, status.rawValue) }
            throw error
        }
    }

    func cancel(at counter: SimulatedCounter) async throws {
        let open = history.receipts.filter { $0.counter == counter.name && ["held", "paid"].contains($0.told.last ?? "") && !$0.lostInRestore }
        guard !open.isEmpty else { return }
        let chosen = open[Int.random(in: 0..<open.count, using: &random)]
        let (box, principal) = try await counter.session(holdDuration: Self.holdDuration)
        report.count(operation: "cancel")
        let booking = try await box.sales.cancel(code: chosen.code, by: principal)
        history.tell(chosen.code, booking.status.rawValue)
        note("\(counter.name): cancelled \(chosen.code) → \(booking.status.rawValue)")
    }

    func expireHolds(at counter: SimulatedCounter) async throws {
        let (box, _) = try await counter.session(holdDuration: Self.holdDuration)
        report.count(operation: "expire holds")
        let expired = try await box.sales.expireStaleHolds()
        note("\(counter.name): \(expired) holds expired")
    }

    func register(at counter: SimulatedCounter) async throws {
        let (box, _) = try await counter.session(holdDuration: Self.holdDuration)
        // A small pool of emails: the same one is registered at two counters while they are offline.
        let number = Int.random(in: 1...5, using: &random)
        report.count(operation: "register")
        _ = try await box.accounts.register(name: "Customer \(number)", email: "customer\(number)@example.com",
                                            phone: "08123456789\(number)", password: "nonton-terus-\(number)")
        note("\(counter.name): registered customer\(number)@example.com")
    }

    func counterResolves(at counter: SimulatedCounter) async throws {
        let (box, _) = try await counter.session(holdDuration: Self.holdDuration)
        guard let conflict = try await box.replica.conflicts().first(where: { $0.bookingID != nil }) else { return }
        report.count(operation: "counter resolves")
        let agent = SyncAgent(box: box, centralURL: counter.url)
        try await agent.resolveConflict(conflict.id, seat: nil, by: "cashier of \(counter.name)")
        note("\(counter.name): resolved conflict \(conflict.id) by refund")
    }

    // MARK: Syncs and agent crashes

    /// One `boxoffice sync` round of `counter`, a separate process.
    func sync(_ counter: SimulatedCounter, batchSize: Int? = nil) async {
        report.count(operation: "sync")
        let size = batchSize ?? [2, 5, 50][Int.random(in: 0..<3, using: &random)]
        do {
            let exit = try ChildProcess.run(options.boxoffice, ["sync", "--db", counter.path, "--batch-size", String(size)],
                                            environment: counter.syncEnvironment())
            note("\(counter.name): sync exit \(exit.status): \(exit.output.split(separator: "\n").first ?? "")")
        } catch {
            note("\(counter.name): sync did not start: \(error)")
        }
    }

    /// Several counters' agents at once, so head office takes their pushes concurrently.
    func syncBurst(_ live: [SimulatedCounter]) async {
        report.count(operation: "sync burst")
        let chosen = live.filter { _ in random.chance(0.6) }
        let processes = chosen.compactMap { counter in
            try? ChildProcess(options.boxoffice, ["sync", "--db", counter.path, "--batch-size", "3"], environment: counter.syncEnvironment())
        }
        for (counter, process) in zip(chosen, processes) {
            let exit = process.wait()
            note("\(counter.name): burst sync exit \(exit.status)")
        }
    }

    /// The agent is killed with SIGKILL in the middle of its work: at a failpoint (between head
    /// office's commit and the local record, after recording a batch, between fetching and applying
    /// a feed page), or after a random moment.
    func killMidBatch(_ counter: SimulatedCounter) async {
        let points = ["after-central-commit", "after-local-apply", "after-pull-fetch", "timed"]
        let point = points[Int.random(in: 0..<points.count, using: &random)]
        report.count(fault: "agent killed (\(point))")
        do {
            if point == "timed" {
                let delay = UInt32(Int.random(in: 20_000...300_000, using: &random))
                let process = try ChildProcess(options.boxoffice, ["sync", "--db", counter.path, "--batch-size", "2"],
                                               environment: counter.syncEnvironment())
                usleep(delay)
                process.kill()
                let exit = process.wait()
                note("\(counter.name): agent killed after \(delay / 1000) ms (signalled \(exit.signalled))")
            } else {
                let exit = try ChildProcess.run(options.boxoffice, ["sync", "--db", counter.path, "--batch-size", "2"],
                                                environment: counter.syncEnvironment(failpoint: point))
                note("\(counter.name): agent killed at \(point) (signalled \(exit.signalled))")
            }
        } catch {
            note("\(counter.name): agent did not start: \(error)")
        }
    }

    // MARK: Network

    func cut(_ counter: SimulatedCounter) {
        if counter.proxy.mode == .open {
            report.count(fault: "network cut")
            counter.proxy.set(.cut)
            note("\(counter.name): network cut")
        } else {
            counter.proxy.set(.open)
            note("\(counter.name): network healed")
        }
    }

    /// Cuts the counter's network after head office committed its next push and before the agent
    /// read the answer, then syncs it into that cut.
    func cutAfterCommit(_ counter: SimulatedCounter) async {
        let (box, _) = (try? await counter.session(holdDuration: Self.holdDuration)) ?? (nil, nil)
        guard let box, (try? await box.replica.state().pendingChanges) ?? 0 > 0, serverUp else { return }
        report.count(fault: "cut after commit")
        counter.proxy.set(.open)
        counter.proxy.set(.cutAfterNextCommit)
        await sync(counter, batchSize: 2)
        note("\(counter.name): cut after commit (answers dropped so far: \(counter.proxy.droppedAfterCommit))")
    }

    // MARK: Head office

    func headOffice() throws -> HeadOffice { try HeadOffice(url: centralURL, connectTimeout: .seconds(3)) }

    func hqAllot() throws {
        guard serverUp else { return }
        let live = counters.filter { !history.revoked.contains($0.name) }
        let counter = live[Int.random(in: 0..<live.count, using: &random)]
        guard let showtimeID = showtimes[counter.cinemaID]?.randomElement(using: &random),
              let label = seatLabels[showtimeID]?.randomElement(using: &random) else { return }
        report.count(operation: "head office allots")
        try headOffice().allot(showtimeID: showtimeID, seats: [label], to: counter.name)
        history.allotments.append(History.Allotment(showtimeID: showtimeID, seats: [label], counter: counter.name))
        note("hq: allotted \(label) to \(counter.name)")
    }

    func hqPolicy() throws {
        guard serverUp, let cinemaID = cinemaIDs.randomElement(using: &random) else { return }
        let policy: SeatPolicy = random.chance(0.5) ? .earliestSaleWins : .firstAccepted
        report.count(operation: "head office switches policy")
        try headOffice().setSeatPolicy(policy, forCinema: cinemaID)
        note("hq: policy \(policy.rawValue)")
    }

    func hqResolve() throws {
        guard serverUp else { return }
        let office = try headOffice()
        guard let conflict = try office.conflicts().first(where: { $0.bookingID != nil }) else { return }
        report.count(operation: "head office resolves")
        try office.refundConflict(conflict.id, by: "head office")
        note("hq: refunded conflict \(conflict.id)")
    }

    /// PostgreSQL stopped as a crash would; it comes back a few steps later.
    func postgresCrash() throws {
        guard serverUp else { return }
        report.count(fault: "PostgreSQL stopped -m immediate")
        try server.stop(immediate: true)
        serverUp = false
        restartStep = step + Int.random(in: 2...8, using: &random)
        note("hq: PostgreSQL stopped -m immediate")
    }

    func restartDueServices() {
        if !serverUp, step >= restartStep {
            if (try? server.start()) != nil { serverUp = true; note("hq: PostgreSQL started again") }
        }
    }

    // MARK: Clocks, revocation, restore

    /// A counter's clock set off by minutes or hours either way, or to another date; or set right.
    func skewClock(_ counter: SimulatedCounter) {
        let offsets: [TimeInterval] = [0, 180, -180, 7_200, -7_200, 86_400, -86_400]
        let offset = offsets[Int.random(in: 0..<offsets.count, using: &random)]
        report.count(fault: offset == 0 ? "clock set right" : "clock skewed")
        counter.clockOffset.withLock { $0 = offset }
        note("\(counter.name): clock offset \(Int(offset)) s")
    }

    /// Head office revokes a counter that holds allotments, once a run; it syncs first (its sales
    /// must not be stranded) and neither sells nor syncs again.
    func revoke(_ counter: SimulatedCounter, among live: [SimulatedCounter]) async throws {
        // Not before some sales (a third of a short run, 200 steps of a long one).
        guard serverUp, history.revoked.isEmpty, live.count > 2, step > min(options.steps / 3, 200),
              history.allotments.contains(where: { $0.counter == counter.name }) else { return }
        counter.proxy.set(.open)
        for _ in 0..<3 {
            await sync(counter)
            if try await counter.session(holdDuration: Self.holdDuration).box.replica.state().pendingChanges == 0 { break }
        }
        guard try await counter.session(holdDuration: Self.holdDuration).box.replica.state().pendingChanges == 0 else { return }
        let revocation = try headOffice().revokeNode(named: counter.name)
        report.count(fault: "counter revoked")
        history.revoked.append(counter.name)
        note("hq: revoked \(counter.name): \(revocation.releasedAllotments) allotted seats released, \(revocation.expiredHolds) holds expired, missing \(revocation.missingCount)")
    }

    /// Behind ``Options/restoreFault``: a counter's store is backed up (SQLite's backup API, while
    /// the counter is idle, with its origin marker), and at a later such step put back while the
    /// counter sells on — half the time with the marker, as when a whole disk rolls back, so that
    /// only head office can find the fork.
    ///
    /// What the restore destroyed is recorded from the only copies left, the backup and head
    /// office (read before the file is put back): a sale printed after the backup that head office
    /// never received is lost, and the customer's later state of a sale lives on only as far as
    /// either copy had it. The checker holds the run to that, not to what the destroyed store knew.
    func backUpOrRestore(_ counter: SimulatedCounter) async throws {
        guard options.restoreFault else { return }
        let marker = counter.path + ".origin"
        guard let (backup, backupStep) = backups[counter.name] else {
            let backup = directory.appendingPathComponent("\(counter.name)-backup-\(step).sqlite")
            try DatabaseQueue(path: counter.path).backup(to: DatabaseQueue(path: backup.path))
            try? FileManager.default.copyItem(atPath: marker, toPath: backup.path + ".origin")
            backups[counter.name] = (backup, step)
            note("\(counter.name): backed up to \(backup.lastPathComponent)")
            return
        }
        // What survives elsewhere is read from head office; while it is down the restore waits.
        guard serverUp else { return }
        backups[counter.name] = nil
        let withMarker = random.chance(0.5)
        report.count(fault: withMarker ? "store and marker restored from a backup" : "store restored from a backup")
        let central = try PostgresConnection(url: centralURL)
        let rank = try HistoryChecker.ranks(central)
        let headOfficeSeqs = try central.query("SELECT seq FROM central.inbox WHERE node_name = $1", [counter.name]).values.compactMap { $0[0].flatMap(Int.init) }
        let backupRows = try DatabaseQueue(path: backup.path).read { db in try Row.fetchAll(db, sql: "SELECT id, status FROM bookings") }
        let inBackup = Dictionary(uniqueKeysWithValues: backupRows.map { row -> (String, String) in (row["id"], row["status"]) })
        var behindInBackup: [String] = []
        for index in history.receipts.indices where history.receipts[index].counter == counter.name && !history.receipts[index].lostInRestore {
            let receipt = history.receipts[index]
            let atHeadOffice = try central.query("SELECT \(HistoryChecker.centralStatus) FROM central.bookings WHERE id = $1", [receipt.bookingID]).scalar
            if let backed = inBackup[receipt.bookingID], let central = atHeadOffice, rank[backed] ?? 0 < rank[central] ?? 0 {
                behindInBackup.append(receipt.bookingID)
            }
            let survivors = [inBackup[receipt.bookingID], atHeadOffice].compactMap { $0 }
            guard let survivor = survivors.max(by: { rank[$0] ?? 0 < rank[$1] ?? 0 }) else {
                history.receipts[index].lostInRestore = true
                note("\(counter.name): the restore destroyed \(receipt.code), printed at step \(receipt.step) and never synced")
                continue
            }
            if let told = receipt.told.last, rank[survivor] ?? 0 < rank[told] ?? 0 {
                history.receipts[index].told.append(survivor)
                note("\(counter.name): the restore destroyed \(receipt.code)'s \(told); it survives \(survivor)")
            }
        }
        try options.beforeRestore?(centralURL)
        counter.closeSession()
        for suffix in ["", "-wal", "-shm", ".origin"] where suffix != ".origin" || withMarker {
            try? FileManager.default.removeItem(atPath: counter.path + suffix)
        }
        try FileManager.default.copyItem(at: backup, to: URL(fileURLWithPath: counter.path))
        if withMarker { try? FileManager.default.copyItem(atPath: backup.path + ".origin", toPath: marker) }
        history.restores.append(History.Restore(counter: counter.name, step: step, backupStep: backupStep,
                                                withMarker: withMarker, headOfficeSeqs: headOfficeSeqs,
                                                behindInBackup: behindInBackup))
        note("\(counter.name): store\(withMarker ? " and marker" : "") restored from \(backup.lastPathComponent)")
    }

    /// Head office cancels a showtime that counters may be selling offline, at most once per
    /// cinema and never its last, not before some sales (a quarter of a short run, 150 steps of a
    /// long one): its paid sales end refund-required, its holds cancelled, and a sale of it pushed
    /// later is kept for a refund too.
    func hqCancelShowtime() throws {
        guard serverUp, let cinemaID = cinemaIDs.randomElement(using: &random),
              let candidates = showtimes[cinemaID], candidates.count > 1,
              !candidates.contains(where: history.cancelledShowtimes.contains),
              step > min(options.steps / 4, 150) else { return }
        let showtimeID = candidates[Int.random(in: 0..<candidates.count, using: &random)]
        let cancellation = try headOffice().cancelShowtime(id: showtimeID, reason: "projector broken")
        report.count(fault: "showtime cancelled by head office")
        history.cancelledShowtimes.append(showtimeID)
        note("hq: cancelled showtime \(showtimeID): \(cancellation.refundRequired) paid sales kept for a refund, \(cancellation.cancelledHolds) holds cancelled")
    }
}
