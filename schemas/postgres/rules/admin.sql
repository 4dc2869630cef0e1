-- version: 7
-- Head office's own tools (the owner's connection, never a node's): nodes, seat policies, allotments,
-- cancelling a showtime.
-- A node's life: add_node registers it, rotate_node gives it a new password, revoke_node ends it.

-- Registers a node and creates its login role, a member of boxoffice_node (push and pull only).
-- p_cinema_id NULL registers a head-office node that serves every cinema. Returns the role name.
CREATE OR REPLACE FUNCTION central.add_node(p_name text, p_cinema_id text, p_password text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    v_role text := central.node_role(p_name);
BEGIN
    IF p_name !~ '^[a-z0-9][a-z0-9_-]{0,39}$' THEN
        RAISE EXCEPTION 'a node name is 1 to 40 lower-case letters, digits, - or _, got "%"', p_name USING ERRCODE = '22023';
    END IF;
    IF EXISTS (SELECT 1 FROM central.nodes WHERE name = p_name) THEN
        RAISE EXCEPTION 'node % is already registered', p_name USING ERRCODE = '23505';
    END IF;
    IF p_cinema_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM central.cinemas WHERE id = p_cinema_id) THEN
        RAISE EXCEPTION 'head office has no cinema %: sync the catalog up first', p_cinema_id USING ERRCODE = '23503';
    END IF;
    -- Roles belong to the whole server: this head office's are named by its own id, and one that
    -- exists already is never taken over (another head office on the server may be using it).
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = v_role) THEN
        RAISE EXCEPTION 'the server already has a role %; this head office will not take it over', v_role
            USING ERRCODE = '42710';
    END IF;
    EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L IN ROLE boxoffice_node', v_role, p_password);
    -- A call that takes locks must finish (node_for_call refuses one under a longer timeout), a
    -- session left idle in a transaction is ended, and a call waiting for a lock gives up in time.
    EXECUTE format('ALTER ROLE %I SET statement_timeout = %L', v_role, '60s');
    EXECUTE format('ALTER ROLE %I SET idle_in_transaction_session_timeout = %L', v_role, '30s');
    EXECUTE format('ALTER ROLE %I SET lock_timeout = %L', v_role, '20s');
    INSERT INTO central.nodes (name, role_name, cinema_id, all_cinemas)
    VALUES (p_name, v_role, p_cinema_id, p_cinema_id IS NULL);
    RETURN v_role;
END
$$;

-- Chooses how a cinema settles two sales of one seat: 'first-accepted' (default) or 'earliest-sale-wins'.
CREATE OR REPLACE FUNCTION central.set_seat_policy(p_cinema_id text, p_policy text) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO central.cinema_policies (cinema_id, seat_policy) VALUES (p_cinema_id, p_policy)
    ON CONFLICT (cinema_id) DO UPDATE SET seat_policy = EXCLUDED.seat_policy
$$;

-- Allots seats of a showtime to one node: only that node sells them while offline. Returns how many.
CREATE OR REPLACE FUNCTION central.allot(p_showtime_id text, p_seat_labels text[], p_node text) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    v_showtime central.showtimes;
    v_node     central.nodes;
    v_seat     central.seats;
    v_label    text;
    v_hlc      text;
    v_count    integer := 0;
BEGIN
    SELECT * INTO v_showtime FROM central.showtimes WHERE id = p_showtime_id;
    IF NOT FOUND THEN RAISE EXCEPTION 'head office has no showtime %', p_showtime_id USING ERRCODE = '23503'; END IF;
    SELECT * INTO v_node FROM central.nodes WHERE name = p_node;
    IF NOT FOUND THEN RAISE EXCEPTION 'no node %', p_node USING ERRCODE = '23503'; END IF;
    IF NOT v_node.all_cinemas AND v_node.cinema_id <> v_showtime.cinema_id THEN
        RAISE EXCEPTION 'node % serves another cinema', p_node USING ERRCODE = '22023';
    END IF;
    IF v_node.store_node_id IS NULL THEN
        RAISE EXCEPTION 'node % has not synced yet: allot after its first sync', p_node USING ERRCODE = '55000';
    END IF;
    FOREACH v_label IN ARRAY p_seat_labels LOOP
        SELECT * INTO v_seat FROM central.seats WHERE studio_id = v_showtime.studio_id AND label = upper(v_label);
        IF NOT FOUND THEN RAISE EXCEPTION 'the studio has no seat %', v_label USING ERRCODE = '22023'; END IF;
        IF EXISTS (SELECT 1 FROM central.seat_holds(p_showtime_id, p_node) h
                   WHERE h.seat_id = v_seat.id AND h.kind = 'allotted') THEN
            RAISE EXCEPTION 'seat % is allotted to another node', v_seat.label USING ERRCODE = '23505';
        END IF;
        v_hlc := central.hlc_after(NULL);
        INSERT INTO central.seat_allotments (showtime_id, seat_id, cinema_id, node_name, hlc)
        VALUES (p_showtime_id, v_seat.id, v_showtime.cinema_id, p_node, v_hlc)
        ON CONFLICT (showtime_id, seat_id) DO UPDATE SET hlc = EXCLUDED.hlc;
        PERFORM central.publish(v_showtime.cinema_id, NULL, 'central', 'seat_allotments',
            p_showtime_id || '/' || v_seat.id, 'insert', v_hlc,
            jsonb_build_object('showtime_id', p_showtime_id, 'seat_id', v_seat.id, 'node_id', v_node.store_node_id,
                               'node_name', p_node, 'hlc', v_hlc));
        v_count := v_count + 1;
    END LOOP;
    RETURN v_count;
