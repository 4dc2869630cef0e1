-- version: 5
-- The reseat decision: where a sale that lost its seat goes, or that it needs a refund.
--
-- A ticket that cannot have its seat is moved to the best free seat of its kind (seat_search.sql),
-- its booking's contested tickets planned together so that a group sits together where it can; when
-- no seat of its kind is free, it is released and the booking needs a refund. Tickets are decided in
-- seq order: a later ticket of a booking takes the next seat of its booking's plan that is still free,
-- and no ticket takes a seat an earlier one took. Each decision is written with its conflict record,
-- for the node whose sale it is, and published: the conflict first, then the ticket.
--
-- Both of push's paths decide here: the per-change rules one ticket at a time (central.reseat_one),
-- the set-wise path every contested ticket of a batch at once (central.reseat over what
-- central.stage_contested, in push.sql, put in pg_temp.contested).

-- Decides every ticket of pg_temp.contested from the free seats of pg_temp.free_seat (filled for
-- their showtimes by central.fill_free_seats), writes the decisions, and returns each one's outcome.
CREATE OR REPLACE FUNCTION central.reseat()
RETURNS TABLE (seq bigint, ticket_id text, outcome jsonb)
LANGUAGE plpgsql AS $$
DECLARE
    r       record;
    v_seat  text;
    v_seats text[];
    a_seq   bigint[] := '{}';
    a_seat  text[] := '{}';
