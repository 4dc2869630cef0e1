-- version: 1
-- Push: a node's batch of changes, applied in order, once.

CREATE OR REPLACE FUNCTION central.outcome(p_seq bigint, p_status text, p_extra jsonb DEFAULT '{}') RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
    SELECT jsonb_build_object('seq', p_seq, 'status', p_status) || p_extra
$$;

-- Whether this session already has sync_api.push's working table p_name (a temporary table), made
-- by push itself. One of that name made by anyone else is refused: a node role may create
-- temporary tables, and push would otherwise use the node's table, and run any trigger on it,
-- with the schema owner's rights.
CREATE OR REPLACE FUNCTION central.push_table_exists(p_name text) RETURNS boolean
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_owner oid;
BEGIN
    SELECT c.relowner INTO v_owner FROM pg_catalog.pg_class c WHERE c.oid = to_regclass('pg_temp.' || p_name);
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    IF v_owner <> (SELECT r.oid FROM pg_catalog.pg_roles r WHERE r.rolname = current_user) THEN
        RAISE EXCEPTION 'this session has a temporary table % that head office did not make', p_name
            USING ERRCODE = '42501';
    END IF;
    RETURN true;
END
$$;

-- One change, in its own subtransaction: a change that breaks a rule is rejected with its reason
-- and recorded, and never blocks the changes behind it.
CREATE OR REPLACE FUNCTION central.apply_change(p_node central.nodes, p_change jsonb) RETURNS jsonb
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

-- Push: apply a batch of the node's change log, in order, once. `p_changes` is a JSON array of
-- {seq, hlc, entity, entity_id, operation, payload}. Returns one outcome per change:
-- {seq, status: accepted | reseated | refund_required | rejected, …}. A change already in the
-- inbox (a resent batch) is not applied again; its first outcome is returned.
--
-- The common case — new bookings and their tickets on free seats — is applied set-wise, one
-- statement for the whole batch with its feed and inbox rows; the contested tickets left are
-- decided together by central.reseat_contested; everything else (catalog rows, accounts, updates,
-- and any batch whose rest is not only contested tickets) goes through the per-change rules in
-- seq order afterwards. The set-wise part takes only rows that nothing else in the batch touches,
-- so the order of the parts cannot change an outcome; if it fails for any reason, the whole batch
-- takes the per-change path.
--
-- The set-wise statements are planned for each batch (plan_cache_mode): a plan cached while the
-- tables were small would keep scanning them whole as they grow.
CREATE OR REPLACE FUNCTION sync_api.push(p_store_node_id text, p_changes jsonb) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = central, pg_temp SET plan_cache_mode = force_custom_plan AS $$
DECLARE
    v_node     central.nodes := central.calling_node();
    v_change   record;
    v_decided  boolean;
    v_seqs     bigint[];
