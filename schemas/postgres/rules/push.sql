-- version: 11
-- Push: a node's batch of changes, applied in order, once.
--
-- A node role may call sync_api.push and nothing else of it; push runs as the schema owner
-- (SECURITY DEFINER) and finds the calling node from session_user, so a node can neither name
-- another node nor reach past its own cinema. The rules it applies each live in their own file:
-- catalog.sql, accounts.sql, bookings.sql, tickets.sql, and seats.sql / reseat.sql for seats.

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

-- The digest the inbox keeps of a change: SHA-256 of the change as the node sent it (jsonb's text
-- is canonical: one order of keys, one spelling of each value), so a resend has the same digest and
-- a change that only reuses its sequence number has another.
CREATE OR REPLACE FUNCTION central.change_digest(p_change jsonb) RETURNS bytea
LANGUAGE sql IMMUTABLE AS $$
    SELECT sha256(convert_to(p_change::text, 'UTF8'))
$$;

-- What a node is told about the changes of a push from p_seq on when its store forked: the inbox
-- already holds a change of the node under p_seq with other content, so the store was restored from
-- a backup or copied, and its changes from there on are not the ones head office has. None of them
-- is taken; the node sends them again from p_next_seq on (one past every sequence head office holds
-- from it), and the normal rules decide them then.
CREATE OR REPLACE FUNCTION central.fork_outcome(p_seq bigint, p_fork bigint, p_next_seq bigint) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
    SELECT central.outcome(p_seq, 'forked', jsonb_build_object(
        'next_seq', p_next_seq, 'fork_seq', p_fork,
        'reason', 'head office already has another change numbered ' || p_fork
                  || ' from this counter: this store was restored from a backup or copied'))
$$;

-- One change, in its own subtransaction: a change that breaks a rule is rejected with its reason
-- and recorded, and never blocks the changes behind it.
CREATE OR REPLACE FUNCTION central.apply_change(p_node central.nodes, p_change jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_reason   text;
    v_state    text;
    v_constraint text;
BEGIN
    -- The ownership table first (permissions.sql): who sent it, and head office's records of the
    -- row; then what the change is (change_validity.sql, staged with the batch).
    v_reason := central.push_refusal(p_node, p_change);
    IF v_reason IS NOT NULL THEN
        PERFORM central.send_back(p_node, p_change);
        RETURN central.reject(p_node, p_change, v_reason, '42501');
    END IF;
    IF p_change->>'defect' IS NOT NULL THEN
        PERFORM central.send_back(p_node, p_change);
        RETURN central.reject(p_node, p_change, p_change->>'defect', '22023');
    END IF;
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
        GET STACKED DIAGNOSTICS v_reason = MESSAGE_TEXT, v_state = RETURNED_SQLSTATE,
                                v_constraint = CONSTRAINT_NAME;
        v_reason := CASE
            WHEN v_constraint = 'showtimes_no_overlap' THEN 'the showtime overlaps another showtime in this studio'
            WHEN v_state = '23503' THEN 'it refers to something head office does not know: ' || v_reason
            WHEN v_state = '23505' THEN 'it duplicates an existing row: ' || v_reason
            ELSE v_reason END;
    END;
    PERFORM central.send_back(p_node, p_change);
    RETURN central.reject(p_node, p_change, v_reason, v_state);
END
$$;

-- Records a refused change as a `rejected` conflict for the node (its cinema's counters see it) and
-- returns its outcome. The record names only a booking and showtime head office has for the node's
-- cinema: a change cannot make head office keep a record about another cinema's sale.
CREATE OR REPLACE FUNCTION central.reject(p_node central.nodes, p_change jsonb, p_reason text, p_sqlstate text) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_booking  text := CASE WHEN p_change->>'entity' = 'bookings' THEN p_change->>'entity_id' ELSE p_change->'payload'->>'booking_id' END;
    v_showtime text := p_change->'payload'->>'showtime_id';
    v_cinema   text := coalesce(p_node.cinema_id, (SELECT cinema_id FROM central.showtimes WHERE id = v_showtime), '');
    v_conflict text;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM central.bookings WHERE id = v_booking AND cinema_id = v_cinema) THEN
        v_booking := NULL;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM central.showtimes WHERE id = v_showtime AND cinema_id = v_cinema) THEN
        v_showtime := NULL;
    END IF;
    v_conflict := central.record_conflict(v_cinema, p_node.name, 'rejected', p_change->>'entity', p_change->>'entity_id',
        v_booking, v_showtime, NULL, NULL, p_reason, p_change, NULL);
    RETURN central.outcome((p_change->>'seq')::bigint, 'rejected',
        jsonb_build_object('reason', p_reason, 'sqlstate', p_sqlstate, 'conflict_id', v_conflict));
