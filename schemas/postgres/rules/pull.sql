-- version: 6
-- Pull: the feed rows of a node's scope, gap-free.
--
-- `sync_api.pull_rows` hands a page out as plain rows: libpq hands each row's payload over as
-- text, and the counter reads every payload once. `sync_api.pull` is the same page as one JSON
-- document, for tools and tests.

-- Whether feed row p_row is one the calling store sent itself (and so already has): a row of its
-- node made by a store with its booking-code prefix. A row another store of the node sent (the
-- store it was restored or copied from, or a copy of it: each takes a prefix of its own when it
-- learns it forked) reaches it like another node's; a row from before stores were told apart
-- (no prefix) counts as its own.
CREATE OR REPLACE FUNCTION central.sent_by_caller(p_row central.feed, p_node central.nodes, p_store jsonb) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT p_row.origin_node = p_node.name
       AND (p_row.origin_prefix IS NULL OR p_row.origin_prefix = p_store->>'code_prefix')
$$;

-- A store may take the rows of its own prefix for its own only while it is not behind head office:
-- a store put back from a backup with everything beside it (a disk rolled back whole) has the
-- original's prefix, and would skip the sales the original sent after the backup — for good, since
-- its cursor moves past them before a push finds the fork. A store that says how far its change
-- log numbers (`last_seq`) while head office holds a later change from its node is told so
-- (BX003, with the first number it may use in DETAIL) and pulls nothing until it takes a prefix of
-- its own; a store that does not say is not checked (it only harms itself). A test harness turns
-- it off with the push's fork check (central.settings.fork_detection).
CREATE OR REPLACE FUNCTION central.refuse_store_behind(p_node central.nodes, p_store jsonb) RETURNS void
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_top bigint;
BEGIN
    IF jsonb_typeof(p_store->'last_seq') IS DISTINCT FROM 'number' OR NOT (SELECT fork_detection FROM central.settings) THEN
        RETURN;
    END IF;
    SELECT max(seq) INTO v_top FROM central.inbox WHERE node_name = p_node.name;
    IF v_top > (p_store->>'last_seq')::numeric THEN
        RAISE EXCEPTION 'this store is behind head office: it numbers its changes up to %, and head office already holds change % of node %',
            p_store->>'last_seq', v_top, p_node.name
            USING ERRCODE = 'BX003', DETAIL = (v_top + 1)::text,
                  HINT = 'it was restored from a backup or copied: take a new booking-code prefix and number on from the detail';
    END IF;
END
$$;