BEGIN
    -- One push at a time per node, so a batch and its resend never interleave.
    PERFORM pg_advisory_xact_lock(hashtextextended('node:' || v_node.name, 0));
    PERFORM central.bind_store(v_node, p_store_node_id);
    UPDATE central.nodes SET last_push_at = now() WHERE name = v_node.name;
    -- The working tables live as long as the session and are emptied at every commit: created
    -- once, not in every push, so the plans that read them stay cached.
    IF NOT central.push_table_exists('reseat_plan') THEN
        CREATE TEMP TABLE reseat_plan (booking_id text, seat_id text, position bigint) ON COMMIT DELETE ROWS;
    END IF;
    IF NOT central.push_table_exists('staged') THEN
        CREATE TEMP TABLE staged (
            seq bigint PRIMARY KEY, hlc text, entity text, entity_id text, operation text, payload jsonb,
            showtime_id text, seat_id text, booking_id text, simple boolean NOT NULL DEFAULT false) ON COMMIT DELETE ROWS;
        CREATE INDEX staged_by_booking ON staged (booking_id);
    END IF;
    DELETE FROM pg_temp.staged;

    -- Every showtime the batch names, locked in one order, so concurrent pushes never deadlock.
    PERFORM pg_advisory_xact_lock(hashtextextended('showtime:' || batch_showtimes.id, 0))
    FROM (SELECT DISTINCT c.payload->>'showtime_id' AS id
          FROM jsonb_to_recordset(p_changes) AS c (payload jsonb)
          WHERE c.payload->>'showtime_id' IS NOT NULL
          ORDER BY 1) batch_showtimes;

    -- The batch staged, without what the inbox already has (a resent change keeps its first
    -- outcome), each change marked simple when the set-wise part below may apply it: a new booking
    -- of a showtime of the node's cinema whose id and code head office does not have, and a new
    -- active ticket, of such a booking or of one head office has for the same showtime, on a free
    -- seat of the showtime's studio that no other ticket change of the batch names.
    WITH batch AS MATERIALIZED (
        SELECT c.seq, c.hlc, c.entity, c.entity_id, c.operation, c.payload, c.ordinality,
               c.payload->>'showtime_id' AS showtime_id, c.payload->>'seat_id' AS seat_id,
               c.payload->>'booking_id' AS booking_id,
               EXISTS (SELECT 1 FROM central.inbox i WHERE i.node_name = v_node.name AND i.seq = c.seq OFFSET 0) AS resent
        FROM ROWS FROM (jsonb_to_recordset(p_changes)
                        AS (seq bigint, hlc text, entity text, entity_id text, operation text, payload jsonb))
             WITH ORDINALITY AS c (seq, hlc, entity, entity_id, operation, payload, ordinality)
    ), fresh AS MATERIALIZED (
        SELECT DISTINCT ON (seq) * FROM batch WHERE NOT resent ORDER BY seq, ordinality
    ), new_booking AS MATERIALIZED (
        SELECT f.seq, f.entity_id, f.showtime_id
        FROM fresh f JOIN central.showtimes sh ON sh.id = f.showtime_id
        WHERE f.entity = 'bookings' AND f.operation = 'insert'
          AND (v_node.all_cinemas OR sh.cinema_id = v_node.cinema_id)
          AND NOT EXISTS (SELECT 1 FROM central.bookings b WHERE b.id = f.entity_id)
          AND NOT EXISTS (SELECT 1 FROM central.bookings b WHERE b.code = f.payload->>'code')
    ), shared_seat AS MATERIALIZED (
        SELECT showtime_id, seat_id FROM fresh
        WHERE entity = 'tickets' AND showtime_id IS NOT NULL AND seat_id IS NOT NULL
        GROUP BY showtime_id, seat_id HAVING count(*) > 1
    ), new_ticket AS MATERIALIZED (
        SELECT f.seq
        FROM fresh f
        JOIN central.showtimes sh ON sh.id = f.showtime_id
        JOIN central.seats se ON se.id = f.seat_id AND se.studio_id = sh.studio_id
        WHERE f.entity = 'tickets' AND f.operation = 'insert' AND f.payload->>'status' = 'active'
          AND (v_node.all_cinemas OR sh.cinema_id = v_node.cinema_id)
          AND NOT EXISTS (SELECT 1 FROM central.tickets t WHERE t.id = f.entity_id)
          AND (EXISTS (SELECT 1 FROM new_booking b WHERE b.entity_id = f.booking_id AND b.showtime_id = sh.id)
               OR EXISTS (SELECT 1 FROM central.bookings b WHERE b.id = f.booking_id AND b.showtime_id = sh.id))
          -- The seat is free (central.seat_is_taken written out; the ticket itself is new). Each
          -- probe looks the seat up by (showtime, seat), whatever the tables' statistics say
          -- (OFFSET 0 keeps it a probe: a join planned on stale statistics scanned the index whole).
          AND NOT EXISTS (SELECT 1 FROM central.tickets t
                          WHERE t.showtime_id = f.showtime_id AND t.seat_id = f.seat_id AND t.status = 'active'
                          OFFSET 0)
          AND NOT EXISTS (SELECT 1 FROM central.seat_blocks k
                          WHERE k.showtime_id = f.showtime_id AND k.seat_id = f.seat_id OFFSET 0)
          AND NOT EXISTS (SELECT 1 FROM central.seat_allotments a
                          WHERE a.showtime_id = f.showtime_id AND a.seat_id = f.seat_id AND a.node_name <> v_node.name
                          OFFSET 0)
          -- A seat that two changes of the batch touch is left to the rules, in order.
          AND NOT EXISTS (SELECT 1 FROM shared_seat x WHERE x.showtime_id = f.showtime_id AND x.seat_id = f.seat_id)
    ), staging AS (
        INSERT INTO staged (seq, hlc, entity, entity_id, operation, payload, showtime_id, seat_id, booking_id, simple)
        SELECT f.seq, f.hlc, f.entity, f.entity_id, f.operation, f.payload, f.showtime_id, f.seat_id, f.booking_id,
               f.seq IN (SELECT seq FROM new_booking UNION ALL SELECT seq FROM new_ticket)
        FROM fresh f
    )
    SELECT array_agg(seq) INTO v_seqs FROM batch;

    BEGIN
        -- The foreign-key checks of these inserts (a few thousand per batch) run with cached plans:
        -- under force_custom_plan each check was planned again, which tripled their cost. The
        -- statement itself reads only the staged batch, showtimes and accounts.
        PERFORM set_config('plan_cache_mode', 'auto', true);
        WITH booking AS (
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
            ORDER BY s.seq
            RETURNING id, cinema_id, payload
        ), ticket AS (
            INSERT INTO central.tickets (id, booking_id, cinema_id, showtime_id, seat_id, status, hlc, payload)
            SELECT s.entity_id, s.booking_id, sh.cinema_id, sh.id, s.seat_id, 'active', s.hlc, s.payload
            FROM staged s JOIN central.showtimes sh ON sh.id = s.showtime_id
            WHERE s.simple AND s.entity = 'tickets'
            ORDER BY s.seq
            RETURNING id, cinema_id, payload
        ), feed AS (
            INSERT INTO central.feed (cinema_id, only_node, origin_node, entity, entity_id, operation, hlc, payload)
            SELECT applied.cinema_id, NULL, v_node.name, s.entity, s.entity_id, 'insert', s.hlc, applied.payload
            FROM staged s
            JOIN (SELECT 'bookings' AS entity, id, cinema_id, payload FROM booking
                  UNION ALL
                  SELECT 'tickets', id, cinema_id, payload FROM ticket) applied
              ON applied.entity = s.entity AND applied.id = s.entity_id
            WHERE s.simple
            ORDER BY s.seq
        )
        INSERT INTO central.inbox (node_name, seq, entity, entity_id, outcome)
        SELECT v_node.name, s.seq, s.entity, s.entity_id, jsonb_build_object('seq', s.seq, 'status', 'accepted')
        FROM staged s WHERE s.simple;
        PERFORM set_config('plan_cache_mode', 'force_custom_plan', true);
    EXCEPTION WHEN OTHERS THEN
        -- Nothing of the set-wise part stays; the rules below take every change.
        UPDATE staged SET simple = false WHERE simple;
    END;

    -- The contested tickets left, decided together when nothing else is left.
    BEGIN
        v_decided := central.reseat_contested(v_node);
    EXCEPTION WHEN OTHERS THEN
        v_decided := false;
    END;

    IF NOT v_decided THEN
        FOR v_change IN
            SELECT seq, hlc, entity, entity_id, operation, payload FROM staged WHERE NOT simple ORDER BY seq
        LOOP
            INSERT INTO central.inbox (node_name, seq, entity, entity_id, outcome)
            VALUES (v_node.name, v_change.seq, v_change.entity, v_change.entity_id,
                    central.apply_change(v_node, to_jsonb(v_change)));
        END LOOP;
    END IF;

    -- The outcomes, read as one range of the inbox (a batch's sequences follow each other).
    RETURN (SELECT coalesce(jsonb_agg(i.outcome ORDER BY i.seq), '[]')
            FROM central.inbox i
            WHERE i.node_name = v_node.name
              AND i.seq BETWEEN (SELECT min(x) FROM unnest(v_seqs) x) AND (SELECT max(x) FROM unnest(v_seqs) x)
              AND i.seq IN (SELECT unnest(v_seqs)));
END
$$;

GRANT EXECUTE ON FUNCTION sync_api.push(text, jsonb) TO boxoffice_node;
