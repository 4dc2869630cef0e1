import Foundation

/// What an import of the old system's database will write, worked out from its rows alone: the
/// ``ImportBatch`` of new rows, and the tally of every old table (read, to import, imported before,
/// skipped with the reason, notes).
///
/// A plan never writes. It skips the old rows the mapping (``LegacyIDMap``) names, so planning the
/// same database against a target it was imported into gives an empty batch: a second run changes
/// nothing. The mapping rules are in `docs/legacy-import.md`; in short:
///
/// - accounts keep their bcrypt hashes and their verified flag; names and phones are trimmed (a
///   phone becomes `+62…` or is dropped); emails are lower-cased, and two old accounts whose
///   emails differ only by case become one account, reported;
/// - `seats.cinema_id` and `showtimes.cinema_id` are read as the studio ids they are; seat numbers
///   like `A1` become row and number on a grid the seat map draws; a studio without seats comes
///   without a layout;
/// - old timestamps are read in ``LegacyImportOptions/timeZone``; a price with a fraction of a
///   rupiah is never rounded: its showtime waits for a price;
/// - each `booking_seats` row becomes one booking with one ticket, `PAID` → paid, `PENDING` →
///   expired when the showtime has started, else held afresh; card data is dropped and counted;
/// - soft-deleted cinemas, studios and movies come as removed, showtimes as cancelled; soft-deleted
///   accounts, seats and bookings are skipped.
///
/// ```swift
/// let plan = try LegacyImportPlan(snapshot, mapping: try await box.legacyImport.mapping(), options: options)
/// print(plan.report.text)          // what would be imported
/// ```
public struct LegacyImportPlan: Sendable {
    /// The rows to write.
    public let batch: ImportBatch
    /// The options the plan was made with, their zones checked.
    public let options: LegacyImportOptions
    /// The tally of the old tables as planned, before the target settled anything.
    public let report: LegacyImportReport
    /// The old id of each booking, showtime, account and payment method of the batch.
    let origins: [String: Int64]
    /// The code of each booking of the batch.
    let codes: [String: String]

    /// Plans the import of `snapshot` into a target whose mapping of old ids is `mapping`.
    ///
    /// - Parameters:
    ///   - snapshot: The old database's rows.
    ///   - mapping: The old ids the target has imported already.
    ///   - options: Time zones, now, hold and cleaning times.
    /// - Throws: ``LegacyImportError/unknownTimeZone(_:)``.
    public init(_ snapshot: LegacySnapshot, mapping: LegacyIDMap, options: LegacyImportOptions) throws(LegacyImportError) {
        let options = try options.validated()
        var planner = Planner(snapshot: snapshot, ids: mapping, options: options)
        planner.plan()
        self.batch = planner.batch
        self.options = options
        self.report = planner.report
        self.origins = planner.origins
        self.codes = Dictionary(planner.batch.bookings.map { ($0.id, $0.code) }, uniquingKeysWith: { first, _ in first })
    }

    /// The final report: the plan's tally with what the target settled.
    ///
    /// - Parameters:
    ///   - target: Where the rows went, e.g. `store ./boxoffice.sqlite`.
    ///   - dryRun: Whether nothing was written.
    ///   - customersNode: The node the accounts belong to, for head office.
    ///   - outcome: What writing the batch settled.
    public func report(target: String, dryRun: Bool, customersNode: String? = nil, outcome: ImportOutcome) -> LegacyImportReport {
        var report = self.report
        report.target = target
        report.dryRun = dryRun
        report.customersNode = customersNode
        for merge in outcome.mergedUsers {
            report.note("users", origins[merge.id],
                        "the new system already has an account with this email: merged into it (its bookings follow; the old password is not kept)")
        }
        for merge in outcome.reusedPaymentMethods {
            report.note("payment_methods", origins[merge.id], "the new system already has a method with this code: the old id names that one")
        }
        for overlap in outcome.cancelledShowtimes {
            let other = overlap.overlaps.map { id in origins[id].map { "old showtime \($0)" } ?? "showtime \(id)" }
                ?? "a scheduled showtime"
            report.note("showtimes", origins[overlap.id], "overlaps \(other) in its studio: imported cancelled, its bookings kept")
        }
        for lost in outcome.lostSeats {
            let holder = codes[lost.holderBookingID] ?? lost.holderBookingID
            let twice = holder.hasPrefix(LegacyImportPlan.codePrefix) ? " (the old system booked it twice)" : ""
            switch lost.outcome {
            case .refundRequired:
                report.note("booking_seats", origins[lost.bookingID],
                            "its seat was already taken by booking \(holder)\(twice): imported paid, seat released, "
                                + "refund required (conflict \(lost.conflictID ?? "recorded"))")
            case .expired:
                report.note("booking_seats", origins[lost.bookingID],
                            "its seat was already taken by booking \(holder)\(twice): unpaid, imported expired")
            }
        }
        return report
    }

    /// Imported bookings' codes: `OLD-` and the old `booking_seats` id, e.g. `OLD-65`. No node's
    /// prefix can start so (node prefixes have no O).
    static let codePrefix = "OLD-"
}

