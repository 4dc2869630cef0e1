-- version: 5
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

-- The node's feed rows after `p_cursor`, at most `p_limit` (1 to 10,000) of them scanned, in feed
-- order, below the oldest running transaction (`pg_snapshot_xmin`) so that a transaction that
-- commits late is never skipped. Each row carries its own position (`xid:id`). The last row is
-- always the page's end: `entity` NULL, `feed_position` the cursor to pull from next (past rows of
-- other cinemas and the node's own rows, which are scanned but not returned), and `lag` the rows
-- still waiting for the node — counted only when the page is the last one (a full page means more
-- follow anyway, and counting on every page made draining a long feed quadratic).
CREATE OR REPLACE FUNCTION sync_api.pull_rows(p_protocol integer, p_store jsonb, p_cursor text, p_limit integer)
RETURNS TABLE (feed_id bigint, feed_position text, entity text, entity_id text, operation text, hlc text,
               payload text, lag bigint)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = central, pg_temp AS $$
DECLARE
    v_node     central.nodes := central.node_for_call(p_protocol, p_store, false);
    v_limit    integer := greatest(1, least(p_limit, 10000));
    v_horizon  xid8 := pg_snapshot_xmin(pg_current_snapshot());
    v_xid      xid8 := '0';
    v_id       bigint := 0;
    v_end_xid  xid8;
    v_end_id   bigint;
    v_scanned  bigint;
    v_lag      bigint;
BEGIN
    PERFORM central.refuse_store_behind(v_node, p_store);
    -- The floor of the node's next stamps (hlc.sql, central.hlc_not_before): what it sells from now
    -- on it sells after this pull.
    UPDATE central.nodes SET last_pull_at = now() WHERE name = v_node.name;
    IF p_cursor ~ '^[0-9]+:[0-9]+$' THEN
        v_xid := split_part(p_cursor, ':', 1)::xid8;
        v_id := split_part(p_cursor, ':', 2)::bigint;
    ELSIF p_cursor IS NOT NULL AND p_cursor <> '0' THEN
        RAISE EXCEPTION 'not a feed cursor: %', p_cursor USING ERRCODE = '22023';
    END IF;

    -- Where the page ends, over the position index alone. Every row below the horizon has
    -- committed and no new one can get a smaller xid, so the rows read next are the same ones.
    SELECT count(*) OVER (), p.xid, p.id INTO v_scanned, v_end_xid, v_end_id
    FROM (SELECT f.xid, f.id FROM central.feed f
          WHERE (f.xid, f.id) > (v_xid, v_id) AND f.xid < v_horizon
          ORDER BY f.xid, f.id LIMIT v_limit) p
    ORDER BY p.xid DESC, p.id DESC LIMIT 1;
    v_scanned := coalesce(v_scanned, 0);
    IF v_scanned > 0 THEN
        RETURN QUERY
        SELECT f.id, f.xid::text || ':' || f.id, f.entity, f.entity_id, f.operation, f.hlc, f.payload::text, NULL::bigint
        FROM central.feed f
        WHERE (f.xid, f.id) > (v_xid, v_id) AND (f.xid, f.id) <= (v_end_xid, v_end_id)
          AND (v_node.all_cinemas OR f.cinema_id IS NULL OR f.cinema_id = v_node.cinema_id)
          AND (f.only_node IS NULL OR f.only_node = v_node.name)
          AND NOT central.sent_by_caller(f, v_node, p_store)
        ORDER BY f.xid, f.id;

        v_xid := v_end_xid;
        v_id := v_end_id;
    END IF;

    IF v_scanned < v_limit THEN
        SELECT count(*) INTO v_lag FROM central.feed f
        WHERE (f.xid, f.id) > (v_xid, v_id)
          AND (v_node.all_cinemas OR f.cinema_id IS NULL OR f.cinema_id = v_node.cinema_id)
          AND (f.only_node IS NULL OR f.only_node = v_node.name)
          AND NOT central.sent_by_caller(f, v_node, p_store);
    END IF;

    RETURN QUERY SELECT NULL::bigint, CASE WHEN v_xid = '0' AND v_id = 0 THEN '0' ELSE v_xid::text || ':' || v_id END,
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
