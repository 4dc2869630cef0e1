-- version: 3
-- Head office's own tools (the owner's connection, never a node's): nodes, seat policies, allotments.

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
