import GRDB

/// Booking codes: this node's prefix (from `sync_state.code_prefix`) and a local sequence,
/// e.g. `K7QX2M-0042`. Prefixes differ between nodes, so codes never collide across counters.
enum BookingCode {
    /// The next code of this store; call inside the write transaction that inserts the booking.
    static func next(_ db: Database) throws -> String {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: """
            UPDATE sync_state SET last_booking_number = last_booking_number + 1 WHERE singleton = 1
            RETURNING code_prefix, last_booking_number
            """))
        else { throw StoreError.damaged("the store has no booking-code prefix") }
        return format(prefix: row["code_prefix"], number: row["last_booking_number"])
    }

    /// The code of number `number` under `prefix`: at least four digits, `K7QX2M-0042`.
    static func format(prefix: String, number: Int) -> String {
        let digits = String(number)
        return prefix + "-" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
