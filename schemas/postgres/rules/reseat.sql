-- version: 1
-- The reseat decision: where a sale that lost its seat goes, or that it needs a refund.

-- Moves (or, when no seat of its kind is left, releases) a ticket that lost its seat, records the
-- conflict for the node that sold it, and publishes the decision. Returns the outcome's details.
CREATE OR REPLACE FUNCTION central.place_elsewhere(
    p_ticket_id text, p_node_name text, p_node_side jsonb, p_central_side jsonb, p_reason text
) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_ticket     central.tickets;
    v_seat       central.seats;
    v_new_seat   central.seats;
    v_plan_seat  text;
    v_count      integer;
    v_seats      text[];
    v_hlc        text;
    v_conflict   text;
BEGIN
    SELECT * INTO v_ticket FROM central.tickets WHERE id = p_ticket_id;
    SELECT * INTO v_seat FROM central.seats WHERE id = v_ticket.seat_id;

    -- Seats already planned for this booking's group in this push, still free?
    SELECT seat_id INTO v_plan_seat FROM pg_temp.reseat_plan
    WHERE booking_id = v_ticket.booking_id
      AND NOT central.seat_is_taken(v_ticket.showtime_id, seat_id, p_node_name, p_ticket_id)
    ORDER BY position LIMIT 1;

    IF v_plan_seat IS NULL THEN
        -- Plan for the whole group: this ticket and the booking's later tickets in this batch whose
        -- seats are taken too, so the group can sit together.
        SELECT 1 + count(*) INTO v_count
        FROM pg_temp.staged change
        WHERE change.booking_id = v_ticket.booking_id AND change.entity = 'tickets'
          AND change.entity_id <> p_ticket_id AND NOT change.simple
          AND change.payload->>'status' = 'active'
          AND central.seat_is_taken(v_ticket.showtime_id, change.seat_id, p_node_name, change.entity_id);
        v_seats := central.best_free_seats(v_ticket.showtime_id, v_seat.kind, v_count, v_seat.grid_row, v_seat.grid_column, p_node_name);
        DELETE FROM pg_temp.reseat_plan WHERE booking_id = v_ticket.booking_id;
        INSERT INTO pg_temp.reseat_plan (booking_id, seat_id, position)
        SELECT v_ticket.booking_id, seat, position FROM unnest(v_seats) WITH ORDINALITY AS planned (seat, position);
        v_plan_seat := v_seats[1];
    END IF;
    DELETE FROM pg_temp.reseat_plan WHERE booking_id = v_ticket.booking_id AND seat_id = v_plan_seat;

    v_hlc := central.hlc_after(v_ticket.hlc);
    IF v_plan_seat IS NOT NULL THEN
        SELECT * INTO v_new_seat FROM central.seats WHERE id = v_plan_seat;
        UPDATE central.tickets
        SET seat_id = v_plan_seat, status = 'active', hlc = v_hlc,
            payload = payload || jsonb_build_object('seat_id', v_plan_seat, 'status', 'active', 'hlc', v_hlc)
        WHERE id = p_ticket_id
        RETURNING * INTO v_ticket;
        v_conflict := central.record_conflict(v_ticket.cinema_id, p_node_name, 'reseated', 'tickets', p_ticket_id,
            v_ticket.booking_id, v_ticket.showtime_id, v_seat.label, v_new_seat.label,
            p_reason || '; moved to ' || v_new_seat.label, p_node_side, p_central_side);
    ELSE
        UPDATE central.tickets
        SET status = 'released', hlc = v_hlc,
            payload = payload || jsonb_build_object('status', 'released', 'hlc', v_hlc)
        WHERE id = p_ticket_id
        RETURNING * INTO v_ticket;
        v_conflict := central.record_conflict(v_ticket.cinema_id, p_node_name, 'refund_required', 'tickets', p_ticket_id,
            v_ticket.booking_id, v_ticket.showtime_id, v_seat.label, NULL,
            p_reason || '; no ' || v_seat.kind || ' seat is left: refund the customer', p_node_side, p_central_side);
    END IF;
    PERFORM central.publish(v_ticket.cinema_id, NULL, 'central', 'tickets', p_ticket_id, 'update', v_hlc, v_ticket.payload);
    RETURN jsonb_build_object(
        'status', CASE WHEN v_plan_seat IS NULL THEN 'refund_required' ELSE 'reseated' END,
        'conflict_id', v_conflict, 'seat_before', v_seat.label, 'seat_after', v_new_seat.label,
        'seat_id', v_plan_seat, 'hlc', v_hlc,
        'reason', (SELECT reason FROM central.conflicts WHERE id = v_conflict));
END
$$;

