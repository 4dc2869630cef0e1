import Foundation
import GRDB

/// A sale of this counter that a pull pushed off its seat before head office decided about it: the
/// seat went to a sale head office had accepted (`Replica.applyFeed`), and this sale's own changes
/// had not reached head office yet.
///
/// Its booking never just stays paid with a receipt that still shows the seat: while it waits for
/// head office's decision (another seat, or a refund, when its changes are pushed), it carries a
/// `refund_required` conflict record of this store saying so, and its receipt marks the seat as
/// no longer valid (``Receipt``). The record goes when the ticket takes its seat back (the row that
/// took it was an old one) or head office decides, whose own record then tells the outcome.
enum DisplacedTicket {
    /// What the record says.
    static let reason = "another counter's sale of this seat reached head office first: "
        + "this sale waits for head office's decision, another seat or a refund, at the next sync"

    /// Records that the pull released this store's ticket `ticketID`.
    static func record(_ db: Database, ticketID: String, now: Date) throws {
        try db.cachedStatement(sql: """
            INSERT INTO sync_conflicts (id, kind, entity, entity_id, booking_id, showtime_id, seat_before, reason, details,
                                        created_at)
            SELECT :id, 'refund_required', 'tickets', t.id, t.booking_id, t.showtime_id, se.label, :reason,
                   json_object('waiting_for_head_office', json('true')), :now
            FROM tickets t JOIN seats se ON se.id = t.seat_id
            WHERE t.id = :ticket
              AND NOT EXISTS (SELECT 1 FROM sync_conflicts c WHERE c.entity = 'tickets' AND c.entity_id = t.id
                                                               AND c.status = 'open')
            """).execute(arguments: ["id": EntityID.make(at: now), "reason": reason, "now": now, "ticket": ticketID])
    }

    /// Removes the records of tickets that are no longer waiting (they took their seat back, or
    /// head office decided about them).
    static func forgetSettled(_ db: Database) throws {
        try db.cachedStatement(sql: """
            DELETE FROM sync_conflicts
            WHERE kind = 'refund_required' AND entity = 'tickets' AND node_name IS NULL
              AND json_extract(details, '$.waiting_for_head_office') = 1
              AND entity_id NOT IN (SELECT ticket_id FROM sync_displaced_tickets)
            """).execute()
    }
}
