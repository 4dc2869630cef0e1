import Foundation

extension LegacyImportPlan.Planner {
    /// The store's built-in payment methods (`schemas/sqlite/0001_initial.sql`) by an old method's
    /// name with everything but letters and digits removed, lower-cased.
    static let builtInMethods: [String: (code: String, id: String)] = [
        "cash": ("cash", "00000000-0000-7000-8000-000000000001"),
        "debitcard": ("debit_card", "00000000-0000-7000-8000-000000000002"),
        "creditcard": ("credit_card", "00000000-0000-7000-8000-000000000003"),
        "qris": ("qris", "00000000-0000-7000-8000-000000000004"),
        "gopay": ("gopay", "00000000-0000-7000-8000-000000000005"),
        "ovo": ("ovo", "00000000-0000-7000-8000-000000000006"),
        "virtualaccount": ("virtual_account", "00000000-0000-7000-8000-000000000007"),
        "bankvirtualaccount": ("virtual_account", "00000000-0000-7000-8000-000000000007"),
    ]

    mutating func planPaymentMethods() {
        report.read("payment_methods", snapshot.paymentMethods.count)
        var codes = Set(Self.builtInMethods.values.map(\.code))
        for method in snapshot.paymentMethods.sorted(by: { $0.id < $1.id }) {
            if ids[.paymentMethods, method.id] != nil {
                report.alreadyImported("payment_methods")
                continue
            }
            let name = humanText(method.name, "payment_methods", method.id, field: "name", maximum: 200) ?? "Payment method \(method.id)"
            let key = String(name.lowercased().filter { $0.isASCII && ($0.isLetter || $0.isNumber) })
            if let builtIn = Self.builtInMethods[key] {
                map(.paymentMethods, method.id, to: builtIn.id)
                report.imported("payment_methods")
                report.note("payment_methods", method.id, "is the built-in method \(builtIn.code)")
                continue
            }
            var code = String(name.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
                .split(separator: "_").joined(separator: "_")
            if code.isEmpty || codes.contains(code) { code = (code.isEmpty ? "method" : code) + "_\(method.id)" }
            codes.insert(code)
            let lower = name.lowercased()
            let kind: PaymentMethod.Kind = lower.contains("card") ? .card
                : lower.contains("qris") ? .qris
                : lower.contains("virtual") || lower.contains("transfer") ? .virtualAccount
                : lower.contains("cash") ? .cash : .ewallet
            let created = time(method.createdAt) ?? options.now
            let row = ImportBatch.PaymentMethodRow(
                id: EntityID.make(at: created), code: code, name: name, kind: kind, enabled: method.deletedAt == nil,
                sortOrder: 100 + Int(method.id), createdAt: created, updatedAt: time(method.updatedAt) ?? created)
            batch.paymentMethods.append(row)
            map(.paymentMethods, method.id, to: row.id, origin: true)
            report.imported("payment_methods")
            report.note("payment_methods", method.id, "a new method \(code), of kind \(kind.rawValue) as its name suggests"
                + (method.deletedAt == nil ? "" : "; removed in the old system: imported switched off"))
        }
    }

    mutating func planCinemas() {
        report.read("cinemas", snapshot.cinemas.count)
        let zone = options.resolvedCinemaTimeZone
        let city = zone.split(separator: "/").last.map { $0.replacingOccurrences(of: "_", with: " ") } ?? zone
        for cinema in snapshot.cinemas.sorted(by: { $0.id < $1.id }) {
            if ids[.cinemas, cinema.id] != nil {
                report.alreadyImported("cinemas")
                continue
            }
            let created = time(cinema.createdAt) ?? options.now
            let name = humanText(cinema.name, "cinemas", cinema.id, field: "name", maximum: 200)
            let row = ImportBatch.CinemaRow(
                id: EntityID.make(at: created), name: name ?? "Cinema \(cinema.id)", city: city,
                address: humanText(cinema.location, "cinemas", cinema.id, field: "location", maximum: 500) ?? "", timeZone: zone, createdAt: created,
                updatedAt: time(cinema.updatedAt) ?? created, deletedAt: time(cinema.deletedAt))
            batch.cinemas.append(row)
            map(.cinemas, cinema.id, to: row.id)
            report.imported("cinemas")
            if name == nil { report.note("cinemas", cinema.id, "has no name: named \(row.name)") }
            if row.deletedAt != nil { report.note("cinemas", cinema.id, "removed in the old system: imported as removed") }
        }
        if !batch.cinemas.isEmpty {
            report.note("cinemas", nil, "the old database records no city: each imported cinema's city is \(city), "
                + "from its time zone \(zone); correct it with `boxoffice cinemas edit ID --city …`")
        }
    }

    mutating func planStudios() {
        report.read("studios", snapshot.studios.count)
        let knownCinemas = Set(snapshot.cinemas.map(\.id))
        var names = Set<String>()
        for studio in snapshot.studios.sorted(by: { $0.id < $1.id }) {
            if ids[.studios, studio.id] != nil {
                report.alreadyImported("studios")
                continue
            }
            let cinema = parent(.cinemas, studio.cinemaID, noun: "cinema", known: knownCinemas)
            guard let cinemaID = cinema.id else {
                skip("studios", .studios, studio.id, cinema.reason!)
                continue
            }
            let created = time(studio.createdAt) ?? options.now
            var name = humanText(studio.name, "studios", studio.id, field: "name", maximum: 100) ?? "Studio \(studio.id)"
            if Self.trimmed(studio.name) == nil { report.note("studios", studio.id, "has no name: named \(name)") }
            if names.contains(cinemaID + "/" + name) {
                let renamed = "\(name) (old \(studio.id))"
                report.note("studios", studio.id, "its cinema has another studio called \(name): named \(renamed)")
                name = renamed
            }
            names.insert(cinemaID + "/" + name)
            let row = ImportBatch.StudioRow(
                id: EntityID.make(at: created), cinemaID: cinemaID, name: name, layoutSpec: "", seatCount: 0,
                createdAt: created, updatedAt: time(studio.updatedAt) ?? created, deletedAt: time(studio.deletedAt))
            plannedStudios[studio.id] = batch.studios.count
            batch.studios.append(row)
            map(.studios, studio.id, to: row.id)
            report.imported("studios")
            if row.deletedAt != nil { report.note("studios", studio.id, "removed in the old system: imported as removed") }
        }
    }

    mutating func planSeats() {
        report.read("seats", snapshot.seats.count)
        let knownStudios = Set(snapshot.studios.map(\.id))
        var labels: [Int64: [String: PlannedSeat]] = [:]
        for seat in snapshot.seats.sorted(by: { $0.id < $1.id }) {
            if ids[.seats, seat.id] != nil {
                report.alreadyImported("seats")
                continue
            }
            guard seat.deletedAt == nil else {
                skip("seats", .seats, seat.id, "removed in the old system")
                continue
            }
            let studio = parent(.studios, seat.studioID, noun: "studio", known: knownStudios)
            guard studio.id != nil, let studioID = seat.studioID else {
                skip("seats", .seats, seat.id, studio.reason!)
                continue
            }
            guard plannedStudios[studioID] != nil else {
                skip("seats", .seats, seat.id,
                     "its studio \(studioID) was imported before this seat existed: add the seat to its layout by hand")
                continue
            }
            guard let (row, number) = Self.seatLabel(seat.seatNumber) else {
                skip("seats", .seats, seat.id, "its seat number is not a row letter and a number from 1 to 99, like A1")
                continue
            }
            let label = "\(row)\(number)"
            if let twin = labels[studioID]?[label] {
                map(.seats, seat.id, to: twin.newID)
                report.imported("seats")
                report.note("seats", seat.id, "has the same number \(label) as old seat \(twin.legacyID) of its studio: both name one seat")
                continue
            }
            let planned = PlannedSeat(legacyID: seat.id, rowLabel: row, number: number, newID: EntityID.make(at: options.now))
            labels[studioID, default: [:]][label] = planned
            plannedSeats[studioID, default: []].append(planned)
            map(.seats, seat.id, to: planned.newID)
            report.imported("seats")
        }
    }

    /// `A1`, ` b12 ` → (A, 1), (B, 12); `nil` for anything else.
    static func seatLabel(_ text: String?) -> (String, Int)? {
        guard let text = trimmed(text)?.uppercased(), let first = text.unicodeScalars.first,
              ("A"..."Z").contains(first) else { return nil }
        let digits = text.dropFirst()
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(digits),
              (1...99).contains(number) else { return nil }
        return (String(first), number)
    }

    /// Gives each studio of this run its layout: the grid from its first to last row and lowest to
    /// highest number, its old seats placed on it; a studio without seats stays without a layout.
    mutating func finishStudios() {
        for (legacyID, index) in plannedStudios.sorted(by: { $0.key < $1.key }) {
            let seats = plannedSeats[legacyID] ?? []
            guard let firstRow = seats.map(\.rowLabel).min(), let lastRow = seats.map(\.rowLabel).max(),
                  let lowest = seats.map(\.number).min(), let highest = seats.map(\.number).max() else {
                report.note("studios", legacyID, "has no seats in the old database: imported without a layout; its showtimes are "
                    + "kept but not on sale until a manager completes it (`boxoffice studios layout ID --layout …`)")
                continue
            }
            let spec = "rows \(firstRow)-\(lastRow); seats \(lowest)-\(highest)"
            guard let layout = try? SeatLayout(parsing: spec) else { continue }
            let positions = Dictionary(uniqueKeysWithValues: layout.seats.map { ($0.label, $0) })
            for seat in seats.sorted(by: { ($0.rowLabel, $0.number) < ($1.rowLabel, $1.number) }) {
                guard let position = positions["\(seat.rowLabel)\(seat.number)"] else { continue }
                batch.seats.append(ImportBatch.SeatRow(
                    id: seat.newID, studioID: batch.studios[index].id, rowLabel: seat.rowLabel, number: seat.number,
                    gridRow: position.gridRow, gridColumn: position.gridColumn))
            }
            batch.studios[index].layoutSpec = spec
            batch.studios[index].seatCount = seats.count
            let present = Set(seats.map { "\($0.rowLabel)\($0.number)" })
            let missing = layout.seats.map(\.label).filter { !present.contains($0) }
            if !missing.isEmpty {
                let shown = missing.prefix(10).joined(separator: ", ") + (missing.count > 10 ? ", …" : "")
                report.note("studios", legacyID, "its old seats leave gaps in \(spec) (no \(shown)): the seat map shows them as gaps")
            }
        }
    }

    mutating func planMovies() {
        report.read("movies", snapshot.movies.count)
        var scores = false
        for movie in snapshot.movies.sorted(by: { $0.id < $1.id }) {
            if ids[.movies, movie.id] != nil {
                report.alreadyImported("movies")
                continue
            }
            guard let duration = movie.duration, (1...600).contains(duration) else {
                skip("movies", .movies, movie.id, "it has no running time from 1 to 600 minutes, which its showtimes need")
                continue
            }
            let created = time(movie.createdAt) ?? options.now
            let title = humanText(movie.title, "movies", movie.id, field: "title", maximum: 200)
            let releaseDate = Self.trimmed(movie.releaseDate).flatMap { text -> String? in
                (try? LocalDateTime.parseDate(text)) != nil ? text : nil
            }
            let row = ImportBatch.MovieRow(
                id: EntityID.make(at: created), title: title ?? "Movie \(movie.id)",
                description: humanText(movie.description, "movies", movie.id, field: "description", maximum: 5000) ?? "", durationMinutes: duration, releaseDate: releaseDate,
                genre: humanText(movie.genre, "movies", movie.id, field: "genre", maximum: 100) ?? "", posterURL: Self.trimmed(movie.posterURL),
                director: humanText(Self.director(movie.directorInfo), "movies", movie.id, field: "director", maximum: 200) ?? "",
                castMembers: Self.cast(movie.castInfo).compactMap { humanText($0, "movies", movie.id, field: "cast", maximum: 200) }, createdAt: created,
                updatedAt: time(movie.updatedAt) ?? created, deletedAt: time(movie.deletedAt))
            batch.movies.append(row)
            map(.movies, movie.id, to: row.id)
            report.imported("movies")
            scores = scores || movie.rating != nil
            if title == nil { report.note("movies", movie.id, "has no title: named \(row.title)") }
            if row.deletedAt != nil { report.note("movies", movie.id, "removed in the old system: imported as removed") }
        }
        if scores {
            report.note("movies", nil, "the old 0–10 review scores are not imported: a movie's rating here is its age rating (13+)")
        }
    }

    /// The name in `director_info` (`{"name": …, "photo_url": …}`).
    static func director(_ json: String?) -> String {
        guard let object = parsedJSON(json) as? [String: Any] else { return "" }
        return trimmed(object["name"] as? String) ?? ""
    }

    /// The names in `cast_info` (an array of `{"name", "role", "photo_url"}`, or one such object).
    static func cast(_ json: String?) -> [String] {
        let value = parsedJSON(json)
        let members = value as? [Any] ?? (value.map { [$0] } ?? [])
        return members.compactMap { member in
            trimmed((member as? [String: Any])?["name"] as? String) ?? trimmed(member as? String)
        }
    }

    private static func parsedJSON(_ text: String?) -> Any? {
        guard let text else { return nil }
        return try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
    }

    mutating func planShowtimes() {
        report.read("showtimes", snapshot.showtimes.count)
        let knownMovies = Set(snapshot.movies.map(\.id)), knownStudios = Set(snapshot.studios.map(\.id))
        let durations = Dictionary(snapshot.movies.map { ($0.id, $0.duration ?? 0) }, uniquingKeysWith: { first, _ in first })
        let studioCinemas = Dictionary(snapshot.studios.map { ($0.id, $0.cinemaID) }, uniquingKeysWith: { first, _ in first })
        let cleaning = options.cleaningBuffer.timeInterval
        var planned: [ImportBatch.ShowtimeRow] = []
        for showtime in snapshot.showtimes.sorted(by: { $0.id < $1.id }) {
            let start = time(showtime.startTime)
            let price = showtime.price.flatMap(LegacyImportPlan.wholeRupiah)
            if ids[.showtimes, showtime.id] != nil {
                report.alreadyImported("showtimes")
                if let start, let studio = showtime.studioID {
                    showtimes[showtime.id] = ShowtimeInfo(studioID: studio, startsAt: start, price: price ?? 0)
                }
                continue
            }
            let movie = parent(.movies, showtime.movieID, noun: "movie", known: knownMovies)
            let studio = parent(.studios, showtime.studioID, noun: "studio", known: knownStudios)
            guard let movieID = movie.id else {
                skip("showtimes", .showtimes, showtime.id, movie.reason!)
                continue
            }
            guard let studioID = studio.id, let oldStudio = showtime.studioID,
                  let cinemaID = studioCinemas[oldStudio].flatMap({ $0 }).flatMap({ ids[.cinemas, $0] }) else {
                skip("showtimes", .showtimes, showtime.id, studio.reason ?? "its studio's cinema was not imported")
                continue
            }
            guard let start else {
                skip("showtimes", .showtimes, showtime.id, "it has no start time")
                continue
            }
            let minutes = durations[showtime.movieID ?? 0] ?? 0
            let created = time(showtime.createdAt) ?? options.now
            let row = ImportBatch.ShowtimeRow(
                id: EntityID.make(at: created), cinemaID: cinemaID, studioID: studioID, movieID: movieID, startsAt: start,
                endsAt: start.addingTimeInterval(TimeInterval(minutes * 60) + cleaning), basePrice: price ?? 0,
                priceNeeded: price == nil, status: showtime.deletedAt == nil ? .scheduled : .cancelled,
                createdAt: created, updatedAt: time(showtime.updatedAt) ?? created)
            planned.append(row)
            map(.showtimes, showtime.id, to: row.id, origin: true)
            showtimes[showtime.id] = ShowtimeInfo(studioID: oldStudio, startsAt: start, price: row.basePrice)
            report.imported("showtimes")
            if price == nil {
                report.note("showtimes", showtime.id, (showtime.price.map { "its price \($0) is not a whole number of rupiah" }
                    ?? "it has no price") + ": imported as price needed, not on sale until a manager sets it "
                    + "(`boxoffice showtimes price ID --price …`); its bookings are kept")
            }
            if showtime.deletedAt != nil {
                report.note("showtimes", showtime.id, "removed in the old system: imported cancelled, its bookings kept")
            }
        }
        // The earlier of two showtimes that overlap in a studio keeps its place.
        batch.showtimes = planned.sorted { ($0.startsAt, $0.id) < ($1.startsAt, $1.id) }
        if !planned.isEmpty {
            report.note("showtimes", nil, "each imported showtime ends at its start plus the movie's running time plus "
                + "\(Int(cleaning / 60)) minutes of cleaning; the old end_time was not kept in step with the movie and is not used")
        }
    }
}
