-- BoxOfficeKit head office: what head office itself does (through `boxoffice central …` with the
-- owner's connection): register nodes, allot seats, choose a cinema's seat policy, resolve conflicts.
-- None of these is callable by a node role.

-- Registers a node and creates its login role, a member of boxoffice_node (push and pull only).
-- p_cinema_id NULL registers a head-office node that serves every cinema. Returns the role name.
CREATE FUNCTION central.add_node(p_name text, p_cinema_id text, p_password text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    v_role text := 'boxoffice_node_' || replace(p_name, '-', '_');
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
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = v_role) THEN
        EXECUTE format('ALTER ROLE %I LOGIN PASSWORD %L', v_role, p_password);
    ELSE
        EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L IN ROLE boxoffice_node', v_role, p_password);
    END IF;
    INSERT INTO central.nodes (name, role_name, cinema_id, all_cinemas)
    VALUES (p_name, v_role, p_cinema_id, p_cinema_id IS NULL);
    RETURN v_role;
END
$$;

-- Chooses how a cinema settles two sales of one seat: 'first-accepted' (default) or 'earliest-sale-wins'.
CREATE FUNCTION central.set_seat_policy(p_cinema_id text, p_policy text) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO central.cinema_policies (cinema_id, seat_policy) VALUES (p_cinema_id, p_policy)
    ON CONFLICT (cinema_id) DO UPDATE SET seat_policy = EXCLUDED.seat_policy
$$;

-- Allots seats of a showtime to one node: only that node sells them while offline. Returns how many.
CREATE FUNCTION central.allot(p_showtime_id text, p_seat_labels text[], p_node text) RETURNS integer
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
        IF EXISTS (SELECT 1 FROM central.seat_allotments
                   WHERE showtime_id = p_showtime_id AND seat_id = v_seat.id AND node_name <> p_node) THEN
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

-- Resolves an open conflict by hand: give the ticket another seat (p_seat_label), or refund the
-- booking (p_seat_label NULL). Publishes the decision to the cinema's nodes.
CREATE FUNCTION central.resolve_conflict(p_conflict_id text, p_seat_label text, p_resolved_by text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_conflict central.conflicts;
    v_ticket   central.tickets;
    v_booking  central.bookings;
    v_seat     central.seats;
    v_hlc      text;
BEGIN
    SELECT * INTO v_conflict FROM central.conflicts WHERE id = p_conflict_id FOR UPDATE;
    IF NOT FOUND THEN RAISE EXCEPTION 'no conflict %', p_conflict_id USING ERRCODE = '23503'; END IF;
    IF v_conflict.status = 'resolved' THEN
        RAISE EXCEPTION 'conflict % is already resolved (%)', p_conflict_id, v_conflict.resolution USING ERRCODE = '55000';
    END IF;
    IF v_conflict.booking_id IS NULL THEN
        RAISE EXCEPTION 'conflict % concerns no booking; there is nothing to reseat or refund', p_conflict_id USING ERRCODE = '55000';
    END IF;
    PERFORM pg_advisory_xact_lock(hashtextextended('showtime:' || v_conflict.showtime_id, 0));
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
        v_hlc := central.hlc_after(v_ticket.hlc);
        UPDATE central.tickets
        SET seat_id = v_seat.id, status = 'active', hlc = v_hlc,
            payload = payload || jsonb_build_object('seat_id', v_seat.id, 'status', 'active', 'hlc', v_hlc)
        WHERE id = v_ticket.id RETURNING * INTO v_ticket;
        PERFORM central.publish(v_ticket.cinema_id, NULL, 'central', 'tickets', v_ticket.id, 'update', v_hlc, v_ticket.payload);
        UPDATE central.conflicts SET status = 'resolved', resolution = 'seat ' || v_seat.label || ' by ' || p_resolved_by,
                                     seat_after = v_seat.label, resolved_at = now()
        WHERE id = p_conflict_id;
    ELSE
        v_hlc := central.hlc_after(v_booking.hlc);
        UPDATE central.bookings
        SET status = 'refunded', hlc = v_hlc,
            payload = payload || jsonb_build_object('status', 'refunded', 'refund_amount', payload->'total', 'hlc', v_hlc)
        WHERE id = v_booking.id AND status IN ('paid', 'held', 'pending_payment')
        RETURNING * INTO v_booking;
        IF FOUND THEN
            PERFORM central.publish(v_booking.cinema_id, NULL, 'central', 'bookings', v_booking.id, 'update', v_hlc, v_booking.payload);
        END IF;
        FOR v_ticket IN SELECT * FROM central.tickets WHERE booking_id = v_conflict.booking_id AND status = 'active' FOR UPDATE LOOP
            v_hlc := central.hlc_after(v_ticket.hlc);
            UPDATE central.tickets SET status = 'released', hlc = v_hlc,
                payload = payload || jsonb_build_object('status', 'released', 'hlc', v_hlc)
            WHERE id = v_ticket.id RETURNING * INTO v_ticket;
            PERFORM central.publish(v_ticket.cinema_id, NULL, 'central', 'tickets', v_ticket.id, 'update', v_hlc, v_ticket.payload);
        END LOOP;
        UPDATE central.conflicts SET status = 'resolved', resolution = 'refunded by ' || p_resolved_by, resolved_at = now()
        WHERE id = p_conflict_id;
    END IF;
    PERFORM central.publish(v_conflict.cinema_id, NULL, 'central', 'sync_conflicts', p_conflict_id, 'update',
        central.hlc_after(NULL), (SELECT to_jsonb(c) FROM central.conflicts c WHERE c.id = p_conflict_id));
END
$$;

-- A counter resolves the conflicts of its own cinema (online: head office decides whether a seat is free).
CREATE FUNCTION sync_api.resolve_conflict(p_conflict_id text, p_seat_label text, p_resolved_by text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = central, pg_temp AS $$
DECLARE
    v_node   central.nodes := central.calling_node();
    v_cinema text;
BEGIN
    SELECT cinema_id INTO v_cinema FROM central.conflicts WHERE id = p_conflict_id;
    IF NOT FOUND THEN RAISE EXCEPTION 'no conflict %', p_conflict_id USING ERRCODE = '23503'; END IF;
    PERFORM central.check_scope(v_node, v_cinema);
    PERFORM central.resolve_conflict(p_conflict_id, p_seat_label, p_resolved_by || ' at ' || v_node.name);
END
$$;

REVOKE ALL ON ALL FUNCTIONS IN SCHEMA central FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA sync_api FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sync_api.resolve_conflict(text, text, text) TO boxoffice_node;
