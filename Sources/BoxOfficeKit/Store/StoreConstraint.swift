import GRDB

/// The named constraints of the local store that the kit turns into domain errors.
///
/// SQLite names neither a unique index nor a trigger in its errors the way PostgreSQL does
/// (SQLSTATE and constraint name), so this is the one place that recognises them: a unique
/// violation (`SQLITE_CONSTRAINT_UNIQUE`) by the unique index whose columns its message lists, a
/// trigger's (`SQLITE_CONSTRAINT_TRIGGER`) by its message, which every trigger of `rules/` makes its
/// own name. Never by the wording of a message.
///
/// ```swift
/// } catch let error as DatabaseError where db.brokenConstraint(error) == .oneActiveTicketPerSeat {
///     throw SaleError.seatTaken(labels)
/// }
/// ```
enum StoreConstraint: String, CaseIterable, Sendable {
    /// `tickets_one_active_per_seat`: one active ticket per seat of a showtime.
    case oneActiveTicketPerSeat = "tickets_one_active_per_seat"
    /// `users_one_account_per_email`: one account per email, whatever its case.
    case oneAccountPerEmail = "users_one_account_per_email"
    /// `studios_one_name_per_cinema`: studio names are unique within a cinema.
    case oneStudioNamePerCinema = "studios_one_name_per_cinema"
    /// `bookings_one_per_code`: a booking code names one booking.
    case oneBookingPerCode = "bookings_one_per_code"
    /// `showtimes_no_overlap`: two scheduled showtimes never overlap in one studio.
    case showtimesDoNotOverlap = "showtimes_no_overlap"
    /// `showtimes_studio_of_cinema`: a showtime plays in a studio of its cinema.
    case showtimeStudioOfCinema = "showtimes_studio_of_cinema"
    /// `tickets_seat_of_showtime_studio`: a ticket's seat belongs to its showtime's studio.
    case ticketSeatOfShowtimeStudio = "tickets_seat_of_showtime_studio"
    /// `bookings_status_moves_forward`: a booking's state moves only forward.
    case bookingStatusMovesForward = "bookings_status_moves_forward"
}

extension Database {
    /// The named constraint that `error` reports broken, or `nil` for any other error.
    ///
    /// Call it on the connection the failed statement ran on, inside its transaction.
    func brokenConstraint(_ error: DatabaseError) -> StoreConstraint? {
        let message = error.message ?? ""
        switch error.extendedResultCode {
        case .SQLITE_CONSTRAINT_TRIGGER:
            return StoreConstraint(rawValue: message)
        case .SQLITE_CONSTRAINT_UNIQUE:
            // "UNIQUE constraint failed: tickets.showtime_id, tickets.seat_id"
            guard let list = message.split(separator: ":", maxSplits: 1).last else { return nil }
            let qualified = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            let tables = Set(qualified.compactMap { $0.split(separator: ".").first.map(String.init) })
            guard tables.count == 1, let table = tables.first else { return nil }
            let columns = qualified.compactMap { $0.split(separator: ".").last.map(String.init) }
            // A schema that cannot be read leaves the error unrecognised: the caller rethrows it as it is.
            let index = try? indexes(on: table).first { $0.isUnique && $0.columns == columns }
            return index.flatMap { StoreConstraint(rawValue: $0.name) }
        default:
            return nil
        }
    }
}