-- A pull's cursor as a map from scope to the last number the store holds of it (`{"chain": 12,
-- "<cinema id>": 40}`); '0' or NULL is the feed's start. A cursor of sync protocol 3 (`xid:id`,
-- a position below that pull's horizon) is read as the numbers of every row at or before it: the
-- rows numbered when the scopes came (migration 0004) kept that order, and every transaction at or
-- below the position had ended when it was handed out, so no later row sorts before it.
CREATE OR REPLACE FUNCTION central.feed_cursor(p_cursor text) RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_cursor jsonb;
BEGIN
    IF p_cursor IS NULL OR p_cursor = '0' THEN
        RETURN '{}';
    ELSIF p_cursor ~ '^[0-9]+:[0-9]+$' THEN
        SELECT coalesce(jsonb_object_agg(s.scope, s.last), '{}') INTO v_cursor
        FROM (SELECT f.scope, max(f.scope_seq) AS last FROM central.feed f
              WHERE (f.xid, f.id) <= (split_part(p_cursor, ':', 1)::xid8, split_part(p_cursor, ':', 2)::bigint)
                AND f.scope_seq IS NOT NULL
              GROUP BY f.scope) s;
        RETURN v_cursor;
    ELSIF p_cursor ~ '^\{.*\}$' THEN
        BEGIN
            v_cursor := p_cursor::jsonb;
        EXCEPTION WHEN invalid_text_representation THEN
            v_cursor := NULL;
        END;
        IF jsonb_typeof(v_cursor) = 'object'
           AND NOT EXISTS (SELECT 1 FROM jsonb_each(v_cursor) e
                           WHERE jsonb_typeof(e.value) <> 'number' OR e.value::text !~ '^[0-9]{1,18}$') THEN
            RETURN v_cursor;
        END IF;
    END IF;
    RAISE EXCEPTION 'not a feed cursor: %', left(p_cursor, 200) USING ERRCODE = '22023';
END
$$;

-- Whether the node receives feed row p_row at all: a row for one node only goes to that node,
-- and a store never gets back what it sent itself.
CREATE OR REPLACE FUNCTION central.feed_row_for(p_row central.feed, p_node central.nodes, p_store jsonb) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT (p_row.only_node IS NULL OR p_row.only_node = p_node.name) AND NOT central.sent_by_caller(p_row, p_node, p_store)
$$;

-- The node's feed rows after `p_cursor` (a map of scope to number, central.feed_cursor), at most
-- `p_limit` (1 to 10,000) of them scanned: first the chain-wide scope's, then its cinema's (every
-- cinema's, by id, for a node of all cinemas), each scope in its own order. A scope's rows become
-- visible in their order and never with a gap (rules/feed.sql, docs/feed.md), so nothing is read
-- against a server-wide horizon and no transaction of another scope, another database or a report
-- delays a pull. A cinema's row comes only in a page that reaches its `chain_horizon` in the
-- chain-wide scope, so the counter holds the chain-wide rows it may refer to (a movie before its
-- showtime) when it applies it. Each row carries its own position (`scope:number`). The last row is
-- always the page's end: `entity` NULL, `feed_position` the cursor to pull from next (past rows for
-- other nodes and the store's own, which are scanned but not returned), and `lag` the rows still
-- waiting for the node — counted only when the page is not full (a full page means more follow
-- anyway, and counting on every page made draining a long feed quadratic).
CREATE OR REPLACE FUNCTION sync_api.pull_rows(p_protocol integer, p_store jsonb, p_cursor text, p_limit integer)
RETURNS TABLE (feed_id bigint, feed_position text, entity text, entity_id text, operation text, hlc text,
               payload text, lag bigint)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = central, pg_temp AS $$
DECLARE
    v_node      central.nodes := central.node_for_call(p_protocol, p_store, false);
    v_limit     integer := greatest(1, least(p_limit, 10000));
    v_budget    integer := greatest(1, least(p_limit, 10000));
    v_cursor    jsonb;
    v_scopes    text[];
    v_scope     text;
    v_from      bigint;
    v_end       bigint;
    v_scanned   bigint;
    v_chain_to  bigint;
    v_next      jsonb := '{}';
    v_lag       bigint;
BEGIN
    PERFORM central.refuse_store_behind(v_node, p_store);
    -- The floor of the node's next stamps (hlc.sql, central.hlc_not_before): what it sells from now
    -- on it sells after this pull.
    UPDATE central.nodes SET last_pull_at = now() WHERE name = v_node.name;
    v_cursor := central.feed_cursor(p_cursor);
    v_scopes := CASE WHEN v_node.all_cinemas
                     THEN ARRAY['chain'] || ARRAY(SELECT s.scope FROM central.feed_scopes s WHERE s.scope <> 'chain' ORDER BY s.scope)
                     ELSE ARRAY['chain', v_node.cinema_id] END;

    FOREACH v_scope IN ARRAY v_scopes LOOP
        v_from := coalesce((v_cursor->>v_scope)::bigint, 0);
        v_end := v_from;
        IF v_budget > 0 THEN
            -- Where the scope's part of the page ends, over its index alone: a cinema's rows stop
            -- before the first one that needs chain-wide rows this page does not reach.
            SELECT count(*) FILTER (WHERE p.ready), max(p.scope_seq) FILTER (WHERE p.ready) INTO v_scanned, v_end
            FROM (SELECT f.scope_seq,
                         bool_and(v_scope = 'chain' OR f.chain_horizon <= v_chain_to) OVER (ORDER BY f.scope_seq) AS ready
                  FROM (SELECT g.scope_seq, g.chain_horizon FROM central.feed g
                        WHERE g.scope = v_scope AND g.scope_seq > v_from
                        ORDER BY g.scope_seq LIMIT v_budget) f) p;
            v_end := coalesce(v_end, v_from);
            IF v_scanned > 0 THEN
                RETURN QUERY
                SELECT f.id, f.scope || ':' || f.scope_seq, f.entity, f.entity_id, f.operation, f.hlc, f.payload::text, NULL::bigint
                FROM central.feed f
                WHERE f.scope = v_scope AND f.scope_seq > v_from AND f.scope_seq <= v_end
                  AND central.feed_row_for(f, v_node, p_store)
                ORDER BY f.scope_seq;
                v_budget := v_budget - v_scanned::integer;
            END IF;
        END IF;
        IF v_scope = 'chain' THEN
            v_chain_to := v_end;
        END IF;
        IF v_end > 0 THEN
            v_next := v_next || jsonb_build_object(v_scope, v_end);
        END IF;
    END LOOP;

    IF v_budget > 0 THEN
        v_lag := 0;
        FOREACH v_scope IN ARRAY v_scopes LOOP
            v_lag := v_lag + (SELECT count(*) FROM central.feed f
                              WHERE f.scope = v_scope AND f.scope_seq > coalesce((v_next->>v_scope)::bigint, 0)
                                AND central.feed_row_for(f, v_node, p_store));
        END LOOP;
    END IF;

    RETURN QUERY SELECT NULL::bigint, CASE WHEN v_next = '{}' THEN '0' ELSE v_next::text END,
                        NULL::text, NULL::text, NULL::text, NULL::text, NULL::text, v_lag;
END
$$;

-- The same page as one JSON document: `{"rows": [{id, entity, entity_id, operation, hlc, payload}, …],
-- "cursor": "…", "lag": N}`.
CREATE OR REPLACE FUNCTION sync_api.pull(p_protocol integer, p_store jsonb, p_cursor text, p_limit integer) RETURNS jsonb
LANGUAGE sql SECURITY DEFINER SET search_path = central, pg_temp AS $$
    SELECT jsonb_build_object(
        'rows', coalesce(jsonb_agg(jsonb_build_object('id', r.feed_id, 'entity', r.entity, 'entity_id', r.entity_id,
                                                      'operation', r.operation, 'hlc', r.hlc, 'payload', r.payload::jsonb)
                                   ORDER BY r.ordinality) FILTER (WHERE r.entity IS NOT NULL), '[]'),
        'cursor', max(r.feed_position) FILTER (WHERE r.entity IS NULL),
        'lag', max(r.lag) FILTER (WHERE r.entity IS NULL))
    FROM sync_api.pull_rows(p_protocol, p_store, p_cursor, p_limit) WITH ORDINALITY AS r
$$;

GRANT EXECUTE ON FUNCTION sync_api.pull_rows(integer, jsonb, text, integer), sync_api.pull(integer, jsonb, text, integer)
    TO boxoffice_node;
