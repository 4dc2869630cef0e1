-- version: 2
-- The feed: every change head office accepted or decided, for the nodes to pull, numbered per
-- scope by the transaction that wrote it, as late as it can: when it commits (docs/feed.md).

CREATE OR REPLACE FUNCTION central.publish(
    p_cinema_id text, p_only_node text, p_origin text, p_entity text, p_entity_id text,
    p_operation text, p_hlc text, p_payload jsonb
) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO central.feed (cinema_id, only_node, origin_node, entity, entity_id, operation, hlc, payload)
    VALUES (p_cinema_id, p_only_node, p_origin, p_entity, p_entity_id, p_operation, p_hlc, p_payload)
$$;

-- A feed row's scope: its cinema; a row for one node alone (a customer's account) that node's
-- cinema; anything else the chain-wide scope.
CREATE OR REPLACE FUNCTION central.feed_scope(p_cinema_id text, p_only_node text) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT coalesce(p_cinema_id, (SELECT n.cinema_id FROM central.nodes n WHERE n.name = p_only_node), 'chain')
$$;

-- Numbers the writing transaction's feed rows, when it commits: for each scope it wrote — the
-- chain-wide scope first, then cinemas by id, the one lock order of every writer, so two writers
-- never deadlock here — the scope's row of central.feed_scopes is raised by the rows' count and
-- stays locked until the commit. The next writer of the scope waits for that commit, and so a row
-- can become visible only after every row of its scope with a lower number (docs/feed.md). A
-- rolled-back transaction gives its numbers back with everything else.
--
-- It runs as a deferred trigger, once per feed row, so that every writer (a push, head office's
-- commands, an import) takes its numbers the same way without calling anything; the first event
-- numbers every row of the transaction and the others find theirs done. It runs as the schema's
-- owner: at commit no sync_api function is running any more.
CREATE OR REPLACE FUNCTION central.number_feed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = central, pg_temp AS $$
DECLARE
    v_done    text := current_setting('boxoffice.feed_numbered', true);
    v_xid     xid8 := pg_current_xact_id();
    v_scopes  text[];
    v_counts  bigint[];
    v_bases   bigint[] := '{}';
    v_base    bigint;
    v_chain   bigint;
    v_last_id bigint;
BEGIN
    -- Ids grow within a transaction: a row at or below the last one numbered was numbered.
    IF v_done <> '' AND split_part(v_done, '/', 1) = v_xid::text AND NEW.id <= split_part(v_done, '/', 2)::bigint THEN
        RETURN NULL;
    END IF;
    SELECT array_agg(s.scope ORDER BY s.scope <> 'chain', s.scope), array_agg(s.n ORDER BY s.scope <> 'chain', s.scope),
           max(s.last_id)
    INTO v_scopes, v_counts, v_last_id
    FROM (SELECT central.feed_scope(f.cinema_id, f.only_node) AS scope, count(*) AS n, max(f.id) AS last_id
          FROM central.feed f WHERE f.xid = v_xid AND f.scope_seq IS NULL GROUP BY 1) s;
    IF v_scopes IS NULL THEN
        RETURN NULL;
    END IF;
    FOR i IN 1 .. cardinality(v_scopes) LOOP
        UPDATE central.feed_scopes SET last_seq = last_seq + v_counts[i] WHERE scope = v_scopes[i]
        RETURNING last_seq - v_counts[i] INTO v_base;
        IF NOT FOUND THEN
            -- A cinema's first row: its scope row, made here (a writer making it at the same
            -- moment waits for this one, then numbers after it).
            INSERT INTO central.feed_scopes (scope) VALUES (v_scopes[i]) ON CONFLICT (scope) DO NOTHING;
            UPDATE central.feed_scopes SET last_seq = last_seq + v_counts[i] WHERE scope = v_scopes[i]
            RETURNING last_seq - v_counts[i] INTO v_base;
        END IF;
        v_bases := v_bases || v_base;
        IF v_scopes[i] = 'chain' THEN
            v_chain := v_base + v_counts[i];
        END IF;
    END LOOP;
    -- How far the chain-wide scope had committed (or this transaction numbered it): every
    -- chain-wide row a cinema row of this transaction can refer to is at or below it.
    IF v_chain IS NULL THEN
        SELECT last_seq INTO v_chain FROM central.feed_scopes WHERE scope = 'chain';
    END IF;
    UPDATE central.feed f
    SET scope = m.scope, scope_seq = b.base + m.rn,
        chain_horizon = CASE WHEN m.scope = 'chain' THEN NULL ELSE coalesce(v_chain, 0) END
    FROM (SELECT x.id, x.scope, row_number() OVER (PARTITION BY x.scope ORDER BY x.id) AS rn
          FROM (SELECT g.id, central.feed_scope(g.cinema_id, g.only_node) AS scope
                FROM central.feed g WHERE g.xid = v_xid AND g.scope_seq IS NULL) x) m
    JOIN unnest(v_scopes, v_bases) AS b (scope, base) ON b.scope = m.scope
    WHERE f.id = m.id;
    PERFORM set_config('boxoffice.feed_numbered', v_xid::text || '/' || v_last_id, true);
    RETURN NULL;
END
$$;

DROP TRIGGER IF EXISTS feed_numbers ON central.feed;
CREATE CONSTRAINT TRIGGER feed_numbers AFTER INSERT ON central.feed
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION central.number_feed();