BEGIN
    FOR r IN SELECT c.seq, c.booking_id, c.showtime_id, c.kind, c.grid_row, c.grid_column, c.group_size
             FROM pg_temp.contested c ORDER BY c.seq LOOP
        -- The booking's plan: its next seat still free.
        SELECT p.seat_id INTO v_seat FROM pg_temp.reseat_plan p
        WHERE p.booking_id = r.booking_id
          AND EXISTS (SELECT 1 FROM pg_temp.free_seat f WHERE f.showtime_id = r.showtime_id AND f.seat_id = p.seat_id)
        ORDER BY p.position LIMIT 1;
        IF v_seat IS NULL THEN
            -- Plan for the whole group, so it can sit together.
            v_seats := central.best_free_seats(r.showtime_id, r.kind, r.group_size, r.grid_row, r.grid_column);
            DELETE FROM pg_temp.reseat_plan p WHERE p.booking_id = r.booking_id;
            INSERT INTO pg_temp.reseat_plan (booking_id, seat_id, position)
            SELECT r.booking_id, planned.seat, planned.position
            FROM unnest(v_seats) WITH ORDINALITY AS planned (seat, position);
            v_seat := v_seats[1];
        END IF;
        IF v_seat IS NOT NULL THEN
            DELETE FROM pg_temp.reseat_plan p WHERE p.booking_id = r.booking_id AND p.seat_id = v_seat;
            DELETE FROM pg_temp.free_seat f WHERE f.showtime_id = r.showtime_id AND f.seat_id = v_seat;
        END IF;
        a_seq := array_append(a_seq, r.seq);
        a_seat := array_append(a_seat, v_seat);
    END LOOP;

    -- A chosen seat may still carry the row of a hold that ran out.
    PERFORM central.release_stale_tickets(array_agg(c.showtime_id), array_agg(x.seat), NULL)
    FROM unnest(a_seq, a_seat) AS x (seq, seat) JOIN pg_temp.contested c ON c.seq = x.seq
    WHERE x.seat IS NOT NULL;

    -- Every decision written at once: the ticket, its conflict record with its feed row, the
    -- ticket's feed row; the outcomes returned in seq order.
    RETURN QUERY
    WITH decided AS MATERIALIZED (
        SELECT c.*, x.new_seat, n.label AS new_label, central.hlc_after(c.hlc) AS new_hlc
        FROM unnest(a_seq, a_seat) AS x (seq, new_seat)
        JOIN pg_temp.contested c ON c.seq = x.seq
        LEFT JOIN central.seats n ON n.id = x.new_seat
    ), final AS MATERIALIZED (
        SELECT d.*,
               CASE WHEN d.new_seat IS NULL THEN 'refund_required' ELSE 'reseated' END AS kind_of,
               CASE WHEN d.new_seat IS NULL
                    THEN d.payload || jsonb_build_object('status', 'released', 'hlc', d.new_hlc)
                    ELSE d.payload || jsonb_build_object('seat_id', d.new_seat, 'status', 'active', 'hlc', d.new_hlc)
               END AS final_payload,
               CASE WHEN d.new_seat IS NULL
                    THEN d.reason || '; no ' || d.kind || ' seat is left: refund the customer'
                    ELSE d.reason || '; moved to ' || d.new_label END AS full_reason
        FROM decided d
    ), ticket AS (
        INSERT INTO central.tickets AS t (id, booking_id, cinema_id, showtime_id, seat_id, status, hlc, payload)
        SELECT f.ticket_id, f.booking_id, f.cinema_id, f.showtime_id, coalesce(f.new_seat, f.seat_id),
               CASE WHEN f.new_seat IS NULL THEN 'released' ELSE 'active' END, f.new_hlc, f.final_payload
        FROM final f ORDER BY f.seq
        ON CONFLICT (id) DO UPDATE SET seat_id = EXCLUDED.seat_id, status = EXCLUDED.status,
            hlc = EXCLUDED.hlc, payload = EXCLUDED.payload
        RETURNING t.id
    ), conflict AS (
        INSERT INTO central.conflicts (cinema_id, node_name, kind, entity, entity_id, booking_id, showtime_id,
                                       seat_before, seat_after, reason, node_side, central_side)
        SELECT f.cinema_id, f.node_name, f.kind_of, 'tickets', f.ticket_id, f.booking_id, f.showtime_id,
               f.label, f.new_label, f.full_reason, f.node_side, f.central_side
        FROM final f ORDER BY f.seq
        RETURNING *
    ), feed AS (
        INSERT INTO central.feed (cinema_id, only_node, origin_node, entity, entity_id, operation, hlc, payload)
        SELECT y.cinema_id, NULL, 'central', y.entity, y.entity_id, y.operation, y.hlc, y.payload
        FROM (SELECT f.seq, 0 AS step, c.cinema_id, 'sync_conflicts' AS entity, c.id AS entity_id,
                     'insert' AS operation, central.hlc_after(NULL) AS hlc, to_jsonb(c) AS payload
              FROM final f JOIN conflict c ON c.entity_id = f.ticket_id
              UNION ALL
              SELECT f.seq, 1, f.cinema_id, 'tickets', f.ticket_id, 'update', f.new_hlc, f.final_payload
              FROM final f) y
        ORDER BY y.seq, y.step
    )
    SELECT f.seq, f.ticket_id,
           central.outcome(f.seq, f.kind_of, jsonb_build_object(
               'conflict_id', c.id, 'seat_before', f.label, 'seat_after', f.new_label,
               'seat_id', coalesce(f.new_seat, f.seat_id), 'hlc', f.new_hlc, 'reason', f.full_reason))
    FROM final f JOIN conflict c ON c.entity_id = f.ticket_id
    ORDER BY f.seq;
END
$$;

