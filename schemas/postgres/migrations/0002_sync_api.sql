-- BoxOfficeKit head office: the rules that merge what counters push, and the feed they pull.
--
-- A node role may call sync_api.push and sync_api.pull and nothing else. Both run as the schema
-- owner (SECURITY DEFINER) and find the calling node from session_user, so a node can neither
-- name another node nor reach past its own cinema.

-- ---------------------------------------------------------------------------------------------
-- Small helpers
-- ---------------------------------------------------------------------------------------------

-- A counter's instant text ('YYYY-MM-DD HH:MM:SS.SSS', UTC) as timestamptz.
CREATE FUNCTION central.instant(p_text text) RETURNS timestamptz
LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT ($1 || '+00')::timestamptz $$;

-- Head office's own HLC stamp for a decision about a row: later than the row's stamp and the clock,
-- so every node's last-writer-wins takes it.
CREATE FUNCTION central.hlc_after(p_hlc text) RETURNS text
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    v_now   bigint := (extract(epoch FROM clock_timestamp()) * 1000)::bigint;
    v_wall  bigint;
    v_count integer;
BEGIN
    IF p_hlc ~ '^[0-9]{15}-[0-9]{5}-' THEN
        v_wall := substr(p_hlc, 1, 15)::bigint;
        v_count := substr(p_hlc, 17, 5)::integer;
        IF v_wall >= v_now THEN
            RETURN lpad(v_wall::text, 15, '0') || '-' || lpad((v_count + 1)::text, 5, '0') || '-central';
        END IF;
    END IF;
    RETURN lpad(v_now::text, 15, '0') || '-00000-central';
END
$$;

-- Booking states only move forward; of two copies, the later state in this order wins.
CREATE FUNCTION central.booking_status_rank(p_status text) RETURNS integer
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE p_status
        WHEN 'held' THEN 1 WHEN 'pending_payment' THEN 2 WHEN 'paid' THEN 3
        WHEN 'expired' THEN 4 WHEN 'cancelled' THEN 5 WHEN 'refunded' THEN 6 ELSE 0 END
$$;

CREATE FUNCTION central.publish(
    p_cinema_id text, p_only_node text, p_origin text, p_entity text, p_entity_id text,
    p_operation text, p_hlc text, p_payload jsonb
) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO central.feed (cinema_id, only_node, origin_node, entity, entity_id, operation, hlc, payload)
    VALUES (p_cinema_id, p_only_node, p_origin, p_entity, p_entity_id, p_operation, p_hlc, p_payload)
$$;

CREATE FUNCTION central.outcome(p_seq bigint, p_status text, p_extra jsonb DEFAULT '{}') RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
    SELECT jsonb_build_object('seq', p_seq, 'status', p_status) || p_extra
$$;

-- Refuses a row of a cinema the node does not serve.
CREATE FUNCTION central.check_scope(p_node central.nodes, p_cinema_id text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT p_node.all_cinemas AND p_cinema_id IS NOT NULL AND p_cinema_id <> p_node.cinema_id THEN
        RAISE EXCEPTION 'this change belongs to cinema %, outside node %''s cinema', p_cinema_id, p_node.name
            USING ERRCODE = '42501';
    END IF;
END
$$;

CREATE FUNCTION central.record_conflict(
    p_cinema_id text, p_node text, p_kind text, p_entity text, p_entity_id text, p_booking_id text,
    p_showtime_id text, p_seat_before text, p_seat_after text, p_reason text, p_node_side jsonb, p_central_side jsonb
) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    v_id text;
BEGIN
    INSERT INTO central.conflicts (cinema_id, node_name, kind, entity, entity_id, booking_id, showtime_id,
                                   seat_before, seat_after, reason, node_side, central_side)
    VALUES (p_cinema_id, p_node, p_kind, p_entity, p_entity_id, p_booking_id, p_showtime_id,
            p_seat_before, p_seat_after, p_reason, p_node_side, p_central_side)
    RETURNING id INTO v_id;
    -- Counters of the cinema see the record too, so the operator can resolve it there.
    PERFORM central.publish(p_cinema_id, NULL, 'central', 'sync_conflicts', v_id, 'insert', central.hlc_after(NULL),
        (SELECT to_jsonb(c) FROM central.conflicts c WHERE c.id = v_id));
    RETURN v_id;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- Seat search: the best free seats of one kind in one showtime, a group kept together if possible
-- ---------------------------------------------------------------------------------------------

-- Up to p_count free seats of p_kind near (p_row, p_column): a run of adjacent seats in one row
-- when one exists (nearest first), otherwise the nearest single seats. Fewer when fewer are free.
CREATE FUNCTION central.best_free_seats(
    p_showtime_id text, p_kind text, p_count integer, p_row integer, p_column integer, p_node text
) RETURNS text[]
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_studio text;
    v_seats  text[];
BEGIN
    SELECT studio_id INTO v_studio FROM central.showtimes WHERE id = p_showtime_id;

    -- The showtime's taken seats are read once, by index, and the studio's seats (a few hundred)
    -- are checked against them: the search costs the same whatever the tables' statistics say.
    WITH taken AS (
        SELECT seat_id FROM central.tickets WHERE showtime_id = p_showtime_id AND status = 'active'
        UNION ALL
        SELECT seat_id FROM central.seat_blocks WHERE showtime_id = p_showtime_id
        UNION ALL
        SELECT seat_id FROM central.seat_allotments WHERE showtime_id = p_showtime_id AND node_name <> p_node
    ), free AS (
        SELECT s.id, s.grid_row, s.grid_column
        FROM central.seats s
        WHERE s.studio_id = v_studio AND s.kind = p_kind AND s.id NOT IN (SELECT seat_id FROM taken)
    ), runs AS (
        SELECT id, grid_row, grid_column,
               grid_column - row_number() OVER (PARTITION BY grid_row ORDER BY grid_column) AS run
        FROM free
    ), windows AS (
        SELECT grid_row, array_agg(id ORDER BY grid_column) AS ids, min(grid_column) AS first_column, count(*) AS length
        FROM runs GROUP BY grid_row, run HAVING count(*) >= p_count
    ), placed AS (
        SELECT ids, grid_row,
               greatest(0, least(length - p_count, p_column - (p_count - 1) / 2 - first_column))::integer AS offset_in_run,
               first_column
        FROM windows
    ), best_run AS (
        -- A run of adjacent seats in one row, nearest first…
        SELECT ids[offset_in_run + 1 : offset_in_run + p_count] AS ids
        FROM placed
        ORDER BY abs(grid_row - p_row) * 100 + abs(first_column + offset_in_run - (p_column - (p_count - 1) / 2)), grid_row
        LIMIT 1
    ), nearest AS (
        -- …otherwise the nearest single seats.
        SELECT array_agg(id) AS ids FROM (
            SELECT id FROM free
            ORDER BY abs(grid_row - p_row) * 100 + abs(grid_column - p_column), grid_row, grid_column
            LIMIT p_count) chosen
    )
    SELECT coalesce((SELECT ids FROM best_run), (SELECT ids FROM nearest)) INTO v_seats;
    RETURN coalesce(v_seats, '{}');
END
$$;

-- Whether a seat of a showtime is taken for p_node: sold or held, blocked, or allotted elsewhere.
CREATE FUNCTION central.seat_is_taken(p_showtime_id text, p_seat_id text, p_node text, p_except_ticket text)
RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM central.tickets t
                   WHERE t.showtime_id = p_showtime_id AND t.seat_id = p_seat_id AND t.status = 'active'
                     AND t.id <> p_except_ticket)
        OR EXISTS (SELECT 1 FROM central.seat_blocks b WHERE b.showtime_id = p_showtime_id AND b.seat_id = p_seat_id)
        OR EXISTS (SELECT 1 FROM central.seat_allotments a
                   WHERE a.showtime_id = p_showtime_id AND a.seat_id = p_seat_id AND a.node_name <> p_node)