END
$$;

-- The most changes one push takes (the sync agent sends 2,000 at a time).
CREATE OR REPLACE FUNCTION central.max_batch_size() RETURNS integer
LANGUAGE sql IMMUTABLE AS $$ SELECT 5000 $$;

-- Push's working tables, temporary and private to the session: made once per session, emptied
-- at every commit, so the plans that read them stay cached.
--   staged       the batch, each change with its defect (change_validity.sql) and marked simple
--                when the set-wise path may apply it
--   contested    the tickets the reseat rule is deciding (reseat.sql)
--   free_seat    the free seats those choose from (seats.sql, seat_search.sql)
--   reseat_plan  each booking's planned seats, so a group sits together across the batch
CREATE OR REPLACE FUNCTION central.prepare_push_tables() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    -- A session that made its table under an earlier version of this rule makes it again.
    IF central.push_table_exists('staged')
       AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute
                       WHERE attrelid = to_regclass('pg_temp.staged') AND attname = 'digest' AND NOT attisdropped) THEN
        DROP TABLE pg_temp.staged;
    END IF;
    IF NOT central.push_table_exists('staged') THEN
        CREATE TEMP TABLE staged (
            seq bigint PRIMARY KEY, hlc text, entity text, entity_id text, operation text, payload jsonb,
            showtime_id text, seat_id text, booking_id text, defect text, digest bytea,
            simple boolean NOT NULL DEFAULT false) ON COMMIT DELETE ROWS;
        CREATE INDEX staged_by_booking ON staged (booking_id);
        -- What ANALYZE gathers for the filters push puts on payloads, so that it plans their joins.
        CREATE STATISTICS pg_temp.staged_status ON (payload->>'status') FROM staged;
    END IF;
    IF NOT central.push_table_exists('contested') THEN
        CREATE TEMP TABLE contested (
            seq bigint PRIMARY KEY, ticket_id text, booking_id text, node_name text, cinema_id text, showtime_id text,
            seat_id text, label text, kind text, grid_row integer, grid_column integer, hlc text, payload jsonb,
            group_size integer, reason text, node_side jsonb, central_side jsonb) ON COMMIT DELETE ROWS;
    END IF;
    IF NOT central.push_table_exists('free_seat') THEN
        CREATE TEMP TABLE free_seat (
            showtime_id text, seat_id text, kind text, grid_row integer, grid_column integer,
            PRIMARY KEY (showtime_id, seat_id)) ON COMMIT DELETE ROWS;
    END IF;
    IF NOT central.push_table_exists('reseat_plan') THEN
        CREATE TEMP TABLE reseat_plan (booking_id text, seat_id text, position bigint) ON COMMIT DELETE ROWS;
    END IF;
    DELETE FROM pg_temp.staged;
    DELETE FROM pg_temp.contested;
    DELETE FROM pg_temp.free_seat;
    DELETE FROM pg_temp.reseat_plan;
END
$$;

