import Foundation

extension LegacyImportPlan.Planner {
    /// Each `booking_seats` row becomes one booking with one ticket, in the order the old rows were
    /// made: the old system booked, paid and numbered every seat on its own (`booking_id` names one
    /// row), and of two rows for one seat of one showtime the earlier keeps it.
    mutating func planBookings() {
        report.read("booking_seats", snapshot.bookings.count)
        report.cardDataDropped = snapshot.bookings.count(where: \.hadCardData)
        let knownShowtimes = Set(snapshot.showtimes.map(\.id)), knownSeats = Set(snapshot.seats.map(\.id))
        let knownMethods = Set(snapshot.paymentMethods.map(\.id)), knownUsers = Set(snapshot.users.map(\.id))
        let seatStudios = Dictionary(snapshot.seats.map { ($0.id, $0.studioID) }, uniquingKeysWith: { first, _ in first })
        let hold = options.holdDuration.timeInterval
        var expired = 0, held = 0
        let rows = snapshot.bookings.sorted { lhs, rhs in
            (time(lhs.createdAt) ?? .distantFuture, lhs.id) < (time(rhs.createdAt) ?? .distantFuture, rhs.id)
        }
        for old in rows {
            if ids[.bookings, old.id] != nil {
                report.alreadyImported("booking_seats")
                continue
            }
            guard old.deletedAt == nil else {
                skip("booking_seats", .bookings, old.id, "removed in the old system")
                continue
            }
            let showtime = parent(.showtimes, old.showtimeID, noun: "showtime", known: knownShowtimes)
            guard let showtimeID = showtime.id, let info = old.showtimeID.flatMap({ showtimes[$0] }) else {
                skip("booking_seats", .bookings, old.id, showtime.reason ?? "its showtime has no start time")
                continue
            }
            let seat = parent(.seats, old.seatID, noun: "seat", known: knownSeats)
            guard let seatID = seat.id else {
                skip("booking_seats", .bookings, old.id, seat.reason!)
                continue
            }
            if let seatStudio = old.seatID.flatMap({ seatStudios[$0] }) ?? nil, seatStudio != info.studioID {
                skip("booking_seats", .bookings, old.id,
                     "its seat \(old.seatID!) is in studio \(seatStudio), not in its showtime's studio \(info.studioID)")
                continue
            }
            let status = old.status?.trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
            let paid = status == "PAID"
            var methodID: String?
            if old.paymentMethodID != nil {
                methodID = parent(.paymentMethods, old.paymentMethodID, noun: "payment method", known: knownMethods).id
            }
            if paid && methodID == nil {
                skip("booking_seats", .bookings, old.id,
                     "paid, but its payment method was not imported (\(old.paymentMethodID.map(String.init) ?? "none")): a paid booking needs one")
                continue
            }
            if !paid && status != "PENDING" {
                report.note("booking_seats", old.id, "its status \(old.status.map { "'\($0)'" } ?? "NULL") is read as unpaid")
            }
            var userID: String?, customer: (name: String, email: String)?
            if let oldUser = old.userID {
                let account = parent(.users, oldUser, noun: "account", known: knownUsers)
                userID = account.id
                customer = userID == nil ? nil : customers[oldUser]
                if userID == nil {
                    report.note("booking_seats", old.id, "\(account.reason!): kept without an account")
                }
            }
            let created = time(old.createdAt) ?? time(old.updatedAt) ?? options.now
            let updated = time(old.updatedAt) ?? created
            var bookingStatus = BookingStatus.paid, ticketStatus = Ticket.Status.active, holdUntil: Date?
            if !paid {
                if info.startsAt <= options.now {
                    bookingStatus = .expired
                    ticketStatus = .released
                    expired += 1
                } else {
                    bookingStatus = .held
                    holdUntil = options.now.addingTimeInterval(hold)
                    held += 1
                }
            }
            let booking = ImportBatch.BookingRow(
                id: EntityID.make(at: created), code: LegacyImportPlan.codePrefix + String(old.id), showtimeID: showtimeID,
                userID: userID, customerName: customer?.name, customerEmail: customer?.email, status: bookingStatus,
                total: info.price, paymentMethodID: paid ? methodID : nil, holdExpiresAt: holdUntil,
                soldAt: paid ? updated : nil, createdAt: created, updatedAt: updated,
                tickets: [ImportBatch.TicketRow(id: EntityID.make(at: created), seatID: seatID, price: info.price, status: ticketStatus)])
            batch.bookings.append(booking)
            map(.bookings, old.id, to: booking.id, origin: true)
            map(.tickets, old.id, to: booking.tickets[0].id)
            report.imported("booking_seats")
        }
        if expired > 0 {
            report.note("booking_seats", nil, "\(expired) unpaid booking\(expired == 1 ? "" : "s") of showtimes that had started: imported expired")
        }
        if held > 0 {
            report.note("booking_seats", nil, "\(held) unpaid booking\(held == 1 ? "" : "s") of later showtimes: held for "
                + "\(Int(hold / 60)) minutes from the import, to be paid or to expire")
        }
    }
}
