-- version: 11
-- Tickets pushed by a node: a ticket head office accepted is never taken away by a later push.
--
-- A pushed sale that hits a taken seat (seats.sql) is decided by the reseat rule (reseat.sql): moved
-- to the best free seat of its kind, or refund-required. Under the earliest-sale-wins policy, the
-- earlier sale (by HLC sold_at) takes the seat until the showtime starts, and the later one is
-- moved instead. A sale on a seat outside the showtime's studio is reseated the same way, and one
-- at a price head office cannot place (prices.sql) needs a refund: money was taken at the counter,
-- so the sale is kept, released, with a conflict record. So is a sale of a showtime head office
-- cancelled (admin.sql, cancel_showtime), which a counter made offline before it heard.
CREATE OR REPLACE FUNCTION central.apply_ticket(p_node central.nodes, p_change jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_seq       bigint := (p_change->>'seq')::bigint;
    v_id        text := p_change->>'entity_id';
    v_hlc       text := p_change->>'hlc';
    v_payload   jsonb := p_change->'payload';
    v_showtime  central.showtimes;
    v_existing  central.tickets;
    v_booking   central.bookings;
    v_hold      record;
    v_holder    central.tickets;
    v_holder_booking central.bookings;
    v_policy    text;
    v_seat      text;
    v_placed    jsonb;
    v_node_side jsonb;
    v_origin    text := p_node.name;
    v_seat_row  central.seats;
BEGIN
    IF p_change->>'operation' = 'delete' THEN
        RAISE EXCEPTION 'tickets are never deleted; release them' USING ERRCODE = '0A000';
    END IF;
    SELECT * INTO v_showtime FROM central.showtimes WHERE id = v_payload->>'showtime_id';
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown showtime %', v_payload->>'showtime_id' USING ERRCODE = '23503';
    END IF;
    -- One decision at a time per showtime: the seat checks below and the insert are atomic.
    PERFORM central.lock_showtimes(ARRAY[v_showtime.id]);

    SELECT * INTO v_existing FROM central.tickets WHERE id = v_id FOR UPDATE;
    -- A paid booking ends only by refund, and its counter logs the booking's move before the
    -- release of its tickets: a release that finds head office's booking still paid comes from a
    -- copy of the booking that lost to it (a store restored from before the payment, which
    -- expired the hold). The seat stays with the paid sale, and the ticket goes back to the node
    -- restamped, so that it takes the seat back; taking the release left a paid booking on no seat.
    IF v_payload->>'status' = 'released' AND v_existing.status = 'active'
       AND (SELECT b.status FROM central.bookings b WHERE b.id = v_existing.booking_id) = 'paid' THEN
        v_hlc := central.hlc_after(greatest(v_existing.hlc, v_hlc));
        UPDATE central.tickets SET hlc = v_hlc, payload = payload || jsonb_build_object('hlc', v_hlc)
        WHERE id = v_id RETURNING * INTO v_existing;
        PERFORM central.publish(v_existing.cinema_id, NULL, 'central', 'tickets', v_id, 'update', v_hlc, v_existing.payload);
        RETURN central.outcome(v_seq, 'accepted', '{"superseded": true}');
    END IF;
    IF v_existing.id IS NOT NULL AND v_existing.hlc >= v_hlc THEN
        -- A release by the ticket's own counter (a cancellation) stands even when head office
        -- stamped a decision about the ticket (a reseat) later; it is restamped after that decision
        -- so that every node takes it. Anything else older than head office's row is superseded.
        IF NOT (v_payload->>'status' = 'released' AND v_existing.status = 'active') THEN
            RETURN central.outcome(v_seq, 'accepted', '{"superseded": true}');
        END IF;
        v_hlc := central.hlc_after(v_existing.hlc);
        v_payload := v_payload || jsonb_build_object('hlc', v_hlc);
        v_origin := 'central';   -- the node that released it needs the restamped row too
    END IF;
    v_seat := v_payload->>'seat_id';
    IF v_existing.id IS NOT NULL AND v_existing.seat_id <> v_seat THEN
        -- Head office moved this ticket; the node's later change still names the old seat (a
        -- store restored from before it heard of the move sends the sale again). The ticket keeps
        -- head office's seat, restamped and published as head office's, so that the node takes the
        -- seat too: as the node's own row of the node's stamp, it skipped it and kept the old seat.
        v_seat := v_existing.seat_id;
        v_hlc := central.hlc_after(greatest(v_existing.hlc, v_hlc));
        v_payload := v_payload || jsonb_build_object('seat_id', v_seat, 'hlc', v_hlc);
        v_origin := 'central';
    END IF;
    SELECT * INTO v_booking FROM central.bookings WHERE id = v_payload->>'booking_id';
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown booking %', v_payload->>'booking_id' USING ERRCODE = '23503';
    END IF;
    IF v_existing.id IS NOT NULL AND (v_existing.booking_id <> v_booking.id OR v_existing.showtime_id <> v_showtime.id) THEN
        RAISE EXCEPTION 'a ticket''s booking and showtime never change' USING ERRCODE = '22023';
    END IF;
    IF v_booking.showtime_id <> v_showtime.id THEN
        RAISE EXCEPTION 'the ticket is for another showtime than its booking' USING ERRCODE = '22023';
    END IF;
    SELECT * INTO v_seat_row FROM central.seats WHERE id = v_seat;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown seat %', v_seat USING ERRCODE = '23503';
    END IF;
    -- A sale of a showtime head office cancelled: never placed, never refused (money may have been
    -- taken at the counter), released with a refund_required conflict record.
    IF v_payload->>'status' = 'active' AND v_showtime.status = 'cancelled'
       AND (v_existing.id IS NULL OR v_existing.status <> 'active') THEN
        RETURN central.refund_ticket(v_seq, v_id, v_booking, v_showtime, v_seat_row, v_payload, p_node.name,
            central.cancelled_showtime_reason());
    END IF;
    -- A price head office cannot place (a new sale, or a held seat repriced): the sale needs a refund.
    IF v_payload->>'status' = 'active'
       AND (v_existing.id IS NULL OR v_existing.payload->>'price' IS DISTINCT FROM v_payload->>'price'
            OR v_existing.payload->>'price_version' IS DISTINCT FROM v_payload->>'price_version')
       AND NOT central.price_places(v_showtime.id, v_payload->>'price_version', v_seat_row.kind, (v_payload->>'price')::bigint) THEN
        RETURN central.refund_ticket(v_seq, v_id, v_booking, v_showtime, v_seat_row, v_payload, p_node.name,
            'head office has no price of the showtime at which the seat cost ' || (v_payload->>'price')
            || ' (price version ' || left(v_payload->>'price_version', 60) || ')');
    END IF;
    IF v_seat_row.studio_id <> v_showtime.studio_id THEN
        IF v_payload->>'status' <> 'active' OR v_existing.id IS NOT NULL THEN
            RAISE EXCEPTION 'seat % is not in the showtime''s studio', v_seat_row.label USING ERRCODE = '22023';
        END IF;
        RETURN central.reseat_one(v_seq,
            ROW(v_id, v_booking.id, v_showtime.cinema_id, v_showtime.id, v_seat, 'released', v_hlc, v_payload)::central.tickets,
            p_node.name, 'seat ' || v_seat_row.label || ' is not in the showtime''s studio',
            jsonb_build_object('ticket', v_payload, 'booking', v_booking.payload), NULL);
    END IF;

    IF v_payload->>'status' = 'released' OR NOT central.seat_is_taken(v_showtime.id, v_seat, p_node.name, v_id) THEN
        IF v_payload->>'status' = 'active' THEN
            PERFORM central.release_stale_tickets(ARRAY[v_showtime.id], ARRAY[v_seat], v_id);
        END IF;
        INSERT INTO central.tickets (id, booking_id, cinema_id, showtime_id, seat_id, status, hlc, payload)
        VALUES (v_id, v_booking.id, v_showtime.cinema_id, v_showtime.id, v_seat, v_payload->>'status', v_hlc, v_payload)
        ON CONFLICT (id) DO UPDATE SET seat_id = EXCLUDED.seat_id, status = EXCLUDED.status,
            hlc = EXCLUDED.hlc, payload = EXCLUDED.payload;
        PERFORM central.publish(v_showtime.cinema_id, NULL, v_origin, 'tickets', v_id,
            CASE WHEN v_existing.id IS NULL THEN 'insert' ELSE 'update' END, v_hlc, v_payload);
        RETURN central.outcome(v_seq, 'accepted');
    END IF;

    -- The seat is taken: by what, first (a ticket before a block before an allotment).
    SELECT h.* INTO v_hold FROM central.seat_holds(v_showtime.id, p_node.name) h
    WHERE h.seat_id = v_seat AND h.ticket_id IS DISTINCT FROM v_id
    ORDER BY h.precedence LIMIT 1;
    SELECT * INTO v_holder FROM central.tickets WHERE id = v_hold.ticket_id;
    SELECT * INTO v_holder_booking FROM central.bookings WHERE id = v_holder.booking_id;
    SELECT seat_policy INTO v_policy FROM central.cinema_policies WHERE cinema_id = v_showtime.cinema_id;
    v_node_side := jsonb_build_object('ticket', v_payload, 'booking', v_booking.payload);

    IF coalesce(v_policy, 'first-accepted') = 'earliest-sale-wins'
       AND v_holder.id IS NOT NULL
       AND clock_timestamp() < v_showtime.starts_at
       -- Only a sale holds the seat: no block, no allotment to another counter.
       AND NOT EXISTS (SELECT 1 FROM central.seat_holds(v_showtime.id, p_node.name) h
                       WHERE h.seat_id = v_seat AND h.kind <> 'sold')
       AND coalesce(v_booking.sold_hlc, v_booking.hlc) < coalesce(v_holder_booking.sold_hlc, v_holder_booking.hlc)
    THEN
        -- The pushed sale is earlier: it takes the seat, and the later holder is moved.
        UPDATE central.tickets SET status = 'released' WHERE id = v_holder.id;
        INSERT INTO central.tickets (id, booking_id, cinema_id, showtime_id, seat_id, status, hlc, payload)
        VALUES (v_id, v_booking.id, v_showtime.cinema_id, v_showtime.id, v_seat, 'active', v_hlc, v_payload)
        ON CONFLICT (id) DO UPDATE SET seat_id = EXCLUDED.seat_id, status = EXCLUDED.status,
            hlc = EXCLUDED.hlc, payload = EXCLUDED.payload;
        PERFORM central.publish(v_showtime.cinema_id, NULL, p_node.name, 'tickets', v_id,
            CASE WHEN v_existing.id IS NULL THEN 'insert' ELSE 'update' END, v_hlc, v_payload);
        v_placed := central.reseat_one(v_seq, v_holder, v_holder_booking.origin_node,
            'an earlier sale from node ' || p_node.name || ' took the seat',
            jsonb_build_object('ticket', v_holder.payload, 'booking', v_holder_booking.payload), v_node_side);
        RETURN central.outcome(v_seq, 'accepted', jsonb_build_object('displaced', v_placed));
    END IF;

    -- First accepted keeps the seat: the pushed ticket goes elsewhere.
    RETURN central.reseat_one(v_seq,
        ROW(v_id, v_booking.id, v_showtime.cinema_id, v_showtime.id, v_seat, 'released', v_hlc, v_payload)::central.tickets,
        p_node.name, v_hold.reason, v_node_side,
        CASE WHEN v_holder.id IS NOT NULL
             THEN jsonb_build_object('ticket', v_holder.payload, 'booking', v_holder_booking.payload) END);