-- A set-wise step of push gave up (and the per-change rules take its changes, with the same
-- outcomes): the reason is logged at head office and kept in central.push_fallbacks.
CREATE OR REPLACE FUNCTION central.record_fallback(p_node text, p_stage text, p_sqlstate text, p_message text)
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    RAISE LOG 'boxoffice push from node %: % fell back to the per-change rules: % (SQLSTATE %)',
        p_node, p_stage, p_message, p_sqlstate;
    INSERT INTO central.push_fallbacks (node_name, stage, sqlstate, message) VALUES (p_node, p_stage, p_sqlstate, p_message);
END
$$;

-- Puts in pg_temp.contested the changes the set-wise path left (pg_temp.staged, NOT simple) when
-- every one of them is a new active ticket, with no defect and nothing the ownership table refuses,
-- of a booking the node made that head office has for the same showtime, at a price head office
-- recorded, on a seat of the showtime's studio that is taken (seats.sql) and that no other change
-- of the batch names, in a cinema with the first-accepted policy; and fills pg_temp.free_seat for their
-- showtimes. The reseat rule then decides them all at once, in seq order, exactly as the
-- per-change rules would one by one. Returns false, having left nothing, when the rest is anything else.
CREATE OR REPLACE FUNCTION central.stage_contested(p_node central.nodes) RETURNS boolean
LANGUAGE plpgsql SET plan_cache_mode = auto AS $$
DECLARE
    v_rest     bigint;
    v_taken    integer;
    v_showtime text;
BEGIN
    SELECT count(*) INTO v_rest FROM pg_temp.staged WHERE NOT simple;
    DELETE FROM pg_temp.contested;
    INSERT INTO pg_temp.contested (seq, ticket_id, booking_id, node_name, cinema_id, showtime_id, seat_id, label, kind,
                                   grid_row, grid_column, hlc, payload, group_size, reason, node_side, central_side)
    SELECT s.seq, s.entity_id, b.id, p_node.name, sh.cinema_id, sh.id, se.id, se.label, se.kind,
           se.grid_row, se.grid_column, s.hlc, s.payload,
           count(*) OVER (PARTITION BY b.id),
           hold.reason,
           jsonb_build_object('ticket', s.payload, 'booking', b.payload),
           CASE WHEN holder.id IS NOT NULL
                THEN jsonb_build_object('ticket', holder.payload, 'booking', holder_booking.payload) END
    FROM (SELECT * FROM pg_temp.staged WHERE NOT simple OFFSET 0) s
    JOIN central.showtimes sh ON sh.id = s.showtime_id
    JOIN central.seats se ON se.id = s.seat_id AND se.studio_id = sh.studio_id
    JOIN central.bookings b ON b.id = s.booking_id AND b.showtime_id = sh.id
    -- What takes the seat, first (seats.sql); no row: the seat is free, and the rules decide.
    JOIN LATERAL (SELECT h.ticket_id, h.reason FROM central.seat_holds(s.showtime_id, p_node.name) h
                  WHERE h.seat_id = s.seat_id AND h.ticket_id IS DISTINCT FROM s.entity_id
                  ORDER BY h.precedence LIMIT 1) hold ON true
    LEFT JOIN central.tickets holder ON holder.id = hold.ticket_id
    LEFT JOIN central.bookings holder_booking ON holder_booking.id = holder.booking_id
    WHERE s.entity = 'tickets' AND s.operation = 'insert' AND s.payload->>'status' = 'active' AND s.defect IS NULL
      AND sh.status <> 'cancelled'
      AND (p_node.all_cinemas OR (sh.cinema_id = p_node.cinema_id AND b.origin_node = p_node.name))
      AND central.price_places(sh.id, s.payload->>'price_version', se.kind, (s.payload->>'price')::bigint)
      AND central.push_refusal(p_node, to_jsonb(s)) IS NULL
      AND NOT EXISTS (SELECT 1 FROM central.tickets t WHERE t.id = s.entity_id);
    GET DIAGNOSTICS v_taken = ROW_COUNT;
    IF v_taken = 0 OR v_taken <> v_rest
       OR (SELECT count(DISTINCT ticket_id) <> count(*) OR count(DISTINCT (showtime_id, seat_id)) <> count(*)
           FROM pg_temp.contested)
       -- Under the earliest-sale-wins policy a pushed sale may take the seat back: the rules decide.
       OR EXISTS (SELECT 1 FROM pg_temp.contested c JOIN central.cinema_policies p ON p.cinema_id = c.cinema_id
                  WHERE p.seat_policy <> 'first-accepted') THEN
        DELETE FROM pg_temp.contested;
        RETURN false;
    END IF;
    FOR v_showtime IN SELECT DISTINCT showtime_id FROM pg_temp.contested LOOP
        PERFORM central.fill_free_seats(v_showtime, p_node.name);
    END LOOP;
    RETURN true;