-- Decides one ticket that cannot have its seat (the per-change rules' case): the ticket p_ticket
-- (its row as it will be, before the decision) of node p_node_name's sale, for p_reason, with both
-- sides for the conflict record. Its group is the ticket and the booking's other tickets of the
-- batch being pushed whose seats are taken too. Returns the decision's outcome.
CREATE OR REPLACE FUNCTION central.reseat_one(
    p_seq bigint, p_ticket central.tickets, p_node_name text, p_reason text, p_node_side jsonb, p_central_side jsonb
) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_seat    central.seats;
    v_group   integer;
    v_outcome jsonb;
BEGIN
    SELECT * INTO v_seat FROM central.seats WHERE id = p_ticket.seat_id;
    SELECT 1 + count(*) INTO v_group
    FROM pg_temp.staged change
    WHERE change.booking_id = p_ticket.booking_id AND change.entity = 'tickets'
      AND change.entity_id <> p_ticket.id AND NOT change.simple
      AND change.payload->>'status' = 'active'
      AND central.seat_is_taken(p_ticket.showtime_id, change.seat_id, p_node_name, change.entity_id);
    DELETE FROM pg_temp.contested;
    INSERT INTO pg_temp.contested (seq, ticket_id, booking_id, node_name, cinema_id, showtime_id, seat_id, label,
                                   kind, grid_row, grid_column, hlc, payload, group_size, reason, node_side, central_side)
    VALUES (p_seq, p_ticket.id, p_ticket.booking_id, p_node_name, p_ticket.cinema_id, p_ticket.showtime_id,
            p_ticket.seat_id, v_seat.label, v_seat.kind, v_seat.grid_row, v_seat.grid_column, p_ticket.hlc,
            p_ticket.payload, v_group, p_reason, p_node_side, p_central_side);
    PERFORM central.fill_free_seats(p_ticket.showtime_id, p_node_name);
    SELECT r.outcome INTO v_outcome FROM central.reseat() r;
    DELETE FROM pg_temp.contested;
    RETURN v_outcome;
END
$$;

-- Money reached head office for a booking whose seats it had given away meanwhile (its hold ran out
-- and another sale took the seat, or head office closed it): every ticket of the booking that was
-- released with no decision of its own (no reseated or refund_required record; a refused change
-- about it, a `rejected` record, is none) takes its seat back when it is free, or
-- is decided like any sale that lost its seat. Run after the booking became paid.
CREATE OR REPLACE FUNCTION central.reseat_released_tickets(p_booking central.bookings, p_seq bigint) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_ticket central.tickets;
    v_hold   record;
    v_hlc    text;
BEGIN
    -- Money for a booking of a showtime head office cancelled meanwhile: kept for a refund instead.
    IF EXISTS (SELECT 1 FROM central.showtimes WHERE id = p_booking.showtime_id AND status = 'cancelled') THEN
        PERFORM central.refund_cancelled_booking(p_booking, p_booking.origin_node, NULL);
        RETURN;
    END IF;
    FOR v_ticket IN
        SELECT t.* FROM central.tickets t
        WHERE t.booking_id = p_booking.id AND t.status = 'released'
          AND NOT EXISTS (SELECT 1 FROM central.conflicts c WHERE c.entity_id = t.id AND c.entity = 'tickets'
                          AND c.kind IN ('reseated', 'refund_required'))
        ORDER BY t.id FOR UPDATE
    LOOP
        IF NOT central.seat_is_taken(v_ticket.showtime_id, v_ticket.seat_id, p_booking.origin_node, v_ticket.id) THEN
            PERFORM central.release_stale_tickets(ARRAY[v_ticket.showtime_id], ARRAY[v_ticket.seat_id], v_ticket.id);
            v_hlc := central.hlc_after(v_ticket.hlc);
            UPDATE central.tickets SET status = 'active', hlc = v_hlc,
                payload = payload || jsonb_build_object('status', 'active', 'hlc', v_hlc)
            WHERE id = v_ticket.id RETURNING * INTO v_ticket;
            PERFORM central.publish(v_ticket.cinema_id, NULL, 'central', 'tickets', v_ticket.id, 'update', v_hlc, v_ticket.payload);
        ELSE
            SELECT h.* INTO v_hold FROM central.seat_holds(v_ticket.showtime_id, p_booking.origin_node) h
            WHERE h.seat_id = v_ticket.seat_id AND h.ticket_id IS DISTINCT FROM v_ticket.id
            ORDER BY h.precedence LIMIT 1;
            PERFORM central.reseat_one(p_seq, v_ticket, p_booking.origin_node,
                v_hold.reason || ' while the payment was on its way to head office',
                jsonb_build_object('ticket', v_ticket.payload || '{"status": "active"}', 'booking', p_booking.payload),
                (SELECT jsonb_build_object('ticket', t.payload, 'booking', b.payload)
                 FROM central.tickets t JOIN central.bookings b ON b.id = t.booking_id WHERE t.id = v_hold.ticket_id));
        END IF;
    END LOOP;
END
$$;
