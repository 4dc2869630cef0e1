-- version: 5
-- Conflict records: a sale moved, a sale needing a refund, a change refused, a booking given a new
-- code (with the code its receipt shows, p_printed_code); and resolving them by hand.

CREATE OR REPLACE FUNCTION central.record_conflict(
    p_cinema_id text, p_node text, p_kind text, p_entity text, p_entity_id text, p_booking_id text,
    p_showtime_id text, p_seat_before text, p_seat_after text, p_reason text, p_node_side jsonb, p_central_side jsonb,
    p_printed_code text DEFAULT NULL
) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    v_id text;
BEGIN
    -- A new code leaves nobody anything to do (the receipt's code still finds the sale): its record
    -- is kept for the lookup, resolved from the start.
    INSERT INTO central.conflicts (cinema_id, node_name, kind, entity, entity_id, booking_id, showtime_id,
                                   seat_before, seat_after, reason, node_side, central_side, printed_code,
                                   status, resolution, resolved_at)
    VALUES (p_cinema_id, p_node, p_kind, p_entity, p_entity_id, p_booking_id, p_showtime_id,
            p_seat_before, p_seat_after, p_reason, p_node_side, p_central_side, p_printed_code,
            CASE WHEN p_kind = 'recoded' THEN 'resolved' ELSE 'open' END,
            CASE WHEN p_kind = 'recoded' THEN 'nothing to do: the receipt''s code finds the sale' END,
            CASE WHEN p_kind = 'recoded' THEN now() END)
    RETURNING id INTO v_id;
    -- Counters of the cinema see the record too, so the operator can resolve it there.
    PERFORM central.publish(p_cinema_id, NULL, 'central', 'sync_conflicts', v_id, 'insert', central.hlc_after(NULL),
        (SELECT to_jsonb(c) FROM central.conflicts c WHERE c.id = v_id));
    RETURN v_id;
END
$$;

-- Resolves an open conflict by hand: give the ticket another seat (p_seat_label), or refund the
-- booking (p_seat_label NULL). A refund returns money only where it was taken: a paid booking is
-- refunded, an unpaid one cancelled (booking_states.sql). Publishes the decision to the cinema's nodes.
CREATE OR REPLACE FUNCTION central.resolve_conflict(p_conflict_id text, p_seat_label text, p_resolved_by text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_conflict central.conflicts;
    v_ticket   central.tickets;
    v_booking  central.bookings;
    v_seat     central.seats;
    v_hlc      text;
    v_closed   text;
BEGIN
    SELECT * INTO v_conflict FROM central.conflicts WHERE id = p_conflict_id FOR UPDATE;
    IF NOT FOUND THEN RAISE EXCEPTION 'no conflict %', p_conflict_id USING ERRCODE = '23503'; END IF;
    IF v_conflict.status = 'resolved' THEN
        RAISE EXCEPTION 'conflict % is already resolved (%)', p_conflict_id, v_conflict.resolution USING ERRCODE = '55000';
    END IF;
    IF v_conflict.booking_id IS NULL OR v_conflict.kind NOT IN ('reseated', 'refund_required') THEN
        RAISE EXCEPTION 'conflict % is no seat decision; there is nothing to reseat or refund', p_conflict_id USING ERRCODE = '55000';
    END IF;
    -- Head office's own record says whose booking it is, never the conflict's text.
    IF NOT EXISTS (SELECT 1 FROM central.bookings WHERE id = v_conflict.booking_id AND cinema_id = v_conflict.cinema_id) THEN
        RAISE EXCEPTION 'conflict % names a booking of another cinema', p_conflict_id USING ERRCODE = '42501';
    END IF;
    PERFORM central.lock_showtimes(ARRAY[v_conflict.showtime_id]);
    SELECT * INTO v_booking FROM central.bookings WHERE id = v_conflict.booking_id FOR UPDATE;

    IF p_seat_label IS NOT NULL THEN
        SELECT * INTO v_ticket FROM central.tickets WHERE id = v_conflict.entity_id FOR UPDATE;
        IF NOT FOUND THEN RAISE EXCEPTION 'conflict % concerns no ticket', p_conflict_id USING ERRCODE = '55000'; END IF;
        SELECT s.* INTO v_seat FROM central.seats s JOIN central.showtimes sh ON sh.studio_id = s.studio_id
        WHERE sh.id = v_ticket.showtime_id AND s.label = upper(p_seat_label);
        IF NOT FOUND THEN RAISE EXCEPTION 'the studio has no seat %', p_seat_label USING ERRCODE = '22023'; END IF;
        IF central.seat_is_taken(v_ticket.showtime_id, v_seat.id, v_booking.origin_node, v_ticket.id) THEN
            RAISE EXCEPTION 'seat % is taken', v_seat.label USING ERRCODE = '23505';
        END IF;
        PERFORM central.release_stale_tickets(ARRAY[v_ticket.showtime_id], ARRAY[v_seat.id], v_ticket.id);
        v_hlc := central.hlc_after(v_ticket.hlc);
        UPDATE central.tickets
        SET seat_id = v_seat.id, status = 'active', hlc = v_hlc,
            payload = payload || jsonb_build_object('seat_id', v_seat.id, 'status', 'active', 'hlc', v_hlc)
        WHERE id = v_ticket.id RETURNING * INTO v_ticket;
        PERFORM central.publish(v_ticket.cinema_id, NULL, 'central', 'tickets', v_ticket.id, 'update', v_hlc, v_ticket.payload);
        UPDATE central.conflicts SET status = 'resolved', resolution = 'seat ' || v_seat.label || ' by ' || p_resolved_by
                                         || central.conflict_was(v_conflict.reason),
                                     reason = '', seat_after = v_seat.label, resolved_at = now()
        WHERE id = p_conflict_id;
    ELSE
        v_closed := CASE WHEN central.booking_status_may_move(v_booking.status, 'refunded') THEN 'refunded'
                         WHEN central.booking_status_may_move(v_booking.status, 'cancelled') THEN 'cancelled' END;
        IF v_closed IS NOT NULL THEN
            v_hlc := central.hlc_after(v_booking.hlc);
            UPDATE central.bookings
            SET status = v_closed, hlc = v_hlc,
                payload = payload || jsonb_build_object('status', v_closed, 'hlc', v_hlc)
                    || CASE WHEN v_closed = 'refunded' THEN jsonb_build_object('refund_amount', payload->'total') ELSE '{}' END
            WHERE id = v_booking.id
            RETURNING * INTO v_booking;
            PERFORM central.publish(v_booking.cinema_id, NULL, 'central', 'bookings', v_booking.id, 'update', v_hlc, v_booking.payload);
        END IF;
        FOR v_ticket IN SELECT * FROM central.tickets WHERE booking_id = v_conflict.booking_id AND status = 'active' FOR UPDATE LOOP
            v_hlc := central.hlc_after(v_ticket.hlc);
            UPDATE central.tickets SET status = 'released', hlc = v_hlc,
                payload = payload || jsonb_build_object('status', 'released', 'hlc', v_hlc)
            WHERE id = v_ticket.id RETURNING * INTO v_ticket;
            PERFORM central.publish(v_ticket.cinema_id, NULL, 'central', 'tickets', v_ticket.id, 'update', v_hlc, v_ticket.payload);
        END LOOP;
        UPDATE central.conflicts
        SET status = 'resolved', resolved_at = now(), reason = '',
            resolution = CASE v_closed WHEN 'refunded' THEN 'refunded by ' || p_resolved_by
                                       WHEN 'cancelled' THEN 'cancelled by ' || p_resolved_by || ': nothing was paid'
                                       ELSE 'closed by ' || p_resolved_by || ': the booking was already ' || v_booking.status END
                         || central.conflict_was(v_conflict.reason)
        WHERE id = p_conflict_id;
    END IF;
    PERFORM central.publish(v_conflict.cinema_id, NULL, 'central', 'sync_conflicts', p_conflict_id, 'update',
        central.hlc_after(NULL), (SELECT to_jsonb(c) FROM central.conflicts c WHERE c.id = p_conflict_id));
END
$$;

-- A resolved conflict's reason said what was wrong; once resolved nothing is, so the reason moves
-- into the resolution (" (was: …)") and the record's reason is emptied: no stale reason stays.
CREATE OR REPLACE FUNCTION central.conflict_was(p_reason text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN p_reason IS NULL OR p_reason = '' THEN '' ELSE ' (was: ' || p_reason || ')' END
$$;

-- Closes an open conflict as it stands, changing nothing else: a refused change stays refused
-- (rejected, quarantined), a reseated ticket keeps the seat head office gave it (the customer
-- accepted it). A sale needing a refund is not closed so: it takes a seat or a refund.
CREATE OR REPLACE FUNCTION central.close_conflict(p_conflict_id text, p_resolved_by text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_conflict central.conflicts;
BEGIN
    SELECT * INTO v_conflict FROM central.conflicts WHERE id = p_conflict_id FOR UPDATE;
    IF NOT FOUND THEN RAISE EXCEPTION 'no conflict %', p_conflict_id USING ERRCODE = '23503'; END IF;
    IF v_conflict.status = 'resolved' THEN
        RAISE EXCEPTION 'conflict % is already resolved (%)', p_conflict_id, v_conflict.resolution USING ERRCODE = '55000';
    END IF;
    IF v_conflict.kind = 'refund_required' THEN
        RAISE EXCEPTION 'conflict % is a sale without a seat: give it another seat or refund it', p_conflict_id USING ERRCODE = '55000';
    END IF;
    UPDATE central.conflicts
    SET status = 'resolved', resolved_at = now(), reason = '',
        resolution = CASE v_conflict.kind
                         WHEN 'reseated' THEN 'seat ' || coalesce(v_conflict.seat_after, '?') || ' accepted by ' || p_resolved_by
                         ELSE 'closed by ' || p_resolved_by || ': the change stays refused' END
                     || central.conflict_was(v_conflict.reason)
    WHERE id = p_conflict_id;
    PERFORM central.publish(v_conflict.cinema_id, NULL, 'central', 'sync_conflicts', p_conflict_id, 'update',
        central.hlc_after(NULL), (SELECT to_jsonb(c) FROM central.conflicts c WHERE c.id = p_conflict_id));
END
$$;

-- A counter resolves the conflicts of its own cinema (online: head office decides whether a seat is
-- free): another seat (p_seat_label), a refund (NULL), or closed as it stands (p_close).
CREATE OR REPLACE FUNCTION sync_api.resolve_conflict(
    p_protocol integer, p_store jsonb, p_conflict_id text, p_seat_label text, p_resolved_by text, p_close boolean
) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = central, pg_temp AS $$
DECLARE
    v_node   central.nodes := central.node_for_call(p_protocol, p_store, true);
    v_cinema text;
BEGIN
    SELECT cinema_id INTO v_cinema FROM central.conflicts WHERE id = p_conflict_id;
    IF NOT FOUND THEN RAISE EXCEPTION 'no conflict %', p_conflict_id USING ERRCODE = '23503'; END IF;
    IF NOT central.in_scope(v_node, v_cinema) THEN
        RAISE EXCEPTION 'conflict % is another cinema''s', p_conflict_id USING ERRCODE = '42501';
    END IF;
    IF p_close THEN
        PERFORM central.close_conflict(p_conflict_id, left(p_resolved_by, 200) || ' at ' || v_node.name);
    ELSE
        PERFORM central.resolve_conflict(p_conflict_id, p_seat_label, left(p_resolved_by, 200) || ' at ' || v_node.name);
    END IF;
END
$$;

GRANT EXECUTE ON FUNCTION sync_api.resolve_conflict(integer, jsonb, text, text, text, boolean) TO boxoffice_node;