END
$$;

-- Push: apply a batch of the node's change log, in order, once. `p_changes` is a JSON array of
-- {seq, hlc, entity, entity_id, operation, payload}. Returns one outcome per change:
-- {seq, status: accepted | reseated | refund_required | rejected | forked, …}, with `taken_hlc` when
-- head office took the change's stamp other than sent (hlc.sql clamps a clock far ahead). A change
-- already in the inbox with the same digest (a resent batch) is not applied again; its first
-- outcome is returned. A change the inbox holds under its seq with another digest is a fork: it and
-- every change of the batch after it are answered `forked` (fork_outcome) and nothing of them is
-- taken, nor is the inbox's row touched — a node cannot change what head office accepted from it.
--
-- The common case — new bookings and their tickets on free seats — is applied set-wise, one
-- statement for the whole batch with its feed and inbox rows; when the rest is nothing but
-- contested tickets (sales whose seats head office already gave away), the reseat rule decides
-- them together; everything else (catalog rows, accounts, updates, and any other rest) goes
-- through the per-change rules in seq order. The set-wise part takes only rows that nothing else
-- in the batch touches, so the order of the parts cannot change an outcome; when a set-wise step
-- fails for any reason, its changes take the per-change path, and central.push_fallbacks says why.
-- The set-wise statements are planned for each batch (plan_cache_mode): a plan cached while the
-- tables were small would keep scanning them whole as they grow.
CREATE OR REPLACE FUNCTION sync_api.push(p_protocol integer, p_store jsonb, p_changes jsonb) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = central, pg_temp SET plan_cache_mode = force_custom_plan AS $$
DECLARE
    v_node     central.nodes := central.node_for_call(p_protocol, p_store, true);
    v_change   record;
    v_decided  boolean := false;
    v_seqs     bigint[];
    v_state    text;
    v_message  text;
    v_fork     bigint;
    v_next_seq bigint;
    -- The bounds of the batch's stamps (hlc.sql), read once.
    v_ceiling  bigint := central.hlc_ceiling_millis();
    -- The tables a change may name (change_validity.sql).
    v_entities text[] := central.payload_entities();
    v_floor    text := CASE WHEN v_node.last_pull_at IS NOT NULL
                            THEN central.hlc_format(floor(extract(epoch FROM v_node.last_pull_at) * 1000)::bigint, 0, 'central') END;
