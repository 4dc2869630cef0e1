/// How one synced table takes rows from head office's feed: its columns, its key, and the checks
/// that keep a row whose parent this store lacks from failing the whole page.
struct FeedEntity {
    /// The feed's entity name, which is also the local table's name.
    let table: String
    /// Columns filled from the payload's keys of the same names.
    let columns: [String]
    /// The key the upsert conflicts on.
    let key: [String]
    /// Columns whose value is kept only when this store has the row it refers to (else NULL).
    var optionalReferences: [String: String] = [:]
    /// The value of a column when the payload lacks its key (a row written before the column existed).
    var defaults: [String: String] = [:]
    /// SQL conditions (on the page row `f`) a row must meet to be applied at all.
    var requirements: [String] = []
    /// When an incoming row (`excluded`) replaces the stored one, whole: by default, when its HLC is
    /// newer (last writer wins).
    var replacesWhen: String?

    /// Parents before children, so foreign keys hold while a page is applied.
    static let all: [FeedEntity] = [
        FeedEntity(table: "cinemas", columns: ["id", "name", "city", "address", "time_zone", "created_at", "updated_at", "deleted_at", "hlc"], key: ["id"]),
        FeedEntity(table: "movies", columns: ["id", "title", "description", "duration_minutes", "release_date", "genre", "rating", "poster_url", "director", "cast_members", "created_at", "updated_at", "deleted_at", "hlc"], key: ["id"]),
        FeedEntity(table: "payment_methods", columns: ["id", "code", "name", "kind", "enabled", "sort_order", "created_at", "updated_at", "hlc"], key: ["id"]),
        FeedEntity(table: "studios", columns: ["id", "cinema_id", "name", "layout_spec", "seat_count", "created_at", "updated_at", "deleted_at", "hlc"], key: ["id"],
                   requirements: [exists("cinemas", "cinema_id")]),
        FeedEntity(table: "seats", columns: ["id", "studio_id", "row_label", "number", "label", "kind", "grid_row", "grid_column", "hlc"], key: ["id"],
                   requirements: [exists("studios", "studio_id")]),
        FeedEntity(table: "showtimes", columns: ["id", "cinema_id", "studio_id", "movie_id", "starts_at", "ends_at", "base_price", "price_modifiers", "price_version", "price_needed", "status", "created_at", "updated_at", "hlc"], key: ["id"],
                   defaults: ["price_needed": "0", "price_version": "''"],
                   requirements: [exists("studios", "studio_id"), exists("movies", "movie_id")]),
        FeedEntity(table: "seat_blocks", columns: ["showtime_id", "seat_id", "reason", "hlc"], key: ["showtime_id", "seat_id"],
                   requirements: [exists("showtimes", "showtime_id"), exists("seats", "seat_id")]),
        FeedEntity(table: "seat_allotments", columns: ["showtime_id", "seat_id", "node_id", "node_name", "hlc"], key: ["showtime_id", "seat_id"],
                   requirements: [exists("showtimes", "showtime_id"), exists("seats", "seat_id"), "f.node_id IS NOT NULL"]),
        // One account per email: a local account already using the email keeps it (head office merged them).
        FeedEntity(table: "users", columns: ["id", "name", "email", "phone", "password_hash", "role", "cinema_id", "verified_at", "created_at", "updated_at", "hlc"], key: ["id"],
                   optionalReferences: ["cinema_id": "cinemas"],
                   requirements: ["NOT EXISTS (SELECT 1 FROM users u WHERE u.email = f.email COLLATE NOCASE AND u.id <> f.id)"]),
        // Of head office's copy and this store's, the copy in the later state of the booking-states
        // rule (rules/booking_states.sql: booking_status_order) wins whole; of two in one state, the newer.
        FeedEntity(table: "bookings", columns: ["id", "code", "showtime_id", "user_id", "customer_name", "customer_email", "node_id", "channel", "status", "total", "payment_method_id", "payment_reference", "refund_amount", "hold_expires_at", "sold_at", "sold_hlc", "created_by", "created_at", "updated_at", "hlc"], key: ["id"],
                   optionalReferences: ["user_id": "users", "created_by": "users", "payment_method_id": "payment_methods"],
                   requirements: [exists("showtimes", "showtime_id")],
                   replacesWhen: """
                       (SELECT rank FROM booking_status_order WHERE status = excluded.status)
                       > (SELECT rank FROM booking_status_order WHERE status = bookings.status)
                       OR (excluded.status = bookings.status AND excluded.hlc > bookings.hlc)
                       """),
        FeedEntity(table: "tickets", columns: ["id", "booking_id", "showtime_id", "seat_id", "price", "price_version", "status", "created_at", "updated_at", "hlc"], key: ["id"],
                   defaults: ["price_version": "''"],
                   requirements: [exists("bookings", "booking_id"), exists("seats", "seat_id")]),
        // The old system's ids of rows head office imported (`boxoffice import-legacy --central`).
        FeedEntity(table: "legacy_ids", columns: ["entity", "legacy_id", "new_id", "hlc"], key: ["entity", "legacy_id"]),
    ]

    /// The keys of a conflict record's payload (`sync_conflicts`, which head office alone writes).
    static let conflictKeys = [
        "kind", "node_name", "entity", "entity_id", "booking_id", "showtime_id", "seat_before", "seat_after", "reason",
        "node_side", "central_side", "status", "resolution", "created_at", "resolved_at", "printed_code",
    ]

    static func named(_ table: String) -> FeedEntity? { all.first { $0.table == table } }

    private static func exists(_ table: String, _ column: String) -> String {
        "EXISTS (SELECT 1 FROM \(table) WHERE id = f.\(column))"
    }

    /// The upsert of this entity's rows among the page's positions `lower...upper`, in feed order.
    var upsertSQL: String {
        let values = columns.map { column -> String in
            let value = defaults[column].map { "coalesce(f.\(column), \($0))" } ?? "f.\(column)"
            guard let parent = optionalReferences[column] else { return value }
            return "(SELECT id FROM \(parent) WHERE id = \(value))"
        }
        let assignments = columns.filter { !key.contains($0) }.map { column in
            "\(column) = excluded.\(column)"
        }
        let conditions = ["f.feed_entity = '\(table)'", "f.feed_operation <> 'delete'", "f.position BETWEEN :lower AND :upper"]
            + requirements
        return """
            INSERT INTO \(table) (\(columns.joined(separator: ", ")))
            SELECT \(values.joined(separator: ", ")) FROM temp.feed_page f
            WHERE \(conditions.joined(separator: " AND "))
            ORDER BY f.position
            ON CONFLICT (\(key.joined(separator: ", "))) DO UPDATE SET \(assignments.joined(separator: ", "))
            WHERE \(replacesWhen ?? "excluded.hlc > \(table).hlc")
            """
    }

    /// The deletes of this entity's rows among the page's positions `lower...upper`.
    var deleteSQL: String {
        let deletedKeys = """
            SELECT feed_entity_id FROM temp.feed_page
            WHERE feed_entity = '\(table)' AND feed_operation = 'delete' AND position BETWEEN :lower AND :upper
            """
        // A feed row names a row of a composite key by its parts joined with '/' (`showtime/seat`).
        return "DELETE FROM \(table) WHERE \(key.joined(separator: " || '/' || ")) IN (\(deletedKeys))"
    }
}