extension LegacyImportPlan {
    /// The work of one plan: the batch and report being built, and what is known of every old row.
    struct Planner {
        let snapshot: LegacySnapshot
        /// Every old id's new id: the target's mapping, and what this plan adds.
        var ids: LegacyIDMap
        let options: LegacyImportOptions
        let zone: TimeZone
        var batch = ImportBatch()
        var report: LegacyImportReport
        var origins: [String: Int64] = [:]
        /// Why an old row was not imported, for the rows that refer to it.
        var skipped: [LegacyEntity: [Int64: String]] = [:]
        /// Old showtimes, imported now or before, as bookings need them.
        var showtimes: [Int64: ShowtimeInfo] = [:]
        /// Old studios planned in this run: their index in the batch.
        var plannedStudios: [Int64: Int] = [:]
        /// The seats planned for each old studio of this run.
        var plannedSeats: [Int64: [PlannedSeat]] = [:]
        /// The name and email of each account a booking may name, by old user id.
        var customers: [Int64: (name: String, email: String)] = [:]

        struct ShowtimeInfo {
            var studioID: Int64
            var startsAt: Date
            var price: Int
        }

        struct PlannedSeat {
            var legacyID: Int64
            var rowLabel: String
            var number: Int
            var newID: String
        }

        init(snapshot: LegacySnapshot, ids: LegacyIDMap, options: LegacyImportOptions) {
            self.snapshot = snapshot
            self.ids = ids
            self.options = options
            self.zone = TimeZone(identifier: options.timeZone) ?? .gmt
            self.report = LegacyImportReport(timeZone: options.timeZone, cinemaTimeZone: options.resolvedCinemaTimeZone)
        }

        mutating func plan() {
            planPaymentMethods()
            planCinemas()
            planStudios()
            planSeats()
            finishStudios()
            planMovies()
            planShowtimes()
            planUsers()
            planSessions()
            planBookings()
        }

        // MARK: - Shared steps

        /// Records the new row of an old one.
        mutating func map(_ entity: LegacyEntity, _ legacyID: Int64, to newID: String, origin: Bool = false) {
            ids[entity, legacyID] = newID
            batch.legacyIDs.append(LegacyID(entity: entity, legacyID: legacyID, newID: newID))
            if origin { origins[newID] = legacyID }
        }

        /// Records an old row as not imported.
        /// An old text a person typed, as ``HumanText`` lets it be kept (``HumanText/sanitised(_:maximum:)``):
        /// what was changed or not kept is noted on the row; `nil` when nothing of it is kept.
        mutating func humanText(_ raw: String?, _ table: String, _ legacyID: Int64, field: String, maximum: Int) -> String? {
            guard let raw else { return nil }
            let clean = HumanText.sanitised(raw, maximum: maximum)
            if let change = clean.change { report.note(table, legacyID, "its \(field): \(change)") }
            return clean.text
        }

        mutating func skip(_ table: String, _ entity: LegacyEntity, _ legacyID: Int64, _ reason: String) {
            skipped[entity, default: [:]][legacyID] = reason
            report.skip(table, legacyID, reason)
        }

        /// The new id of the old row `legacyID` another row refers to as its `noun`, or why it has none.
        func parent(_ entity: LegacyEntity, _ legacyID: Int64?, noun: String, known: Set<Int64>) -> (id: String?, reason: String?) {
            guard let legacyID else { return (nil, "it has no \(noun)") }
            if let id = ids[entity, legacyID] { return (id, nil) }
            guard known.contains(legacyID) else { return (nil, "its \(noun) \(legacyID) is not in the old database") }
            return (nil, "its \(noun) \(legacyID) was not imported (\(skipped[entity]?[legacyID] ?? "skipped"))")
        }

        /// An old zone-less timestamp as an instant, read in the import's zone.
        func time(_ text: String?) -> Date? {
            guard let text else { return nil }
            return LegacyImportPlan.instant(text, in: zone)
        }

        static func trimmed(_ text: String?) -> String? {
            let trimmed = text?.trimmingCharacters(in: .whitespacesAndNewlines)
            return trimmed?.isEmpty == false ? trimmed : nil
        }
    }

    /// `2026-01-15 17:38:31.683841` (or with `T`) read as a wall-clock time in `zone`; `nil` when it
    /// is not one.
    static func instant(_ text: String, in zone: TimeZone) -> Date? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(whereSeparator: { $0 == " " || $0 == "T" })
        guard parts.count == 2 else { return nil }
        let day = parts[0].split(separator: "-").compactMap { Int($0) }
        let clock = parts[1].split(separator: ":")
        guard day.count == 3, clock.count == 3, let hour = Int(clock[0]), let minute = Int(clock[1]) else { return nil }
        let seconds = clock[2].split(separator: ".", maxSplits: 1)
        guard let second = Int(seconds[0]) else { return nil }
        var nanoseconds = 0
        if seconds.count == 2 {
            let digits = String(seconds[1].prefix(9))
            guard digits.allSatisfy(\.isNumber), let value = Int(digits) else { return nil }
            nanoseconds = value * Int(pow(10, Double(9 - digits.count)))
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let components = DateComponents(year: day[0], month: day[1], day: day[2], hour: hour, minute: minute,
                                        second: second, nanosecond: nanoseconds)
        guard components.isValidDate(in: calendar) else { return nil }
        return calendar.date(from: components)
    }

    /// A `numeric` rupiah amount as whole rupiah; `nil` when it has a fraction, is negative, too
    /// large or not a number.
    static func wholeRupiah(_ text: String) -> Int? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty, whole.allSatisfy(\.isNumber), let value = Int(whole),
              value <= 100_000_000 else { return nil }
        if parts.count == 2 {
            guard parts[1].allSatisfy({ $0 == "0" }) else { return nil }
        }
        return value
    }
}
