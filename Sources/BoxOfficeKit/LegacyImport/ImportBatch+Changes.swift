import Foundation
import GRDB

extension ImportBatch {
    /// The batch as head office takes it (`central.import_legacy`): a JSON array, parents first, of
    /// `{entity, entity_id, payload}` whose payloads have exactly the keys and values the store's
    /// change-log triggers journal for these rows (without `hlc`, which head office stamps); each
    /// booking carries its `tickets`, and the old ids come last as `legacy_ids` rows.
    ///
    /// ```swift
    /// try connection.query("SELECT central.import_legacy($1::jsonb, $2)", [batch.headOfficeChanges(), node])
    /// ```
    public func headOfficeChanges() throws -> String {
        var changes: [[String: Any]] = []
        func add(_ entity: String, _ id: String, _ payload: [String: Any?]) {
            changes.append(["entity": entity, "entity_id": id, "payload": Self.json(payload)])
        }
        for row in cinemas { add("cinemas", row.id, row.payload) }
        for row in movies { add("movies", row.id, row.payload) }
        for row in paymentMethods { add("payment_methods", row.id, row.payload) }
        for row in studios { add("studios", row.id, row.payload) }
        for row in seats { add("seats", row.id, row.payload) }
        for row in showtimes { add("showtimes", row.id, row.payload) }
        for row in users { add("users", row.id, row.payload) }
        for row in bookings {
            changes.append([
                "entity": "bookings", "entity_id": row.id, "payload": Self.json(row.payload),
                "tickets": row.tickets.map { ["entity_id": $0.id, "payload": Self.json(row.payload(of: $0))] },
            ])
        }
        for entry in legacyIDs {
            add("legacy_ids", "\(entry.entity.rawValue)/\(entry.legacyID)",
                ["entity": entry.entity.rawValue, "legacy_id": entry.legacyID, "new_id": entry.newID])
        }
        let data = try JSONSerialization.data(withJSONObject: changes, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    /// `nil` values as JSON null.
    static func json(_ payload: [String: Any?]) -> [String: Any] {
        payload.mapValues { $0 ?? NSNull() }
    }

    /// An instant as the store keeps it (`2026-01-14 10:38:00.000`, UTC): GRDB's text form of a `Date`.
    static func instant(_ date: Date?) -> String? {
        date?.storeText
    }
}

extension ImportBatch.CinemaRow {
    var payload: [String: Any?] {
        ["id": id, "name": name, "city": city, "address": address, "time_zone": timeZone,
         "created_at": ImportBatch.instant(createdAt), "updated_at": ImportBatch.instant(updatedAt),
         "deleted_at": ImportBatch.instant(deletedAt)]
    }
}

extension ImportBatch.StudioRow {
    var payload: [String: Any?] {
        ["id": id, "cinema_id": cinemaID, "name": name, "layout_spec": layoutSpec, "seat_count": seatCount,
         "created_at": ImportBatch.instant(createdAt), "updated_at": ImportBatch.instant(updatedAt),
         "deleted_at": ImportBatch.instant(deletedAt)]
    }
}

extension ImportBatch.SeatRow {
    var payload: [String: Any?] {
        ["id": id, "studio_id": studioID, "row_label": rowLabel, "number": number, "label": label,
         "kind": SeatKind.regular.rawValue, "grid_row": gridRow, "grid_column": gridColumn]
    }
}

extension ImportBatch.MovieRow {
    var payload: [String: Any?] {
        ["id": id, "title": title, "description": description, "duration_minutes": durationMinutes,
         "release_date": releaseDate, "genre": genre, "rating": "", "poster_url": posterURL, "director": director,
         "cast_members": castMembers, "created_at": ImportBatch.instant(createdAt),
         "updated_at": ImportBatch.instant(updatedAt), "deleted_at": ImportBatch.instant(deletedAt)]
    }
}

extension ImportBatch.PaymentMethodRow {
    var payload: [String: Any?] {
        ["id": id, "code": code, "name": name, "kind": kind.rawValue, "enabled": enabled ? 1 : 0,
         "sort_order": sortOrder, "created_at": ImportBatch.instant(createdAt), "updated_at": ImportBatch.instant(updatedAt)]
    }
}

extension ImportBatch.ShowtimeRow {
    var payload: [String: Any?] {
        ["id": id, "cinema_id": cinemaID, "studio_id": studioID, "movie_id": movieID,
         "starts_at": ImportBatch.instant(startsAt), "ends_at": ImportBatch.instant(endsAt), "base_price": basePrice,
         "price_modifiers": [String: Int](), "price_version": "legacy", "price_needed": priceNeeded ? 1 : 0,
         "status": status.rawValue,
         "created_at": ImportBatch.instant(createdAt), "updated_at": ImportBatch.instant(updatedAt)]
    }
}

extension ImportBatch.UserRow {
    var payload: [String: Any?] {
        ["id": id, "name": name, "email": email, "phone": phone, "password_hash": passwordHash,
         "role": Role.customer.rawValue, "cinema_id": nil, "verified_at": ImportBatch.instant(verifiedAt),
         "created_at": ImportBatch.instant(createdAt), "updated_at": ImportBatch.instant(updatedAt)]
    }
}

extension ImportBatch.BookingRow {
    /// `sold_hlc` is the importing transaction's stamp for a paid booking; head office fills it in.
    var payload: [String: Any?] {
        ["id": id, "code": code, "showtime_id": showtimeID, "user_id": userID, "customer_name": customerName,
         "customer_email": customerEmail, "node_id": ImportBatch.nodeID, "channel": "online", "status": status.rawValue,
         "total": total, "payment_method_id": paymentMethodID, "payment_reference": nil, "refund_amount": nil,
         "hold_expires_at": ImportBatch.instant(holdExpiresAt), "sold_at": ImportBatch.instant(soldAt),
         "sold_hlc": nil, "created_by": userID, "created_at": ImportBatch.instant(createdAt),
         "updated_at": ImportBatch.instant(updatedAt)]
    }

    func payload(of ticket: ImportBatch.TicketRow) -> [String: Any?] {
        ["id": ticket.id, "booking_id": id, "showtime_id": showtimeID, "seat_id": ticket.seatID, "price": ticket.price,
         "price_version": "legacy", "status": ticket.status.rawValue, "created_at": ImportBatch.instant(createdAt),
         "updated_at": ImportBatch.instant(updatedAt)]
    }
}
