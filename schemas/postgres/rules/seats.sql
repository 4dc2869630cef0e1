-- version: 4
-- Seats: when a seat of a showtime is taken for a node, and which seats are free.
--
-- A seat of a showtime is taken for node N when
--   * an active ticket holds it whose booking is paid, or held or pending payment with its hold
--     not run out (a hold that ran out holds nothing: the seat is free, though the ticket row stays
--     active until a sale needs the seat; see central.release_stale_tickets);
--   * head office blocked it for the showtime; or
--   * it is allotted to a node other than N.
-- Every other seat of the showtime's studio is free for N.
--
-- This is the one definition at head office; every push, reseat and resolution asks it. The
-- counter's is Sales/SeatStates.swift, and SeatRuleAgreementTests proves the two agree on every case.

-- What takes each seat of a showtime for p_node, one row per reason (a seat may have several;
-- precedence orders them: a ticket, then a block, then an allotment), with the reason in words. A
-- plain SQL function, so the planner inlines it: asked about one seat, it probes that seat by index.
CREATE OR REPLACE FUNCTION central.seat_holds(p_showtime_id text, p_node text)
RETURNS TABLE (seat_id text, ticket_id text, kind text, precedence integer, reason text)
LANGUAGE sql STABLE AS $$
    SELECT t.seat_id, t.id, 'sold', 1, 'the seat was already sold'
    FROM central.tickets t JOIN central.bookings b ON b.id = t.booking_id
    WHERE t.showtime_id = p_showtime_id AND t.status = 'active'
      AND (b.status = 'paid'
           OR (b.status IN ('held', 'pending_payment') AND (b.hold_expires_at IS NULL OR b.hold_expires_at > now())))
    UNION ALL
    SELECT k.seat_id, NULL, 'blocked', 2, 'head office blocked the seat'
    FROM central.seat_blocks k
    WHERE k.showtime_id = p_showtime_id
    UNION ALL
    SELECT a.seat_id, NULL, 'allotted', 3, 'the seat is allotted to another counter'
    FROM central.seat_allotments a
    WHERE a.showtime_id = p_showtime_id AND a.node_name <> p_node
$$;

-- Whether a seat of a showtime is taken for p_node by anything but the ticket p_except_ticket.
CREATE OR REPLACE FUNCTION central.seat_is_taken(p_showtime_id text, p_seat_id text, p_node text, p_except_ticket text)
RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM central.seat_holds(p_showtime_id, p_node) h
                   WHERE h.seat_id = p_seat_id AND (p_except_ticket IS NULL OR h.ticket_id IS DISTINCT FROM p_except_ticket))
$$;

-- Fills pg_temp.free_seat (push's working table) with the free seats of one showtime for p_node:
-- what the free-seat search (seat_search.sql) chooses from. A seat allotted to any node, p_node's
-- own included, is never a seat head office chooses for a contested sale: its node sells it while
-- offline, and a sale moved onto it would make that node's own offline sale lose (found by the
-- simulation; SeatConflictTests).
CREATE OR REPLACE FUNCTION central.fill_free_seats(p_showtime_id text, p_node text) RETURNS void
LANGUAGE sql AS $$
    DELETE FROM pg_temp.free_seat WHERE showtime_id = p_showtime_id;
    INSERT INTO pg_temp.free_seat (showtime_id, seat_id, kind, grid_row, grid_column)
    SELECT p_showtime_id, se.id, se.kind, se.grid_row, se.grid_column
    FROM central.showtimes sh
    JOIN central.seats se ON se.studio_id = sh.studio_id
    WHERE sh.id = p_showtime_id
      AND se.id NOT IN (SELECT h.seat_id FROM central.seat_holds(p_showtime_id, p_node) h)
      AND se.id NOT IN (SELECT a.seat_id FROM central.seat_allotments a WHERE a.showtime_id = p_showtime_id);
$$;

-- A ticket row still active on a seat the rule counts as free (its hold ran out, or its booking was
-- closed before its tickets were) gives the seat up when a sale needs it: released, and published
-- as head office's decision so every counter's copy agrees. Each (showtime, seat) pair of the
-- arrays is a seat a sale is about to take; the ticket p_except is that sale's own.
CREATE OR REPLACE FUNCTION central.release_stale_tickets(p_showtime_ids text[], p_seat_ids text[], p_except text)
RETURNS void
LANGUAGE sql AS $$
    WITH stale AS (
        SELECT t.id, central.hlc_after(t.hlc) AS hlc
        FROM unnest(p_showtime_ids, p_seat_ids) AS s (showtime_id, seat_id)
        JOIN central.tickets t ON t.showtime_id = s.showtime_id AND t.seat_id = s.seat_id AND t.status = 'active'
        WHERE t.id IS DISTINCT FROM p_except
          AND NOT EXISTS (SELECT 1 FROM central.seat_holds(s.showtime_id, '') h WHERE h.ticket_id = t.id)
    ), released AS (
        UPDATE central.tickets t
        SET status = 'released', hlc = stale.hlc,
            payload = t.payload || jsonb_build_object('status', 'released', 'hlc', stale.hlc)
        FROM stale
        WHERE t.id = stale.id
        RETURNING t.cinema_id, t.id, t.hlc, t.payload
    )
    INSERT INTO central.feed (cinema_id, only_node, origin_node, entity, entity_id, operation, hlc, payload)
    SELECT cinema_id, NULL, 'central', 'tickets', id, 'update', hlc, payload FROM released
$$;