$$;

-- ---------------------------------------------------------------------------------------------
-- Applying one change. Each returns the outcome for the node.
-- ---------------------------------------------------------------------------------------------

-- Catalog rows: last writer wins per row by HLC. A change older than what head office has is
-- accepted as superseded (the node will receive the newer row by pull).
CREATE FUNCTION central.apply_catalog(p_node central.nodes, p_change jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_seq       bigint := (p_change->>'seq')::bigint;
    v_entity    text := p_change->>'entity';
    v_id        text := p_change->>'entity_id';
    v_operation text := p_change->>'operation';
    v_hlc       text := p_change->>'hlc';
    v_payload   jsonb := p_change->'payload';
    v_cinema    text;
    v_applied   boolean;
    v_existing  text;
BEGIN
    v_cinema := CASE v_entity
        WHEN 'cinemas' THEN v_id
        WHEN 'studios' THEN coalesce(v_payload->>'cinema_id', (SELECT cinema_id FROM central.studios WHERE id = v_id))
        WHEN 'seats' THEN (SELECT cinema_id FROM central.studios
                           WHERE id = coalesce(v_payload->>'studio_id', (SELECT studio_id FROM central.seats WHERE id = v_id)))
        WHEN 'showtimes' THEN coalesce(v_payload->>'cinema_id', (SELECT cinema_id FROM central.showtimes WHERE id = v_id))
        WHEN 'seat_blocks' THEN (SELECT cinema_id FROM central.showtimes WHERE id = v_payload->>'showtime_id')
        ELSE NULL   -- movies, payment methods: chain-wide
    END;
    PERFORM central.check_scope(p_node, v_cinema);

    EXECUTE format('SELECT hlc FROM central.%I WHERE %s', v_entity,
                   CASE WHEN v_entity = 'seat_blocks' THEN 'showtime_id || ''/'' || seat_id = $1' ELSE 'id = $1' END)
        INTO v_existing USING v_id;
    IF v_existing IS NOT NULL AND v_existing >= v_hlc THEN
        RETURN central.outcome(v_seq, 'accepted', '{"superseded": true}');
    END IF;

    IF v_operation = 'delete' THEN
        IF v_entity = 'seat_blocks' THEN
            DELETE FROM central.seat_blocks WHERE showtime_id || '/' || seat_id = v_id;
        ELSE
            EXECUTE format('DELETE FROM central.%I WHERE id = $1', v_entity) USING v_id;
        END IF;
    ELSE
        CASE v_entity
        WHEN 'cinemas' THEN
            INSERT INTO central.cinemas (id, hlc, payload) VALUES (v_id, v_hlc, v_payload)
            ON CONFLICT (id) DO UPDATE SET hlc = EXCLUDED.hlc, payload = EXCLUDED.payload;
        WHEN 'studios' THEN
            INSERT INTO central.studios (id, cinema_id, hlc, payload) VALUES (v_id, v_cinema, v_hlc, v_payload)
            ON CONFLICT (id) DO UPDATE SET cinema_id = EXCLUDED.cinema_id, hlc = EXCLUDED.hlc, payload = EXCLUDED.payload;
        WHEN 'seats' THEN
            INSERT INTO central.seats (id, studio_id, cinema_id, label, kind, grid_row, grid_column, hlc, payload)
            VALUES (v_id, v_payload->>'studio_id', v_cinema, v_payload->>'label', v_payload->>'kind',
                    (v_payload->>'grid_row')::integer, (v_payload->>'grid_column')::integer, v_hlc, v_payload)
            ON CONFLICT (id) DO UPDATE SET studio_id = EXCLUDED.studio_id, cinema_id = EXCLUDED.cinema_id,
                label = EXCLUDED.label, kind = EXCLUDED.kind, grid_row = EXCLUDED.grid_row,
                grid_column = EXCLUDED.grid_column, hlc = EXCLUDED.hlc, payload = EXCLUDED.payload;
        WHEN 'movies' THEN
            INSERT INTO central.movies (id, hlc, payload) VALUES (v_id, v_hlc, v_payload)
            ON CONFLICT (id) DO UPDATE SET hlc = EXCLUDED.hlc, payload = EXCLUDED.payload;
        WHEN 'payment_methods' THEN
            INSERT INTO central.payment_methods (id, hlc, payload) VALUES (v_id, v_hlc, v_payload)
            ON CONFLICT (id) DO UPDATE SET hlc = EXCLUDED.hlc, payload = EXCLUDED.payload;
        WHEN 'showtimes' THEN
            IF v_cinema IS DISTINCT FROM (SELECT cinema_id FROM central.studios WHERE id = v_payload->>'studio_id') THEN
                RAISE EXCEPTION 'the showtime''s studio belongs to another cinema' USING ERRCODE = '23514';
            END IF;
            INSERT INTO central.showtimes (id, cinema_id, studio_id, movie_id, starts_at, ends_at, status, hlc, payload)
            VALUES (v_id, v_cinema, v_payload->>'studio_id', v_payload->>'movie_id',
                    central.instant(v_payload->>'starts_at'), central.instant(v_payload->>'ends_at'),
                    v_payload->>'status', v_hlc, v_payload)
            ON CONFLICT (id) DO UPDATE SET cinema_id = EXCLUDED.cinema_id, studio_id = EXCLUDED.studio_id,
                movie_id = EXCLUDED.movie_id, starts_at = EXCLUDED.starts_at, ends_at = EXCLUDED.ends_at,
                status = EXCLUDED.status, hlc = EXCLUDED.hlc, payload = EXCLUDED.payload;
        WHEN 'seat_blocks' THEN
            INSERT INTO central.seat_blocks (showtime_id, seat_id, cinema_id, hlc, payload)
            VALUES (v_payload->>'showtime_id', v_payload->>'seat_id', v_cinema, v_hlc, v_payload)
            ON CONFLICT (showtime_id, seat_id) DO UPDATE SET hlc = EXCLUDED.hlc, payload = EXCLUDED.payload;
        END CASE;
    END IF;

    PERFORM central.publish(v_cinema, NULL, p_node.name, v_entity, v_id, v_operation, v_hlc, v_payload);
    RETURN central.outcome(v_seq, 'accepted');
END
$$;

-- Users: one account per email. Two registrations of one email made offline are merged into the
-- earlier one, and the later one's bookings follow it.
CREATE FUNCTION central.apply_user(p_node central.nodes, p_change jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_seq      bigint := (p_change->>'seq')::bigint;
    v_id       text := p_change->>'entity_id';
    v_hlc      text := p_change->>'hlc';
    v_payload  jsonb := p_change->'payload';
    v_role     text := v_payload->>'role';
    v_cinema   text := CASE WHEN v_payload->>'role' = 'customer' THEN NULL ELSE v_payload->>'cinema_id' END;
    v_only     text;
    v_existing central.users;
    v_twin     central.users;
    v_merged   text;
BEGIN
    IF p_change->>'operation' = 'delete' THEN
        RAISE EXCEPTION 'accounts are never deleted through sync' USING ERRCODE = '0A000';
    END IF;
    PERFORM central.check_scope(p_node, v_cinema);
    SELECT * INTO v_existing FROM central.users WHERE id = v_id;
    v_only := CASE WHEN v_role = 'customer' THEN coalesce(v_existing.origin_node, p_node.name) END;

    IF FOUND THEN
        IF v_existing.hlc >= v_hlc THEN
            RETURN central.outcome(v_seq, 'accepted', '{"superseded": true}');
        END IF;
        UPDATE central.users SET email = v_payload->>'email', role = v_role, cinema_id = v_cinema,
                                 hlc = v_hlc, payload = v_payload
        WHERE id = v_id;
        PERFORM central.publish(v_cinema, v_only, p_node.name, 'users', v_id, 'update', v_hlc, v_payload);
        RETURN central.outcome(v_seq, 'accepted');
    END IF;

    SELECT * INTO v_twin FROM central.users
    WHERE lower(email) = lower(v_payload->>'email') AND merged_into IS NULL FOR UPDATE;
    IF NOT FOUND THEN
        INSERT INTO central.users (id, cinema_id, email, role, origin_node, created_at, hlc, payload)
        VALUES (v_id, v_cinema, v_payload->>'email', v_role, p_node.name, v_payload->>'created_at', v_hlc, v_payload);
        PERFORM central.publish(v_cinema, v_only, p_node.name, 'users', v_id, 'insert', v_hlc, v_payload);
        RETURN central.outcome(v_seq, 'accepted');
    END IF;

    IF (v_twin.created_at, v_twin.id) <= (v_payload->>'created_at', v_id) THEN
        -- The account already here is the earlier one: the pushed one becomes its alias.
        INSERT INTO central.users (id, cinema_id, email, role, origin_node, created_at, merged_into, hlc, payload)
        VALUES (v_id, v_cinema, v_payload->>'email', v_role, p_node.name, v_payload->>'created_at', v_twin.id, v_hlc, v_payload);
        v_merged := v_twin.id;
    ELSE
        -- The pushed account is the earlier one: it takes over, the other becomes its alias.
        INSERT INTO central.users (id, cinema_id, email, role, origin_node, created_at, merged_into, hlc, payload)
        VALUES (v_id, v_cinema, v_payload->>'email', v_role, p_node.name, v_payload->>'created_at', v_twin.id, v_hlc, v_payload);
        UPDATE central.users SET merged_into = v_id WHERE id = v_twin.id OR merged_into = v_twin.id;
        UPDATE central.users SET merged_into = NULL WHERE id = v_id;
        PERFORM central.publish(v_cinema, v_only, p_node.name, 'users', v_id, 'insert', v_hlc, v_payload);
        PERFORM central.move_bookings(v_twin.id, v_id);
        v_merged := v_id;
    END IF;
    PERFORM central.move_bookings(v_id, v_merged);
    RETURN central.outcome(v_seq, 'accepted', jsonb_build_object('merged_into', v_merged));
END
$$;

-- Moves the bookings of a merged account to the account it was merged into.
CREATE FUNCTION central.move_bookings(p_from text, p_to text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_booking central.bookings;
    v_hlc     text;
BEGIN
    IF p_from = p_to THEN RETURN; END IF;
    FOR v_booking IN SELECT * FROM central.bookings WHERE user_id = p_from FOR UPDATE LOOP
        v_hlc := central.hlc_after(v_booking.hlc);
        UPDATE central.bookings
        SET user_id = p_to, hlc = v_hlc, payload = jsonb_set(payload, '{user_id}', to_jsonb(p_to)) || jsonb_build_object('hlc', v_hlc)
        WHERE id = v_booking.id
        RETURNING * INTO v_booking;
        PERFORM central.publish(v_booking.cinema_id, NULL, 'central', 'bookings', v_booking.id, 'update', v_hlc, v_booking.payload);
    END LOOP;
END
$$;

-- Bookings: the later state in the order held < pending_payment < paid < expired < cancelled <
-- refunded wins; other fields follow the newer HLC.
CREATE FUNCTION central.apply_booking(p_node central.nodes, p_change jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_seq      bigint := (p_change->>'seq')::bigint;
    v_id       text := p_change->>'entity_id';
    v_hlc      text := p_change->>'hlc';
    v_payload  jsonb := p_change->'payload';
    v_cinema   text;
    v_user     text;
    v_existing central.bookings;
    v_rank     integer;
    v_restamped boolean;
BEGIN
    IF p_change->>'operation' = 'delete' THEN
        RAISE EXCEPTION 'bookings are never deleted; cancel or refund them' USING ERRCODE = '0A000';
    END IF;
    SELECT cinema_id INTO v_cinema FROM central.showtimes WHERE id = v_payload->>'showtime_id';
    IF v_cinema IS NULL THEN
        RAISE EXCEPTION 'unknown showtime %', v_payload->>'showtime_id' USING ERRCODE = '23503';
    END IF;
    PERFORM central.check_scope(p_node, v_cinema);
    -- A booking of a merged account belongs to the account it was merged into.
    v_user := v_payload->>'user_id';
    IF v_user IS NOT NULL THEN
        v_user := coalesce((SELECT merged_into FROM central.users WHERE id = v_user), v_user);
        v_payload := jsonb_set(v_payload, '{user_id}', to_jsonb(v_user));
    END IF;

    SELECT * INTO v_existing FROM central.bookings WHERE id = v_id FOR UPDATE;
    IF NOT FOUND THEN
        INSERT INTO central.bookings (id, code, cinema_id, showtime_id, user_id, origin_node, status, sold_hlc, hlc, payload)
        VALUES (v_id, v_payload->>'code', v_cinema, v_payload->>'showtime_id', v_user, p_node.name,
                v_payload->>'status', v_payload->>'sold_hlc', v_hlc, v_payload);
        PERFORM central.publish(v_cinema, NULL, p_node.name, 'bookings', v_id, 'insert', v_hlc, v_payload);
        RETURN central.outcome(v_seq, 'accepted');
    END IF;

    v_rank := central.booking_status_rank(v_payload->>'status') - central.booking_status_rank(v_existing.status);
    IF v_existing.hlc >= v_hlc AND v_rank <= 0 THEN
        RETURN central.outcome(v_seq, 'accepted', '{"superseded": true}');
    END IF;
    -- The copy in the later state wins whole (a payment brings its method and time, a refund its
    -- amount); between copies in the same state, the newer stamp.
    IF v_rank < 0 OR (v_rank = 0 AND v_existing.hlc > v_hlc) THEN
        v_payload := v_existing.payload;
    END IF;
    -- A later state with an older stamp than head office's row is restamped after it, and sent to
    -- every node, its own included, so that their last-writer-wins takes it.
    v_restamped := v_existing.hlc >= v_hlc OR v_rank < 0;
    IF v_existing.hlc >= v_hlc THEN
        v_hlc := central.hlc_after(v_existing.hlc);
    END IF;
    v_payload := v_payload || jsonb_build_object('hlc', v_hlc);
    UPDATE central.bookings
    SET status = v_payload->>'status', user_id = v_payload->>'user_id', sold_hlc = v_payload->>'sold_hlc',
        hlc = v_hlc, payload = v_payload
    WHERE id = v_id;
    PERFORM central.publish(v_cinema, NULL, CASE WHEN v_restamped THEN 'central' ELSE p_node.name END,
        'bookings', v_id, 'update', v_hlc, v_payload);
    RETURN central.outcome(v_seq, 'accepted');
END
$$;

-- Moves (or, when no seat of its kind is left, releases) a ticket that lost its seat, records the
-- conflict for the node that sold it, and publishes the decision. Returns the outcome's details.
CREATE FUNCTION central.place_elsewhere(
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

-- Tickets: a ticket head office has accepted is never taken away by a later push. A pushed sale
-- that hits a taken seat is reseated to the best free seat of its kind, or refund-required. Under
-- the earliest-sale-wins policy, the earlier sale (by HLC sold_at) takes the seat until the
-- showtime starts, and the later one is moved instead.
CREATE FUNCTION central.apply_ticket(p_node central.nodes, p_change jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_seq       bigint := (p_change->>'seq')::bigint;
    v_id        text := p_change->>'entity_id';
    v_hlc       text := p_change->>'hlc';
    v_payload   jsonb := p_change->'payload';
    v_showtime  central.showtimes;
    v_existing  central.tickets;
    v_holder    central.tickets;
    v_booking   central.bookings;
    v_holder_booking central.bookings;
    v_policy    text;
    v_seat      text;
    v_placed    jsonb;
    v_node_side jsonb;
    v_origin    text := p_node.name;
BEGIN
    IF p_change->>'operation' = 'delete' THEN
        RAISE EXCEPTION 'tickets are never deleted; release them' USING ERRCODE = '0A000';
    END IF;
    SELECT * INTO v_showtime FROM central.showtimes WHERE id = v_payload->>'showtime_id';
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown showtime %', v_payload->>'showtime_id' USING ERRCODE = '23503';
    END IF;
    PERFORM central.check_scope(p_node, v_showtime.cinema_id);
    -- One decision at a time per showtime: the seat checks below and the insert are atomic.
    PERFORM pg_advisory_xact_lock(hashtextextended('showtime:' || v_showtime.id, 0));

    SELECT * INTO v_existing FROM central.tickets WHERE id = v_id FOR UPDATE;
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
        -- Head office moved this ticket; the node's later change still names the old seat.
        v_seat := v_existing.seat_id;
        v_payload := v_payload || jsonb_build_object('seat_id', v_seat);
    END IF;
    SELECT * INTO v_booking FROM central.bookings WHERE id = v_payload->>'booking_id';
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown booking %', v_payload->>'booking_id' USING ERRCODE = '23503';
    END IF;

    IF v_payload->>'status' = 'released' OR NOT central.seat_is_taken(v_showtime.id, v_seat, p_node.name, v_id) THEN
        INSERT INTO central.tickets (id, booking_id, cinema_id, showtime_id, seat_id, status, hlc, payload)
        VALUES (v_id, v_booking.id, v_showtime.cinema_id, v_showtime.id, v_seat, v_payload->>'status', v_hlc, v_payload)
        ON CONFLICT (id) DO UPDATE SET seat_id = EXCLUDED.seat_id, status = EXCLUDED.status,
            hlc = EXCLUDED.hlc, payload = EXCLUDED.payload;
        PERFORM central.publish(v_showtime.cinema_id, NULL, v_origin, 'tickets', v_id,
            CASE WHEN v_existing.id IS NULL THEN 'insert' ELSE 'update' END, v_hlc, v_payload);
        RETURN central.outcome(v_seq, 'accepted');
    END IF;

    -- The seat is taken.
    SELECT * INTO v_holder FROM central.tickets
    WHERE showtime_id = v_showtime.id AND seat_id = v_seat AND status = 'active' AND id <> v_id;
    SELECT * INTO v_holder_booking FROM central.bookings WHERE id = v_holder.booking_id;
    SELECT seat_policy INTO v_policy FROM central.cinema_policies WHERE cinema_id = v_showtime.cinema_id;
    v_node_side := jsonb_build_object('ticket', v_payload, 'booking', v_booking.payload);

    IF coalesce(v_policy, 'first-accepted') = 'earliest-sale-wins'
       AND v_holder.id IS NOT NULL
       AND clock_timestamp() < v_showtime.starts_at
       AND NOT EXISTS (SELECT 1 FROM central.seat_blocks WHERE showtime_id = v_showtime.id AND seat_id = v_seat)
       AND NOT EXISTS (SELECT 1 FROM central.seat_allotments
                       WHERE showtime_id = v_showtime.id AND seat_id = v_seat AND node_name <> p_node.name)
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
        v_placed := central.place_elsewhere(v_holder.id, v_holder_booking.origin_node,
            jsonb_build_object('ticket', v_holder.payload, 'booking', v_holder_booking.payload), v_node_side,
            'an earlier sale from node ' || p_node.name || ' took the seat');
        RETURN central.outcome(v_seq, 'accepted', jsonb_build_object('displaced', v_placed));
    END IF;

    -- First accepted keeps the seat: place the pushed ticket elsewhere.
    INSERT INTO central.tickets (id, booking_id, cinema_id, showtime_id, seat_id, status, hlc, payload)
    VALUES (v_id, v_booking.id, v_showtime.cinema_id, v_showtime.id, v_seat, 'released', v_hlc,
            v_payload || '{"status": "released"}')
    ON CONFLICT (id) DO UPDATE SET status = 'released', hlc = EXCLUDED.hlc, payload = EXCLUDED.payload;
    v_placed := central.place_elsewhere(v_id, p_node.name, v_node_side,
        CASE WHEN v_holder.id IS NULL THEN NULL
             ELSE jsonb_build_object('ticket', v_holder.payload, 'booking', v_holder_booking.payload) END,
        CASE WHEN v_holder.id IS NOT NULL THEN 'the seat was already sold'
             WHEN EXISTS (SELECT 1 FROM central.seat_blocks WHERE showtime_id = v_showtime.id AND seat_id = v_seat)
                 THEN 'head office blocked the seat'
             ELSE 'the seat is allotted to another counter' END);
    RETURN central.outcome(v_seq, v_placed->>'status', v_placed - 'status');
END
$$;

-- One change, in its own subtransaction: a change that breaks a rule is rejected with its reason
-- and recorded, and never blocks the changes behind it.
CREATE FUNCTION central.apply_change(p_node central.nodes, p_change jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_seq    bigint := (p_change->>'seq')::bigint;
    v_reason   text;
    v_state    text;
    v_cinema   text;
    v_conflict text;
BEGIN
    BEGIN
        CASE p_change->>'entity'
        WHEN 'cinemas', 'studios', 'seats', 'movies', 'showtimes', 'payment_methods', 'seat_blocks' THEN
            RETURN central.apply_catalog(p_node, p_change);
        WHEN 'users' THEN
            RETURN central.apply_user(p_node, p_change);
        WHEN 'bookings' THEN
            RETURN central.apply_booking(p_node, p_change);
        WHEN 'tickets' THEN
            RETURN central.apply_ticket(p_node, p_change);
        ELSE
            RAISE EXCEPTION 'head office does not take changes to %', p_change->>'entity' USING ERRCODE = '0A000';
        END CASE;
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS v_reason = MESSAGE_TEXT, v_state = RETURNED_SQLSTATE;
        v_reason := CASE v_state
            WHEN '23P01' THEN 'the showtime overlaps another showtime in this studio'
            WHEN '23503' THEN 'it refers to something head office does not know: ' || v_reason
            WHEN '23505' THEN 'it duplicates an existing row: ' || v_reason
            ELSE v_reason END;
    END;
    v_cinema := coalesce(p_node.cinema_id, p_change->'payload'->>'cinema_id', '');
    v_conflict := central.record_conflict(v_cinema, p_node.name, 'rejected', p_change->>'entity', p_change->>'entity_id',
        CASE WHEN p_change->>'entity' = 'bookings' THEN p_change->>'entity_id' ELSE p_change->'payload'->>'booking_id' END,
        p_change->'payload'->>'showtime_id', NULL, NULL, v_reason, p_change, NULL);
    RETURN central.outcome(v_seq, 'rejected',
        jsonb_build_object('reason', v_reason, 'sqlstate', v_state, 'conflict_id', v_conflict));
END
$$;

-- A node is one store: the first store to sync as a node owns it, and no other store may use it
-- (its change-log sequences would clash in the inbox).
CREATE FUNCTION central.bind_store(p_node central.nodes, p_store_node_id text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF p_node.store_node_id IS NULL THEN
        UPDATE central.nodes SET store_node_id = p_store_node_id WHERE name = p_node.name AND store_node_id IS NULL;
    ELSIF p_node.store_node_id <> p_store_node_id THEN
        RAISE EXCEPTION 'node % is bound to another store; register a new node for this one', p_node.name
            USING ERRCODE = '42501';
    END IF;
END
$$;

-- The node calling, found from the role it logged in as.
CREATE FUNCTION central.calling_node() RETURNS central.nodes
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_node central.nodes;
BEGIN
    SELECT * INTO v_node FROM central.nodes WHERE role_name = session_user;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'role % is not a registered node', session_user USING ERRCODE = '42501';
    END IF;
    RETURN v_node;
END
$$;

-- Push: apply a batch of the node's change log, in order, once. `p_changes` is a JSON array of
-- {seq, hlc, entity, entity_id, operation, payload}. Returns one outcome per change:
-- {seq, status: accepted | reseated | refund_required | rejected, …}. A change already in the
-- inbox (a resent batch) is not applied again; its first outcome is returned.
--
-- The common case — new bookings and their tickets on free seats — is applied set-wise, a few
-- statements for the whole batch; everything else (catalog rows, accounts, updates, seat conflicts)
-- goes through the per-change rules in seq order afterwards. The set-wise part takes only rows that
-- nothing else in the batch touches, so the order of the two parts cannot change an outcome; if it
-- fails for any reason, the whole batch takes the per-change path.
-- The set-wise statements are planned for each batch (plan_cache_mode): a plan cached while the
-- tables were small would keep scanning them whole as they grow.
CREATE FUNCTION sync_api.push(p_store_node_id text, p_changes jsonb) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = central, pg_temp SET plan_cache_mode = force_custom_plan AS $$
DECLARE
    v_node     central.nodes := central.calling_node();
    v_change   record;
    v_showtime text;
BEGIN
    -- One push at a time per node, so a batch and its resend never interleave.
    PERFORM pg_advisory_xact_lock(hashtextextended('node:' || v_node.name, 0));
    PERFORM central.bind_store(v_node, p_store_node_id);
    UPDATE central.nodes SET last_push_at = now() WHERE name = v_node.name;
    CREATE TEMP TABLE IF NOT EXISTS reseat_plan (booking_id text, seat_id text, position bigint) ON COMMIT DROP;
    CREATE TEMP TABLE IF NOT EXISTS staged (
        seq bigint PRIMARY KEY, hlc text, entity text, entity_id text, operation text, payload jsonb,
        showtime_id text, seat_id text, booking_id text, simple boolean NOT NULL DEFAULT false) ON COMMIT DROP;
    CREATE INDEX IF NOT EXISTS staged_by_booking ON staged (booking_id);
    TRUNCATE staged;
    INSERT INTO staged (seq, hlc, entity, entity_id, operation, payload, showtime_id, seat_id, booking_id)
    SELECT c.seq, c.hlc, c.entity, c.entity_id, c.operation, c.payload, c.payload->>'showtime_id', c.payload->>'seat_id',
           c.payload->>'booking_id'
    FROM jsonb_to_recordset(p_changes) AS c (seq bigint, hlc text, entity text, entity_id text, operation text, payload jsonb)
    ON CONFLICT (seq) DO NOTHING;
    -- A resent change keeps its first outcome.
    DELETE FROM staged s USING central.inbox i WHERE i.node_name = v_node.name AND i.seq = s.seq;
    ANALYZE staged;

    -- Every showtime the batch sells for, locked in one order, so concurrent pushes never deadlock.
    FOR v_showtime IN SELECT DISTINCT showtime_id FROM staged WHERE showtime_id IS NOT NULL ORDER BY 1 LOOP
        PERFORM pg_advisory_xact_lock(hashtextextended('showtime:' || v_showtime, 0));
    END LOOP;

    BEGIN
        UPDATE staged s SET simple = true
        FROM central.showtimes sh
        WHERE s.entity = 'bookings' AND s.operation = 'insert'
          AND sh.id = s.showtime_id AND (v_node.all_cinemas OR sh.cinema_id = v_node.cinema_id)
          AND NOT EXISTS (SELECT 1 FROM central.bookings b WHERE b.id = s.entity_id)
          AND NOT EXISTS (SELECT 1 FROM central.bookings b WHERE b.code = s.payload->>'code');

        UPDATE staged s SET simple = true
        FROM central.showtimes sh, central.seats se
        WHERE s.entity = 'tickets' AND s.operation = 'insert' AND s.payload->>'status' = 'active'
          AND sh.id = s.showtime_id AND (v_node.all_cinemas OR sh.cinema_id = v_node.cinema_id)
          AND se.id = s.seat_id AND se.studio_id = sh.studio_id
          AND NOT EXISTS (SELECT 1 FROM central.tickets t WHERE t.id = s.entity_id)
          AND (EXISTS (SELECT 1 FROM staged b WHERE b.simple AND b.entity = 'bookings'
                       AND b.entity_id = s.payload->>'booking_id' AND b.showtime_id = sh.id)
               OR EXISTS (SELECT 1 FROM central.bookings b WHERE b.id = s.payload->>'booking_id' AND b.showtime_id = sh.id))
          AND NOT central.seat_is_taken(sh.id, se.id, v_node.name, s.entity_id)
          -- A seat that two changes of the batch touch is left to the rules, in order.
          AND (s.showtime_id, s.seat_id) NOT IN (
              SELECT showtime_id, seat_id FROM staged
              WHERE entity = 'tickets' AND showtime_id IS NOT NULL AND seat_id IS NOT NULL
              GROUP BY showtime_id, seat_id HAVING count(*) > 1);

        INSERT INTO central.bookings (id, code, cinema_id, showtime_id, user_id, origin_node, status, sold_hlc, hlc, payload)
        SELECT s.entity_id, s.payload->>'code', sh.cinema_id, sh.id, account.id, v_node.name, s.payload->>'status',
               s.payload->>'sold_hlc', s.hlc,
               CASE WHEN account.id IS DISTINCT FROM s.payload->>'user_id'
                    THEN jsonb_set(s.payload, '{user_id}', to_jsonb(account.id)) ELSE s.payload END
        FROM staged s
        JOIN central.showtimes sh ON sh.id = s.showtime_id
        -- A booking of a merged account belongs to the account it was merged into.
        CROSS JOIN LATERAL (SELECT coalesce((SELECT merged_into FROM central.users WHERE id = s.payload->>'user_id'),
                                            s.payload->>'user_id') AS id) account
        WHERE s.simple AND s.entity = 'bookings'
        ORDER BY s.seq;

        INSERT INTO central.tickets (id, booking_id, cinema_id, showtime_id, seat_id, status, hlc, payload)
        SELECT s.entity_id, s.payload->>'booking_id', sh.cinema_id, sh.id, s.seat_id, 'active', s.hlc, s.payload
        FROM staged s JOIN central.showtimes sh ON sh.id = s.showtime_id
        WHERE s.simple AND s.entity = 'tickets'
        ORDER BY s.seq;

        INSERT INTO central.feed (cinema_id, only_node, origin_node, entity, entity_id, operation, hlc, payload)
        SELECT applied.cinema_id, NULL, v_node.name, s.entity, s.entity_id, 'insert', s.hlc, applied.payload
        FROM staged s
        JOIN LATERAL (SELECT b.cinema_id, b.payload FROM central.bookings b WHERE s.entity = 'bookings' AND b.id = s.entity_id
                      UNION ALL
                      SELECT t.cinema_id, t.payload FROM central.tickets t WHERE s.entity = 'tickets' AND t.id = s.entity_id) applied ON true
        WHERE s.simple
        ORDER BY s.seq;

        INSERT INTO central.inbox (node_name, seq, entity, entity_id, outcome)
        SELECT v_node.name, s.seq, s.entity, s.entity_id, central.outcome(s.seq, 'accepted')
        FROM staged s WHERE s.simple;
    EXCEPTION WHEN OTHERS THEN
        -- Nothing of the set-wise part stays (its flags included); the rules below take every change.
        NULL;
    END;

    FOR v_change IN
        SELECT seq, hlc, entity, entity_id, operation, payload FROM staged WHERE NOT simple ORDER BY seq
    LOOP
        INSERT INTO central.inbox (node_name, seq, entity, entity_id, outcome)
        VALUES (v_node.name, v_change.seq, v_change.entity, v_change.entity_id,
                central.apply_change(v_node, to_jsonb(v_change)));
    END LOOP;

    RETURN (SELECT coalesce(jsonb_agg(i.outcome ORDER BY i.seq), '[]')
            FROM central.inbox i
            WHERE i.node_name = v_node.name
              AND i.seq IN (SELECT (value->>'seq')::bigint FROM jsonb_array_elements(p_changes)));
END
$$;

-- Pull: up to p_limit feed rows after p_cursor ('xid:id', '0' at first) for the calling node.
-- Reads only rows written by transactions older than every transaction still running, so a
-- transaction that commits late can never be skipped. Returns {rows, cursor, lag}; lag is null
-- while full pages follow.
CREATE FUNCTION sync_api.pull(p_store_node_id text, p_cursor text, p_limit integer) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = central, pg_temp AS $$
DECLARE
    v_node     central.nodes := central.calling_node();
    v_xid      xid8 := '0';
    v_id       bigint := 0;
    v_horizon  xid8 := pg_snapshot_xmin(pg_current_snapshot());
    v_rows     jsonb;
    v_last     text;
    v_lag      bigint;
    v_scanned  bigint;
BEGIN
    PERFORM central.bind_store(v_node, p_store_node_id);
    IF p_cursor ~ '^[0-9]+:[0-9]+$' THEN
        v_xid := split_part(p_cursor, ':', 1)::xid8;
        v_id := split_part(p_cursor, ':', 2)::bigint;
    ELSIF p_cursor IS NOT NULL AND p_cursor <> '0' THEN
        RAISE EXCEPTION 'not a feed cursor: %', p_cursor USING ERRCODE = '22023';
    END IF;

    WITH page AS (
        SELECT f.* FROM central.feed f
        WHERE (f.xid, f.id) > (v_xid, v_id) AND f.xid < v_horizon
        ORDER BY f.xid, f.id
        LIMIT greatest(1, least(p_limit, 10000))
    )
    SELECT
        coalesce(jsonb_agg(jsonb_build_object('id', id, 'entity', entity, 'entity_id', entity_id,
                                               'operation', operation, 'hlc', hlc, 'payload', payload)
                           ORDER BY xid, id)
                 FILTER (WHERE (v_node.all_cinemas OR cinema_id IS NULL OR cinema_id = v_node.cinema_id)
                           AND (only_node IS NULL OR only_node = v_node.name)
                           AND origin_node <> v_node.name), '[]'),
        (array_agg(xid::text || ':' || id::text ORDER BY xid DESC, id DESC))[1],
        count(*)
    INTO v_rows, v_last, v_scanned
    FROM page;

    IF v_last IS NOT NULL THEN
        v_xid := split_part(v_last, ':', 1)::xid8;
        v_id := split_part(v_last, ':', 2)::bigint;
    END IF;
    -- What is still waiting for this node after this page, committed or not: counted only on the
    -- last page (a full page means more follow anyway), so draining a long feed stays linear.
    IF v_scanned < greatest(1, least(p_limit, 10000)) THEN
        SELECT count(*) INTO v_lag FROM central.feed f
        WHERE (f.xid, f.id) > (v_xid, v_id)
          AND (v_node.all_cinemas OR f.cinema_id IS NULL OR f.cinema_id = v_node.cinema_id)
          AND (f.only_node IS NULL OR f.only_node = v_node.name)
          AND f.origin_node <> v_node.name;
    END IF;

    RETURN jsonb_build_object(
        'rows', v_rows,
        'cursor', CASE WHEN v_xid = '0' AND v_id = 0 THEN '0' ELSE v_xid::text || ':' || v_id END,
        'lag', v_lag);
END
$$;

REVOKE ALL ON ALL FUNCTIONS IN SCHEMA central FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA sync_api FROM PUBLIC;
GRANT USAGE ON SCHEMA sync_api TO boxoffice_node;
GRANT EXECUTE ON FUNCTION sync_api.push(text, jsonb), sync_api.pull(text, text, integer) TO boxoffice_node;