END
$$;

-- Keeps a sale head office cannot accept as sent (p_reason), for a ticket of node p_node's own
-- cinema: released, with a refund_required conflict record for the booking, both published so that
-- the counter's copy releases the seat too and its staff see what to refund. Returns the outcome.
CREATE OR REPLACE FUNCTION central.refund_ticket(
    p_seq bigint, p_id text, p_booking central.bookings, p_showtime central.showtimes, p_seat central.seats,
    p_payload jsonb, p_node text, p_reason text
) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_hlc      text := central.hlc_after(p_payload->>'hlc');
    v_payload  jsonb := p_payload || jsonb_build_object('status', 'released', 'hlc', v_hlc);
    v_conflict text;
BEGIN
    INSERT INTO central.tickets (id, booking_id, cinema_id, showtime_id, seat_id, status, hlc, payload)
    VALUES (p_id, p_booking.id, p_showtime.cinema_id, p_showtime.id, p_seat.id, 'released', v_hlc, v_payload)
    ON CONFLICT (id) DO UPDATE SET status = 'released', hlc = EXCLUDED.hlc, payload = EXCLUDED.payload;
    v_conflict := central.record_conflict(p_showtime.cinema_id, p_node, 'refund_required', 'tickets', p_id, p_booking.id,
        p_showtime.id, p_seat.label, NULL, p_reason || ': refund the customer',
        jsonb_build_object('ticket', p_payload, 'booking', p_booking.payload), NULL);
    PERFORM central.publish(p_showtime.cinema_id, NULL, 'central', 'tickets', p_id, 'update', v_hlc, v_payload);
    RETURN central.outcome(p_seq, 'refund_required', jsonb_build_object(
        'conflict_id', v_conflict, 'seat_before', p_seat.label, 'seat_id', p_seat.id, 'hlc', v_hlc,
        'reason', p_reason || ': refund the customer'));
END
$$;