END
$$;

-- Gives node p_name's role the password p_password (the old one stops working at once) and ends
-- the sessions it has open, so that a copy of the old URL is of no use. The counter keeps its store
-- and its place in the feed; it syncs on with the new URL.
CREATE OR REPLACE FUNCTION central.rotate_node(p_name text, p_password text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    v_node central.nodes;
BEGIN
    SELECT * INTO v_node FROM central.nodes WHERE name = p_name FOR UPDATE;
    IF NOT FOUND THEN RAISE EXCEPTION 'no node %', p_name USING ERRCODE = '23503'; END IF;
    IF v_node.revoked_at IS NOT NULL THEN
        RAISE EXCEPTION 'node % was revoked; register a new node for its counter', p_name USING ERRCODE = '55000';
    END IF;
    EXECUTE format('ALTER ROLE %I PASSWORD %L', v_node.role_name, p_password);
    PERFORM pg_terminate_backend(a.pid) FROM pg_stat_activity a WHERE a.usename = v_node.role_name;
    RETURN v_node.role_name;
END
$$;

-- Booking code number p_number of prefix p_prefix, as a counter writes it (at least four digits).
CREATE OR REPLACE FUNCTION central.booking_code(p_prefix text, p_number bigint) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT p_prefix || '-' || lpad(p_number::text, greatest(4, length(p_number::text)), '0')
$$;

-- Stops node p_name for good (a lost or stolen counter): its role may no longer log in and its
-- open sessions end; the seats allotted to it go back to the cinema, and its holds that have not
-- run out expire now, so other counters may sell those seats. Its paid sales stand. Returns what
-- was done, and the booking codes of its prefix that head office never received (below the
-- highest it did): sales the counter may have made offline that reached no one, for staff to look
-- into. {"released_allotments": n, "expired_holds": n, "highest_code": "…", "missing_codes": ["…"],
-- "missing_count": n} — at most 1,000 codes are listed.
CREATE OR REPLACE FUNCTION central.revoke_node(p_name text) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_node      central.nodes;
    v_released  integer := 0;
    v_expired   integer := 0;
    v_row       record;
    v_booking   central.bookings;
    v_highest   bigint;
    v_missing   text[];
    v_count     bigint;
BEGIN
    SELECT * INTO v_node FROM central.nodes WHERE name = p_name FOR UPDATE;
    IF NOT FOUND THEN RAISE EXCEPTION 'no node %', p_name USING ERRCODE = '23503'; END IF;
    IF v_node.revoked_at IS NOT NULL THEN
        RAISE EXCEPTION 'node % was revoked on %', p_name, v_node.revoked_at USING ERRCODE = '55000';
    END IF;
    UPDATE central.nodes SET revoked_at = now() WHERE name = p_name;
    EXECUTE format('ALTER ROLE %I NOLOGIN', v_node.role_name);
    PERFORM pg_terminate_backend(a.pid) FROM pg_stat_activity a WHERE a.usename = v_node.role_name;

    FOR v_row IN DELETE FROM central.seat_allotments WHERE node_name = p_name RETURNING * LOOP
        v_released := v_released + 1;
        PERFORM central.publish(v_row.cinema_id, NULL, 'central', 'seat_allotments', v_row.showtime_id || '/' || v_row.seat_id,
            'delete', central.hlc_after(v_row.hlc), jsonb_build_object('showtime_id', v_row.showtime_id, 'seat_id', v_row.seat_id));
    END LOOP;

    FOR v_booking IN SELECT * FROM central.bookings
                     WHERE origin_node = p_name AND status IN ('held', 'pending_payment') FOR UPDATE LOOP
        PERFORM central.end_booking(v_booking, 'expired');
        v_expired := v_expired + 1;
    END LOOP;

    IF v_node.code_prefix IS NOT NULL THEN
        -- The numbers head office holds of the node's prefix, and the gaps between them. A count
        -- over the gaps and a walk of at most the first 1,000 of them, each at most 1,000 long, give
        -- the missing codes without walking every number below the highest: a node could push one
        -- sale with a code of eighteen nines.
        SELECT max(substr(code, length(v_node.code_prefix) + 2)::bigint) INTO v_highest FROM central.bookings
        WHERE origin_node = p_name AND left(code, length(v_node.code_prefix) + 1) = v_node.code_prefix || '-'
          AND substr(code, length(v_node.code_prefix) + 2) ~ '^[0-9]{1,18}$';
        WITH received AS (
            SELECT DISTINCT n FROM (
                SELECT substr(code, length(v_node.code_prefix) + 2)::bigint AS n FROM central.bookings
                WHERE left(code, length(v_node.code_prefix) + 1) = v_node.code_prefix || '-'
                  AND substr(code, length(v_node.code_prefix) + 2) ~ '^[0-9]{1,18}$') c
            WHERE n <= v_highest
        ), gaps AS (
            SELECT coalesce(lag(n) OVER (ORDER BY n), 0) + 1 AS first, n - 1 AS last FROM received
        ), first_gaps AS (
            SELECT first, least(last, first + 999) AS last FROM gaps WHERE last >= first ORDER BY first LIMIT 1000
        )
        SELECT (SELECT sum(last - first + 1) FROM gaps WHERE last >= first),
               (SELECT array_agg(m.code ORDER BY m.code) FROM (
                    SELECT central.booking_code(v_node.code_prefix, g.n) AS code
                    FROM first_gaps, generate_series(first_gaps.first, first_gaps.last) g (n)
                    ORDER BY g.n LIMIT 1000) m)
        INTO v_count, v_missing;
    END IF;
    RETURN jsonb_build_object(
        'released_allotments', v_released, 'expired_holds', v_expired,
        'highest_code', CASE WHEN v_highest IS NOT NULL THEN central.booking_code(v_node.code_prefix, v_highest) END,
        'missing_codes', to_jsonb(coalesce(v_missing, '{}')), 'missing_count', coalesce(v_count, 0));
END
$$;

-- Releases the active tickets of booking p_booking_id, each published, so that its seats are free
-- everywhere (a hold head office expired).
CREATE OR REPLACE FUNCTION central.release_booking_tickets(p_booking_id text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_ticket central.tickets;
    v_hlc    text;
BEGIN
    FOR v_ticket IN SELECT * FROM central.tickets WHERE booking_id = p_booking_id AND status = 'active' ORDER BY id FOR UPDATE LOOP
        v_hlc := central.hlc_after(v_ticket.hlc);
        UPDATE central.tickets SET status = 'released', hlc = v_hlc,
            payload = payload || jsonb_build_object('status', 'released', 'hlc', v_hlc)
        WHERE id = v_ticket.id RETURNING * INTO v_ticket;
        PERFORM central.publish(v_ticket.cinema_id, NULL, 'central', 'tickets', v_ticket.id, 'update', v_hlc, v_ticket.payload);
    END LOOP;
END
$$;

-- Ends booking p_booking (a hold head office will not keep) in state p_status, expired or
-- cancelled: stamped, published, and its active tickets released and published.
CREATE OR REPLACE FUNCTION central.end_booking(p_booking central.bookings, p_status text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_hlc     text := central.hlc_after(p_booking.hlc);
    v_payload jsonb := p_booking.payload || jsonb_build_object('status', p_status, 'hlc', v_hlc);
BEGIN
    UPDATE central.bookings SET status = p_status, hlc = v_hlc, payload = v_payload WHERE id = p_booking.id;
    PERFORM central.publish(p_booking.cinema_id, NULL, 'central', 'bookings', p_booking.id, 'update', v_hlc, v_payload);
    PERFORM central.release_booking_tickets(p_booking.id);
END
$$;

-- The reason a sale of a showtime head office cancelled is kept for a refund, in a cashier's words.
CREATE OR REPLACE FUNCTION central.cancelled_showtime_reason() RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT 'the showtime was cancelled by head office'
$$;

-- Keeps paid booking p_booking of a cancelled showtime for a refund: its active tickets released and
-- published, and one refund_required conflict record for the booking (unless it has one for this
-- cancellation already), published so that the counters' staff see what to refund. The booking
-- stays paid until staff refund it (conflicts.sql, resolve_conflict). Returns the conflict's id.
CREATE OR REPLACE FUNCTION central.refund_cancelled_booking(p_booking central.bookings, p_node text, p_detail text)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    v_conflict text;
    v_seats    text;
BEGIN
    SELECT id INTO v_conflict FROM central.conflicts
    WHERE booking_id = p_booking.id AND kind = 'refund_required' AND entity = 'bookings' AND entity_id = p_booking.id
    LIMIT 1;
    SELECT string_agg(se.label, ' ' ORDER BY se.label) INTO v_seats
    FROM central.tickets t JOIN central.seats se ON se.id = t.seat_id
    WHERE t.booking_id = p_booking.id AND t.status = 'active';
    PERFORM central.release_booking_tickets(p_booking.id);
    IF v_conflict IS NULL THEN
        v_conflict := central.record_conflict(p_booking.cinema_id, p_node, 'refund_required', 'bookings', p_booking.id,
            p_booking.id, p_booking.showtime_id, v_seats, NULL,
            central.cancelled_showtime_reason() || coalesce(' (' || nullif(p_detail, '') || ')', '')
            || ': refund the customer',
            jsonb_build_object('booking', p_booking.payload), NULL);
    END IF;
    RETURN v_conflict;
END
$$;

-- Cancels showtime p_showtime_id at head office (p_reason, in staff's words, is kept on the
-- conflict records): the showtime row is marked cancelled and published to its cinema's nodes, every
-- paid booking of it is kept for a refund (refund_cancelled_booking), and its holds and unconfirmed
-- payments are cancelled, their seats released. A sale of it that a counter made offline and pushes
-- later is kept for a refund too (tickets.sql, reseat.sql), never accepted nor refused. Returns
-- {"showtime_id": …, "refund_required": n, "cancelled_holds": n, "released_tickets": n,
--  "conflict_ids": [...]}; cancelling it again finds nothing more to do.
CREATE OR REPLACE FUNCTION central.cancel_showtime(p_showtime_id text, p_reason text) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_showtime  central.showtimes;
    v_booking   central.bookings;
    v_hlc       text;
    v_payload   jsonb;
    v_refunds   integer := 0;
    v_holds     integer := 0;
    v_released  integer;
    v_conflicts text[] := '{}';
    v_detail    text := left(btrim(coalesce(p_reason, '')), 200);
BEGIN
    SELECT * INTO v_showtime FROM central.showtimes WHERE id = p_showtime_id;
    IF NOT FOUND THEN RAISE EXCEPTION 'head office has no showtime %', p_showtime_id USING ERRCODE = '23503'; END IF;
    -- One decision at a time per showtime: no push places a sale on it meanwhile.
    PERFORM central.lock_showtimes(ARRAY[p_showtime_id]);
    SELECT * INTO v_showtime FROM central.showtimes WHERE id = p_showtime_id FOR UPDATE;
    SELECT count(*) INTO v_released FROM central.tickets WHERE showtime_id = p_showtime_id AND status = 'active';
    IF v_showtime.status <> 'cancelled' THEN
        v_hlc := central.hlc_after(v_showtime.hlc);
        v_payload := v_showtime.payload || jsonb_build_object('status', 'cancelled', 'hlc', v_hlc);
        UPDATE central.showtimes SET status = 'cancelled', hlc = v_hlc, payload = v_payload WHERE id = p_showtime_id;
        PERFORM central.publish(v_showtime.cinema_id, NULL, 'central', 'showtimes', p_showtime_id, 'update', v_hlc, v_payload);
    END IF;
    FOR v_booking IN SELECT * FROM central.bookings WHERE showtime_id = p_showtime_id ORDER BY id FOR UPDATE LOOP
        IF v_booking.status IN ('held', 'pending_payment') THEN
            PERFORM central.end_booking(v_booking, 'cancelled');
            v_holds := v_holds + 1;
        ELSIF v_booking.status IN ('paid', 'refund_due') THEN
            IF NOT EXISTS (SELECT 1 FROM central.conflicts WHERE booking_id = v_booking.id AND kind = 'refund_required'
                           AND entity = 'bookings' AND entity_id = v_booking.id) THEN
                v_conflicts := v_conflicts || central.refund_cancelled_booking(v_booking, v_booking.origin_node, v_detail);
                v_refunds := v_refunds + 1;
            END IF;
        ELSE
            PERFORM central.release_booking_tickets(v_booking.id);
        END IF;
    END LOOP;
    RETURN jsonb_build_object('showtime_id', p_showtime_id, 'refund_required', v_refunds, 'cancelled_holds', v_holds,
                              'released_tickets', v_released, 'conflict_ids', to_jsonb(v_conflicts));
END
$$;