-- Decides the changes of the staged batch that the set-wise part left (pg_temp.staged, NOT simple)
-- when every one of them is a new active ticket, of a booking head office has for the same
-- showtime, on a seat of the showtime's studio that is taken (sold, blocked or allotted to another
-- node) and that no other change of the batch names, in a cinema with the first-accepted policy.
-- Each is then reseated or refund-required exactly as central.apply_ticket and
-- central.place_elsewhere would, in seq order: a booking's contested tickets are planned together
-- (kept together where possible), a later ticket of the booking takes the next planned seat still
-- free, and a ticket never takes a seat an earlier one of the batch took. Returns false, having
-- done nothing, when the rest is anything else.
CREATE OR REPLACE FUNCTION central.reseat_contested(p_node central.nodes) RETURNS boolean
LANGUAGE plpgsql SET plan_cache_mode = auto AS $$
DECLARE
    v_rest      bigint;
    v_taken     integer;
    r           record;
    v_key       text;
    v_plans     jsonb := '{}';
    v_plan      text[];
    v_plan_for  text;
    v_seat      text;
    v_seats     text[];
    v_used      jsonb := '{}';
    v_showtime  text;
    a_seq       bigint[] := '{}';
    a_seat      text[] := '{}';
BEGIN
    SELECT count(*) INTO v_rest FROM pg_temp.staged WHERE NOT simple;
    IF v_rest = 0 THEN
        RETURN true;
    END IF;

    IF NOT central.push_table_exists('contested') THEN
        CREATE TEMP TABLE contested (
            seq bigint PRIMARY KEY, ticket_id text, booking_id text, cinema_id text, showtime_id text, seat_id text,
            hlc text, payload jsonb, booking_payload jsonb, label text, kind text, grid_row integer, grid_column integer,
            group_size integer, reason text, central_side jsonb) ON COMMIT DELETE ROWS;
    END IF;
    IF NOT central.push_table_exists('free_seat') THEN
        CREATE TEMP TABLE free_seat (
            showtime_id text, seat_id text, kind text, grid_row integer, grid_column integer,
            PRIMARY KEY (showtime_id, seat_id)) ON COMMIT DELETE ROWS;
    END IF;
    DELETE FROM pg_temp.contested;
    DELETE FROM pg_temp.free_seat;

    INSERT INTO pg_temp.contested
    SELECT s.seq, s.entity_id, b.id, sh.cinema_id, sh.id, se.id, s.hlc, s.payload, b.payload,
           se.label, se.kind, se.grid_row, se.grid_column,
           count(*) OVER (PARTITION BY b.id),
           CASE WHEN holder.id IS NOT NULL THEN 'the seat was already sold'
                WHEN EXISTS (SELECT 1 FROM central.seat_blocks k WHERE k.showtime_id = sh.id AND k.seat_id = se.id)
                    THEN 'head office blocked the seat'
                ELSE 'the seat is allotted to another counter' END,
           CASE WHEN holder.id IS NOT NULL
                THEN jsonb_build_object('ticket', holder.payload, 'booking', holder_booking.payload) END
    FROM (SELECT * FROM pg_temp.staged WHERE NOT simple OFFSET 0) s
    JOIN central.showtimes sh ON sh.id = s.showtime_id
    JOIN central.seats se ON se.id = s.seat_id AND se.studio_id = sh.studio_id
    JOIN central.bookings b ON b.id = s.booking_id AND b.showtime_id = sh.id
    -- The seat's holder, looked up by (showtime, seat) whatever the statistics say.
    LEFT JOIN LATERAL (SELECT t.id, t.payload, t.booking_id FROM central.tickets t
                       WHERE t.showtime_id = s.showtime_id AND t.seat_id = s.seat_id AND t.status = 'active'
                       OFFSET 0) holder ON true
    LEFT JOIN central.bookings holder_booking ON holder_booking.id = holder.booking_id
    WHERE s.entity = 'tickets' AND s.operation = 'insert' AND s.payload->>'status' = 'active'
      AND (p_node.all_cinemas OR sh.cinema_id = p_node.cinema_id)
      AND NOT EXISTS (SELECT 1 FROM central.tickets t WHERE t.id = s.entity_id)
      AND central.seat_is_taken(sh.id, se.id, p_node.name, s.entity_id);
    GET DIAGNOSTICS v_taken = ROW_COUNT;
    IF v_taken <> v_rest
       OR (SELECT count(DISTINCT ticket_id) <> count(*) OR count(DISTINCT (showtime_id, seat_id)) <> count(*)
           FROM pg_temp.contested)
       -- Under the earliest-sale-wins policy a pushed sale may take the seat back: the rules decide.
       OR EXISTS (SELECT 1 FROM pg_temp.contested c JOIN central.cinema_policies p ON p.cinema_id = c.cinema_id
                  WHERE p.seat_policy <> 'first-accepted') THEN
        DELETE FROM pg_temp.contested;
        RETURN false;
    END IF;

    -- The free seats of those showtimes, as central.best_free_seats sees them: each showtime's
    -- taken seats read once by index, the studio's seats checked against them.
    FOR v_showtime IN SELECT DISTINCT showtime_id FROM pg_temp.contested LOOP
        INSERT INTO pg_temp.free_seat (showtime_id, seat_id, kind, grid_row, grid_column)
        SELECT v_showtime, se.id, se.kind, se.grid_row, se.grid_column
        FROM central.showtimes sh
        JOIN central.seats se ON se.studio_id = sh.studio_id
        WHERE sh.id = v_showtime
          AND se.id NOT IN (SELECT seat_id FROM central.tickets WHERE showtime_id = v_showtime AND status = 'active'
                            UNION ALL
                            SELECT seat_id FROM central.seat_blocks WHERE showtime_id = v_showtime
                            UNION ALL
                            SELECT seat_id FROM central.seat_allotments
                            WHERE showtime_id = v_showtime AND node_name <> p_node.name);
    END LOOP;

    FOR r IN SELECT seq, booking_id, showtime_id, kind, grid_row, grid_column, group_size
             FROM pg_temp.contested ORDER BY seq LOOP
        -- The booking's plan (central.place_elsewhere's reseat_plan): its next seat still free.
        IF v_plan_for IS DISTINCT FROM r.booking_id THEN
            IF v_plan_for IS NOT NULL THEN
                v_plans := v_plans || jsonb_build_object(v_plan_for, to_jsonb(v_plan));
            END IF;
            v_plan_for := r.booking_id;
            v_plan := CASE WHEN v_plans ? r.booking_id
                           THEN ARRAY(SELECT jsonb_array_elements_text(v_plans->r.booking_id)) END;
        END IF;
        v_seat := NULL;
        IF v_plan IS NOT NULL THEN
            FOR i IN 1 .. coalesce(array_length(v_plan, 1), 0) LOOP
                IF NOT (v_used ? (r.showtime_id || '/' || v_plan[i])) THEN
                    v_seat := v_plan[i];
                    EXIT;
                END IF;
            END LOOP;
        END IF;
        IF v_seat IS NULL THEN
            -- Plan for the whole group: every contested ticket of the booking in this batch.
            v_seats := central.best_free_planned_seats(r.showtime_id, r.kind, r.group_size, r.grid_row, r.grid_column);
            v_plan := v_seats;
            v_seat := v_seats[1];
        END IF;
        v_plan := array_remove(v_plan, v_seat);
        IF v_seat IS NOT NULL THEN
            v_key := r.showtime_id || '/' || v_seat;
            v_used := v_used || jsonb_build_object(v_key, true);
            DELETE FROM pg_temp.free_seat WHERE showtime_id = r.showtime_id AND seat_id = v_seat;
        END IF;
        a_seq := array_append(a_seq, r.seq);
        a_seat := array_append(a_seat, v_seat);
    END LOOP;

    -- Every decision written at once, in the order the per-change rules write them: the ticket,
    -- its conflict record with its feed row, the ticket's feed row, the inbox row with the outcome.
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
        INSERT INTO central.tickets (id, booking_id, cinema_id, showtime_id, seat_id, status, hlc, payload)
        SELECT f.ticket_id, f.booking_id, f.cinema_id, f.showtime_id, coalesce(f.new_seat, f.seat_id),
               CASE WHEN f.new_seat IS NULL THEN 'released' ELSE 'active' END, f.new_hlc, f.final_payload
        FROM final f ORDER BY f.seq
        RETURNING id
    ), conflict AS (
        INSERT INTO central.conflicts (cinema_id, node_name, kind, entity, entity_id, booking_id, showtime_id,
                                       seat_before, seat_after, reason, node_side, central_side)
        SELECT f.cinema_id, p_node.name, f.kind_of, 'tickets', f.ticket_id, f.booking_id, f.showtime_id,
               f.label, f.new_label, f.full_reason,
               jsonb_build_object('ticket', f.payload, 'booking', f.booking_payload), f.central_side
        FROM final f ORDER BY f.seq
        RETURNING *
    ), feed AS (
        INSERT INTO central.feed (cinema_id, only_node, origin_node, entity, entity_id, operation, hlc, payload)
        SELECT x.cinema_id, NULL, 'central', x.entity, x.entity_id, x.operation, x.hlc, x.payload
        FROM (SELECT f.seq, 0 AS step, c.cinema_id, 'sync_conflicts' AS entity, c.id AS entity_id, 'insert' AS operation,
                     central.hlc_after(NULL) AS hlc, to_jsonb(c) AS payload
              FROM final f JOIN conflict c ON c.entity_id = f.ticket_id
              UNION ALL
              SELECT f.seq, 1, f.cinema_id, 'tickets', f.ticket_id, 'update', f.new_hlc, f.final_payload
              FROM final f) x
        ORDER BY x.seq, x.step
    )
    INSERT INTO central.inbox (node_name, seq, entity, entity_id, outcome)
    SELECT p_node.name, f.seq, 'tickets', f.ticket_id,
           central.outcome(f.seq, f.kind_of, jsonb_build_object(
               'conflict_id', c.id, 'seat_before', f.label, 'seat_after', f.new_label,
               'seat_id', f.new_seat, 'hlc', f.new_hlc, 'reason', f.full_reason))
    FROM final f JOIN conflict c ON c.entity_id = f.ticket_id
    ORDER BY f.seq;
    RETURN true;
END
$$;
