-- BoxOfficeKit head office: a pushed batch taken set-wise, its contested tickets included.
--
-- sync_api.push (0002) applied the plain part of a batch set-wise and sent the rest through the
-- per-change rules. What is left is usually nothing but new sales whose seats head office already
-- gave away, and they cost about 1 ms each there (a subtransaction, the seat search over the
-- showtime's tickets, an update, a conflict record and two feed rows). This migration:
--
-- * central.reseat_contested decides them in seq order exactly as central.apply_ticket and
--   central.place_elsewhere would, choosing each ticket's seat from the showtime's free seats read
--   once per batch, and writes every ticket, conflict record, feed row and inbox row of them in one
--   statement. It takes the rest of a batch only when all of it is such tickets; anything else
--   goes through the per-change rules as before.
-- * sync_api.push locks the batch's showtimes first and then stages and classifies the batch in
--   one statement (no ANALYZE, no UPDATE of the staged rows), writes the plain bookings, tickets,
--   feed and inbox rows in one statement whose foreign-key checks run with cached plans, keeps its
--   working tables for the session, and looks seats, resent changes and outcomes up by index
--   whatever the tables' statistics say.
--
-- Outcomes, rows, conflict records and feed rows are the same as before, in the same order.

-- Whether this session already has sync_api.push's working table p_name (a temporary table), made
-- by push itself. One of that name made by anyone else is refused: a node role may create
-- temporary tables, and push would otherwise use the node's table, and run any trigger on it,
-- with the schema owner's rights. (0002's CREATE TEMP TABLE IF NOT EXISTS had the same opening.)
CREATE FUNCTION central.push_table_exists(p_name text) RETURNS boolean
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

-- Up to p_count free seats of p_kind near (p_row, p_column), from pg_temp.free_seat (the free seats
-- of the showtimes whose contested tickets are being decided): the same choice as
-- central.best_free_seats makes from head office's tables (a run of adjacent seats in one row,
-- nearest first, otherwise the nearest single seats).
CREATE FUNCTION central.best_free_planned_seats(
    p_showtime_id text, p_kind text, p_count integer, p_row integer, p_column integer
) RETURNS text[]
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_seats text[];
BEGIN
    WITH free AS (
        SELECT seat_id AS id, grid_row, grid_column
        FROM pg_temp.free_seat
        WHERE showtime_id = p_showtime_id AND kind = p_kind
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
        SELECT ids[offset_in_run + 1 : offset_in_run + p_count] AS ids
        FROM placed
        ORDER BY abs(grid_row - p_row) * 100 + abs(first_column + offset_in_run - (p_column - (p_count - 1) / 2)), grid_row
        LIMIT 1
    ), nearest AS (
        SELECT array_agg(id) AS ids FROM (
            SELECT id FROM free
            ORDER BY abs(grid_row - p_row) * 100 + abs(grid_column - p_column), grid_row, grid_column
            LIMIT p_count) chosen
    )
    SELECT coalesce((SELECT ids FROM best_run), (SELECT ids FROM nearest), '{}') INTO v_seats;
    RETURN v_seats;
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
CREATE FUNCTION central.reseat_contested(p_node central.nodes) RETURNS boolean
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
-- Compared with 0002: the showtimes are locked before the batch is staged, so the batch is staged
-- and classified in one statement (no ANALYZE, no UPDATE of the staged rows); the feed rows take
-- the applied rows' payloads from the inserts themselves; the outcomes are read back by the
-- batch's sequences without parsing the batch again.
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

REVOKE ALL ON FUNCTION central.best_free_planned_seats(text, text, integer, integer, integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION central.reseat_contested(central.nodes) FROM PUBLIC;
REVOKE ALL ON FUNCTION central.push_table_exists(text) FROM PUBLIC;
