import GRDB

/// Booking codes: this node's prefix (from `sync_state.code_prefix`) and a local sequence,
/// e.g. `K7QX2M-0042`. Prefixes differ between nodes, so codes never collide across counters.
enum BookingCode {
    /// The next code of this store; call inside the write transaction that inserts the booking.
    static func next(_ db: Database) throws -> String {
        guard let prefix = try String.fetchOne(db.cachedStatement(sql: "SELECT code_prefix FROM sync_state WHERE singleton = 1")) else {
            throw StoreError.damaged("the store has no booking-code prefix")
        }
        let last = try Int.fetchOne(db.cachedStatement(sql: """
            SELECT MAX(CAST(substr(code, length(?1) + 2) AS INTEGER)) FROM bookings
            WHERE code > ?1 || '-' AND code < ?1 || '.'
            """), arguments: [prefix]) ?? 0
        let number = String(last + 1)
        return prefix + "-" + String(repeating: "0", count: max(0, 4 - number.count)) + number
    }
}
