import Foundation
import GRDB

/// The seat rule of the counter: when a seat of a showtime is taken, and by what.
///
/// A seat of a showtime is
/// - **sold** or **held** while an active ticket holds it whose booking is paid, or held or pending
///   payment with its hold not run out (``BookingStatus/effectiveSQL(_:)``): a hold that ran out
///   holds nothing, though its ticket row stays active until a sale needs the seat;
/// - **blocked** when head office took it out of sale for the showtime;
/// - **allotted** when head office allotted it to another node, which alone sells it offline;
/// - **free** otherwise.
///
/// This is the only place the kit decides it: the seat map shows it and a sale checks it. Head
/// office's `rules/seats.sql` is the same rule in PostgreSQL, and a test proves they agree.
enum SeatStates {
    /// The SQL expression of whether the active ticket `t` of booking `b` holds its seat at `:now`.
    static func ticketHoldsSeatSQL(booking b: String) -> String {
        "(\(b).status = 'paid' OR (\(b).status IN ('held', 'pending_payment') AND \(BookingStatus.holdLiveSQL(b))))"
    }

    /// The SQL expression of the state of seat `se` in showtime `st`, given `:now` and `:node`; the
    /// query joins ``stateJoinsSQL`` for it.
    static let stateSQL = """
        CASE
          WHEN b.status = 'paid' THEN 'sold'
          WHEN b.status IN ('held', 'pending_payment') AND \(BookingStatus.holdLiveSQL("b")) THEN 'held'
          WHEN sb.seat_id IS NOT NULL THEN 'blocked'
          WHEN sa.node_id <> :node THEN 'allotted'
          ELSE 'free'
        END
        """

    /// The outer joins ``stateSQL`` reads: the seat's active ticket in `st` and its booking, its
    /// block, its allotment. Each matches at most one row (the partial unique index
    /// `tickets_one_active_per_seat` and the primary keys of `seat_blocks` and `seat_allotments`),
    /// so the joins never repeat a seat; one pass of joins is cheaper than four correlated
    /// subqueries per seat.
    static let stateJoinsSQL = """
        LEFT JOIN tickets t ON t.showtime_id = st.id AND t.seat_id = se.id AND t.status = 'active'
        LEFT JOIN bookings b ON b.id = t.booking_id
        LEFT JOIN seat_blocks sb ON sb.showtime_id = st.id AND sb.seat_id = se.id
        LEFT JOIN seat_allotments sa ON sa.showtime_id = st.id AND sa.seat_id = se.id
        """

    /// The SQL expression of seat `se`'s price in showtime `st`: base price plus the kind's surcharge.
    static let priceSQL = """
        st.base_price + COALESCE(CAST(json_extract(st.price_modifiers, '$.' || se.kind) AS INTEGER), 0)
        """

    /// Every seat of the showtime's studio with its state and price, by grid row then column.
    static func fetch(_ db: Database, showtimeID: String, now: Date, node: String) throws -> [SeatMap.Seat] {
        // A cached statement read through a cursor, by column position (the order of the SELECT
        // list): a seat map is read for every customer at the screen, so it pays neither a compile,
        // nor a copy of every row, nor a name lookup per column and seat.
        let rows = try Row.fetchCursor(db.cachedStatement(sql: """
            SELECT se.id, se.label, se.row_label, se.number, se.kind, se.grid_row, se.grid_column,
                   \(priceSQL) AS price, \(stateSQL) AS state
            FROM showtimes st JOIN seats se ON se.studio_id = st.studio_id
            \(stateJoinsSQL)
            WHERE st.id = :showtime
            ORDER BY se.grid_row, se.grid_column
            """), arguments: ["showtime": showtimeID, "now": now, "node": node])
        var seats: [SeatMap.Seat] = []
        while let row = try rows.next() {
            seats.append(SeatMap.Seat(
                id: row[0], label: row[1], rowLabel: row[2], number: row[3], kind: SeatKind(rawValue: row[4]) ?? .regular, gridRow: row[5],
                gridColumn: row[6], state: SeatState(rawValue: row[8]) ?? .blocked, price: Money(rupiah: row[7])))
        }
        return seats
    }

    /// What stands on one requested seat: its state for the showtime, and the ticket still active
    /// on it that no longer holds it (a hold that ran out, a closed booking), which a sale clears first.
    struct Standing {
        /// A ticket on the seat that no longer holds it.
        struct StaleTicket {
            var id: String
            var bookingID: String
            /// Whether the ticket's booking is this node's.
            var isMine: Bool
            /// Whether its booking is a hold of this node that ran out (and is not yet marked expired).
            var holdRanOut: Bool
        }

        var seatID: String
        var state: SeatState
        var stale: StaleTicket?
    }

    /// What stands on each of `seatIDs` in the showtime for `node` at `now`, in one query. The state
    /// already treats a stale ticket as not there: it is the seat's state once that ticket is cleared.
    static func standing(_ db: Database, showtimeID: String, seatIDs: [String], now: Date, node: String) throws -> [Standing] {
        let rows = try Row.fetchCursor(db.cachedStatement(sql: """
            SELECT se.id, \(stateSQL) AS state, t.id, t.booking_id, b.node_id = :node,
                   \(BookingStatus.effectiveSQL("b")) = 'expired' AND b.status <> 'expired',
                   t.id IS NOT NULL AND NOT (\(ticketHoldsSeatSQL(booking: "b")))
            FROM json_each(:seats) requested
            -- From the requested seats, by id: a studio has hundreds (CROSS JOIN keeps this order).
            CROSS JOIN seats se ON se.id = requested.value
            JOIN showtimes st ON st.id = :showtime AND st.studio_id = se.studio_id
            \(stateJoinsSQL)
            """), arguments: ["showtime": showtimeID, "now": now, "node": node, "seats": jsonArray(seatIDs)])
        var standing: [Standing] = []
        while let row = try rows.next() {
            let isStale: Bool = row[6]
            standing.append(Standing(
                seatID: row[0], state: SeatState(rawValue: row[1]) ?? .blocked,
                stale: isStale ? Standing.StaleTicket(id: row[2], bookingID: row[3], isMine: row[4], holdRanOut: row[5]) : nil))
        }
        return standing
    }

    /// Ids as a JSON array of strings, for `json_each` (escaped by hand: this runs for every sale).
    private static func jsonArray(_ ids: [String]) -> String {
        var json = "["
        for (index, id) in ids.enumerated() {
            if index > 0 { json += "," }
            json += "\""
            for scalar in id.unicodeScalars {
                switch scalar {
                case "\"": json += "\\\""
                case "\\": json += "\\\\"
                case _ where scalar.value < 0x20: json += "\\u00" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
                default: json.unicodeScalars.append(scalar)
                }
            }
            json += "\""
        }
        return json + "]"
    }
}