BEGIN
    -- One push at a time per node (node_for_call locked its row), so a batch and its resend never
    -- interleave; a batch is bounded, so no push holds its locks for long.
    IF jsonb_typeof(p_changes) IS DISTINCT FROM 'array' THEN
        RAISE EXCEPTION 'a push is a JSON array of changes' USING ERRCODE = '22023';
    END IF;
    IF jsonb_array_length(p_changes) > central.max_batch_size() THEN
        RAISE EXCEPTION 'a push takes at most % changes, not %: send smaller batches', central.max_batch_size(),
            jsonb_array_length(p_changes) USING ERRCODE = '54000';
    END IF;
    -- Card data is taken out before anything reads the batch (card_data.sql): no digest, row,
    -- reason or report of head office ever holds it.
    p_changes := central.without_card_data(v_node.name, p_changes);
    -- Outcomes are answered by seq: a change without one cannot be answered, and the batch is refused.
    IF EXISTS (SELECT 1 FROM jsonb_array_elements(p_changes) e (value)
               WHERE jsonb_typeof(e.value) IS DISTINCT FROM 'object'
                  OR CASE WHEN jsonb_typeof(e.value->'seq') = 'number'
                          THEN (e.value->>'seq')::numeric <> trunc((e.value->>'seq')::numeric)
                               OR (e.value->>'seq')::numeric NOT BETWEEN 1 AND 9223372036854775807
                          ELSE true END) THEN
        RAISE EXCEPTION 'every change of a push is a JSON object with its seq, a positive integer' USING ERRCODE = '22023';
    END IF;
    UPDATE central.nodes SET last_push_at = now() WHERE name = v_node.name;
    PERFORM central.prepare_push_tables();
    -- The feed rows of this push name the store that sent them (its prefix), so that another store
    -- of the node — the one it was copied from, or a copy of it — pulls them (pull.sql).
    PERFORM set_config('boxoffice.push_prefix', coalesce(v_node.code_prefix, ''), true);

    -- The first change that reuses a sequence number the inbox holds with other content, if any
    -- (unless a test harness turned the check off, central.settings.fork_detection).
    SELECT min(i.seq) INTO v_fork
    FROM jsonb_array_elements(p_changes) e (value)
    JOIN central.inbox i ON i.node_name = v_node.name AND i.seq = (e.value->>'seq')::bigint
    WHERE i.digest IS DISTINCT FROM central.change_digest(e.value) AND i.digest IS NOT NULL
      AND (SELECT fork_detection FROM central.settings);
    IF v_fork IS NOT NULL THEN
        SELECT coalesce(max(seq), 0) + 1 INTO v_next_seq FROM central.inbox WHERE node_name = v_node.name;
        INSERT INTO central.node_forks (node_name, seq, next_seq) VALUES (v_node.name, v_fork, v_next_seq);
        RAISE LOG 'boxoffice push from node %: change % reuses a sequence number with other content (a restored or copied store); it and the rest of the batch are refused, the node resends from %',
            v_node.name, v_fork, v_next_seq;
    END IF;

    -- Every showtime the batch names, locked in one order, so concurrent pushes never deadlock.
    PERFORM central.lock_showtimes(array_agg(DISTINCT c.payload->>'showtime_id'), v_node)
    FROM jsonb_array_elements(p_changes) AS e (value)
    CROSS JOIN LATERAL (SELECT CASE WHEN jsonb_typeof(e.value->'payload') = 'object' THEN e.value->'payload' END AS payload) c
    WHERE c.payload->>'showtime_id' IS NOT NULL;

    -- The batch staged, without what the inbox already has (a resent change keeps its first
    -- outcome), with its stamps as head office takes them (hlc.sql: within the skew head office
    -- allows, and a sale's not before the node's last pull), each clamped stamp reported.
    WITH batch AS MATERIALIZED (
        SELECT (e.value->>'seq')::bigint AS seq, e.value->>'hlc' AS sent_hlc,
               e.value->>'entity' AS entity, e.value->>'entity_id' AS entity_id, e.value->>'operation' AS operation,
               e.value->'payload' AS payload, e.ordinality, central.change_digest(e.value) AS digest,
               central.envelope_defect(e.value->'entity', e.value->'entity_id', e.value->'operation', v_entities) AS defect
        FROM jsonb_array_elements(p_changes) WITH ORDINALITY AS e (value, ordinality)
    ), fresh AS MATERIALIZED (
        SELECT DISTINCT ON (b.seq) b.*,
               central.hlc_not_before(central.hlc_within(b.sent_hlc, v_ceiling, b.ordinality, v_node.name), v_floor,
                                      b.ordinality) AS hlc,
               CASE WHEN b.entity = 'bookings' AND jsonb_typeof(b.payload->'sold_hlc') = 'string'
                    THEN central.hlc_not_before(central.hlc_within(b.payload->>'sold_hlc', v_ceiling, b.ordinality, v_node.name),
                                                v_floor, b.ordinality) END AS sold_hlc
        FROM batch b
        WHERE NOT EXISTS (SELECT 1 FROM central.inbox i WHERE i.node_name = v_node.name AND i.seq = b.seq)
          AND (v_fork IS NULL OR b.seq < v_fork)
        ORDER BY b.seq, b.ordinality
    ), reported AS (
        INSERT INTO central.clock_reports (node_name, seq, field, sent_hlc, clamped_to)
        SELECT v_node.name, f.seq, 'hlc', coalesce(left(f.sent_hlc, 100), ''), f.hlc FROM fresh f
        WHERE f.hlc IS DISTINCT FROM f.sent_hlc
        UNION ALL
        SELECT v_node.name, f.seq, 'sold_hlc', left(f.payload->>'sold_hlc', 100), f.sold_hlc FROM fresh f
        WHERE f.sold_hlc IS DISTINCT FROM f.payload->>'sold_hlc' AND f.sold_hlc IS NOT NULL
    )
    INSERT INTO staged (seq, hlc, entity, entity_id, operation, payload, showtime_id, seat_id, booking_id, defect, digest)
    SELECT f.seq, f.hlc, f.entity, f.entity_id, f.operation,
           -- The payload carries the stamps as taken: they are what the feed spreads.
           CASE WHEN jsonb_typeof(f.payload) <> 'object' OR f.defect IS NOT NULL THEN f.payload
                WHEN f.payload->>'hlc' IS DISTINCT FROM f.hlc OR f.payload->>'sold_hlc' IS DISTINCT FROM coalesce(f.sold_hlc, f.payload->>'sold_hlc')
                THEN f.payload || jsonb_build_object('hlc', f.hlc)
                     || CASE WHEN f.sold_hlc IS NOT NULL THEN jsonb_build_object('sold_hlc', f.sold_hlc) ELSE '{}' END
                ELSE f.payload END,
           f.payload->>'showtime_id', f.payload->>'seat_id', f.payload->>'booking_id', f.defect, f.digest
    FROM fresh f;
    SELECT array_agg(e.seq) INTO v_seqs FROM (SELECT (value->>'seq')::bigint AS seq FROM jsonb_array_elements(p_changes)) e;

    -- The planner's picture of the batch (a temporary table has none until analysed): without it,
    -- it takes the batch for one row and scans tickets and seats whole for every change.
    ANALYZE staged;

    -- What is wrong with each change, for the whole batch at once (change_validity.sql).
    PERFORM central.stage_defects(v_node);

    -- The changes the set-wise part below may apply: a new booking of a showtime of the node's
    -- cinema whose id and code head office does not have, and a new active ticket, of such a
    -- booking or of one head office has for the same showtime, at a price head office recorded for
    -- it (prices.sql), of a showtime not cancelled, on a free seat (seats.sql) of the showtime's studio that no other ticket
    -- change of the batch names — none with a defect, and none the ownership table refuses.
    WITH new_booking AS MATERIALIZED (
        SELECT f.seq, f.entity_id, f.showtime_id
        FROM staged f JOIN central.showtimes sh ON sh.id = f.showtime_id
        WHERE f.entity = 'bookings' AND f.operation = 'insert' AND f.defect IS NULL
          AND (v_node.all_cinemas OR sh.cinema_id = v_node.cinema_id)
          AND NOT EXISTS (SELECT 1 FROM central.bookings b WHERE b.id = f.entity_id)
          AND NOT EXISTS (SELECT 1 FROM central.bookings b WHERE b.code = f.payload->>'code')
    ), shared_seat AS MATERIALIZED (
        SELECT showtime_id, seat_id FROM staged
        WHERE entity = 'tickets' AND showtime_id IS NOT NULL AND seat_id IS NOT NULL
        GROUP BY showtime_id, seat_id HAVING count(*) > 1
    ), new_ticket AS MATERIALIZED (
        SELECT f.seq
        FROM staged f
        JOIN central.showtimes sh ON sh.id = f.showtime_id
        -- The seat, and below the ticket, looked up by key change by change (OFFSET 0 keeps them
        -- so): the planner, which cannot tell how many tickets of the node's cinema a batch holds,
        -- would otherwise scan every seat and every ticket for every change.
        CROSS JOIN LATERAL (SELECT s.kind FROM central.seats s WHERE s.id = f.seat_id AND s.studio_id = sh.studio_id
                            OFFSET 0) se
        WHERE f.entity = 'tickets' AND f.operation = 'insert' AND f.defect IS NULL AND f.payload->>'status' = 'active'
          -- A sale of a cancelled showtime is left to the rules (tickets.sql): kept for a refund.
          AND sh.status <> 'cancelled'
          AND (v_node.all_cinemas OR sh.cinema_id = v_node.cinema_id)
          AND NOT EXISTS (SELECT 1 FROM central.tickets t WHERE t.id = f.entity_id OFFSET 0)
          AND (EXISTS (SELECT 1 FROM new_booking b WHERE b.entity_id = f.booking_id AND b.showtime_id = sh.id)
               OR EXISTS (SELECT 1 FROM central.bookings b WHERE b.id = f.booking_id AND b.showtime_id = sh.id
                          AND b.origin_node = v_node.name))
          AND central.price_places(sh.id, f.payload->>'price_version', se.kind, (f.payload->>'price')::bigint)
          AND NOT EXISTS (SELECT 1 FROM central.seat_holds(f.showtime_id, v_node.name) h WHERE h.seat_id = f.seat_id)
          -- A seat that two changes of the batch touch is left to the rules, in order.
          AND NOT EXISTS (SELECT 1 FROM shared_seat x WHERE x.showtime_id = f.showtime_id AND x.seat_id = f.seat_id)
    )
    UPDATE staged SET simple = true
    WHERE seq IN (SELECT seq FROM new_booking UNION ALL SELECT seq FROM new_ticket);
    -- Again, now that the batch is split: the statements below join on `simple`.
    ANALYZE staged;

    BEGIN
        -- The free seats the simple tickets take may still carry rows of holds that ran out.
        PERFORM central.release_stale_tickets(array_agg(s.showtime_id), array_agg(s.seat_id), NULL)
        FROM staged s WHERE s.simple AND s.entity = 'tickets';
        -- The foreign-key checks of these inserts (a few thousand per batch) run with cached plans:
        -- under force_custom_plan each check was planned again, which tripled their cost. The
        -- statement itself reads only the staged batch, showtimes and accounts.
        PERFORM set_config('plan_cache_mode', 'auto', true);
        WITH booking AS (
            INSERT INTO central.bookings (id, code, cinema_id, showtime_id, user_id, origin_node, status, hold_expires_at,
                                          sold_hlc, hlc, payload)
            SELECT s.entity_id, s.payload->>'code', sh.cinema_id, sh.id, account.id, v_node.name, s.payload->>'status',
                   central.instant(s.payload->>'hold_expires_at'), s.payload->>'sold_hlc', s.hlc,
                   CASE WHEN account.id IS DISTINCT FROM s.payload->>'user_id'
                        THEN jsonb_set(s.payload, '{user_id}', to_jsonb(account.id)) ELSE s.payload END
            FROM staged s
            JOIN central.showtimes sh ON sh.id = s.showtime_id
            -- A booking of a merged account belongs to the account it was merged into.
            CROSS JOIN LATERAL (SELECT central.booking_account(s.payload->>'user_id') AS id) account
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
        INSERT INTO central.inbox (node_name, seq, entity, entity_id, outcome, digest)
        SELECT v_node.name, s.seq, s.entity, s.entity_id, jsonb_build_object('seq', s.seq, 'status', 'accepted'), s.digest
        FROM staged s WHERE s.simple;
        PERFORM set_config('plan_cache_mode', 'force_custom_plan', true);
    EXCEPTION WHEN OTHERS THEN
        -- Nothing of the set-wise part stays; the rules below take every change.
        GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT;
        UPDATE staged SET simple = false WHERE simple;
        PERFORM central.record_fallback(v_node.name, 'new bookings and tickets', v_state, v_message);
    END;

    -- The contested tickets left, decided together when nothing else is left.
    IF EXISTS (SELECT 1 FROM staged WHERE NOT simple) THEN
        BEGIN
            IF central.stage_contested(v_node) THEN
                INSERT INTO central.inbox (node_name, seq, entity, entity_id, outcome, digest)
                SELECT v_node.name, r.seq, 'tickets', r.ticket_id, r.outcome, s.digest
                FROM central.reseat() r JOIN pg_temp.staged s ON s.seq = r.seq ORDER BY r.seq;
                v_decided := true;
            END IF;
        EXCEPTION WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT;
            PERFORM central.record_fallback(v_node.name, 'contested tickets', v_state, v_message);
        END;

        IF NOT v_decided THEN
            FOR v_change IN
                SELECT seq, hlc, entity, entity_id, operation, payload, defect, digest FROM staged WHERE NOT simple ORDER BY seq
            LOOP
                INSERT INTO central.inbox (node_name, seq, entity, entity_id, outcome, digest)
                VALUES (v_node.name, v_change.seq, v_change.entity, v_change.entity_id,
                        central.apply_change(v_node, to_jsonb(v_change) - 'digest'), v_change.digest);
            END LOOP;
        END IF;
    END IF;

    -- A stamp taken other than sent goes back with its outcome, so that the counter's row carries
    -- the stamp head office's copy was made from. Else every later change head office makes to that
    -- row, stamped after its own copy, loses at the counter to the counter's far-ahead stamp, and
    -- the two copies differ for good (found by the simulation; SyncAgentTests).
    UPDATE central.inbox i SET outcome = i.outcome || jsonb_build_object('taken_hlc', s.hlc)
    FROM pg_temp.staged s, jsonb_array_elements(p_changes) AS e (value)
    WHERE i.node_name = v_node.name AND i.seq = s.seq AND (e.value->>'seq')::bigint = s.seq
      AND s.hlc IS DISTINCT FROM e.value->>'hlc';

    -- The outcomes, read as one range of the inbox (a batch's sequences follow each other); from a
    -- fork on, the inbox's rows are another store's and the answer is `forked`.
    RETURN (SELECT coalesce(jsonb_agg(o.outcome ORDER BY o.seq), '[]') FROM (
                SELECT i.seq, i.outcome
                FROM central.inbox i
                WHERE i.node_name = v_node.name
                  AND i.seq BETWEEN (SELECT min(x) FROM unnest(v_seqs) x) AND (SELECT max(x) FROM unnest(v_seqs) x)
                  AND i.seq IN (SELECT unnest(v_seqs))
                  AND (v_fork IS NULL OR i.seq < v_fork)
                UNION ALL
                SELECT DISTINCT x, central.fork_outcome(x, v_fork, v_next_seq)
                FROM unnest(v_seqs) x WHERE x >= v_fork) o);
END
$$;

GRANT EXECUTE ON FUNCTION sync_api.push(integer, jsonb, jsonb) TO boxoffice_node;
