-- version: 6
-- Nodes: who is calling, which store a node is, and which cinema it may touch.
--
-- Every sync_api function starts with central.node_for_call: it refuses a counter that speaks
-- another sync protocol (told to upgrade, it keeps selling offline), a role that is not a node of
-- this head office, a revoked node, and a store other than the one the node is bound to. A node's
-- pushes run one at a time under a row lock of central.nodes, which no node role can take or hold:
-- it cannot read the table (an advisory lock's key, by contrast, anyone can compute and hold).

-- The sync protocol this head office speaks; the sync agent's SyncAgent.protocolVersion must match.
CREATE OR REPLACE FUNCTION central.protocol_version() RETURNS integer
LANGUAGE sql IMMUTABLE AS $$ SELECT 4 $$;

-- The node calling, found from the role it logged in as.
CREATE OR REPLACE FUNCTION central.calling_node() RETURNS central.nodes
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_node central.nodes;
BEGIN
    SELECT * INTO v_node FROM central.nodes WHERE role_name = session_user;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'role % is not a registered node of this head office', session_user USING ERRCODE = '42501';
    END IF;
    RETURN v_node;
END
$$;

-- The node of a sync_api call from the store described by p_store ({"node_id", "code_prefix"}, and for a
-- pull "last_seq", pull.sql),
-- after every check. With p_lock the call takes locks (its node's row, its cinema's showtimes) and
-- must run under a statement timeout of at most five minutes, so that it cannot hold them longer.
CREATE OR REPLACE FUNCTION central.node_for_call(p_protocol integer, p_store jsonb, p_lock boolean) RETURNS central.nodes
LANGUAGE plpgsql AS $$
DECLARE
    v_node central.nodes := central.calling_node();
BEGIN
    IF p_protocol IS DISTINCT FROM central.protocol_version() THEN
        RAISE EXCEPTION 'this counter speaks sync protocol %, head office speaks %: %', p_protocol, central.protocol_version(),
            CASE WHEN p_protocol < central.protocol_version() THEN 'upgrade the counter''s boxoffice' ELSE 'upgrade head office' END
            USING ERRCODE = 'BX001';
    END IF;
    IF v_node.revoked_at IS NOT NULL THEN
        RAISE EXCEPTION 'node % was revoked by head office', v_node.name USING ERRCODE = '42501';
    END IF;
    IF p_lock THEN
        IF current_setting('statement_timeout')::interval NOT BETWEEN '1 millisecond' AND '5 minutes' THEN
            RAISE EXCEPTION 'a push or a resolution runs under a statement timeout of at most five minutes, not %',
                current_setting('statement_timeout') USING ERRCODE = '25001';
        END IF;
        SELECT * INTO v_node FROM central.nodes WHERE name = v_node.name FOR NO KEY UPDATE;
    END IF;
    IF central.bind_store(v_node, p_store->>'node_id', p_store->>'code_prefix') THEN
        SELECT * INTO v_node FROM central.nodes WHERE name = v_node.name;   -- its prefix, just bound
    END IF;
    RETURN v_node;
END
$$;

-- A node is one store: the first store to call as a node owns it, with its booking-code prefix,
-- and no other store may use it (its change-log sequences would clash in the inbox), nor another
-- node that prefix. Returns whether this call bound it or a new prefix of it.
--
-- A store restored from a backup or copied (a fork, push.sql) takes a new prefix so that its new
-- receipts never repeat the original's codes: head office binds it to the node beside the older
-- ones (central.node_prefixes), which stay the node's, up to max_prefixes_per_node — a node cannot
-- take prefix after prefix from the ones other counters may yet draw.
CREATE OR REPLACE FUNCTION central.bind_store(p_node central.nodes, p_store_node_id text, p_code_prefix text) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
    IF p_store_node_id IS NULL OR p_store_node_id = '' THEN
        RAISE EXCEPTION 'the call names no store' USING ERRCODE = '22023';
    END IF;
    IF p_node.store_node_id IS NULL THEN
        IF p_code_prefix !~ '^[23456789A-HJKMNP-Z]{2,8}$' THEN
            RAISE EXCEPTION 'a booking-code prefix is 2 to 8 of 23456789ABCDEFGHJKMNPQRSTUVWXYZ, got "%"', p_code_prefix
                USING ERRCODE = '22023';
        END IF;
        IF EXISTS (SELECT 1 FROM central.node_prefixes WHERE prefix = p_code_prefix) THEN
            RAISE EXCEPTION 'another node issues booking codes %-…: this store must take another prefix', p_code_prefix
                USING ERRCODE = 'BX002';
        END IF;
        UPDATE central.nodes SET store_node_id = p_store_node_id, code_prefix = p_code_prefix
        WHERE name = p_node.name AND store_node_id IS NULL;
        INSERT INTO central.node_prefixes (prefix, node_name) VALUES (p_code_prefix, p_node.name);
        RETURN true;
    ELSIF p_node.store_node_id <> p_store_node_id THEN
        RAISE EXCEPTION 'node % is bound to another store; register a new node for this one', p_node.name
            USING ERRCODE = '42501';
    ELSIF p_code_prefix IS DISTINCT FROM p_node.code_prefix THEN
        IF p_code_prefix IS NULL OR p_code_prefix !~ '^[23456789A-HJKMNP-Z]{2,8}$' THEN
            RAISE EXCEPTION 'a booking-code prefix is 2 to 8 of 23456789ABCDEFGHJKMNPQRSTUVWXYZ, got "%"', p_code_prefix
                USING ERRCODE = '22023';
        END IF;
        IF EXISTS (SELECT 1 FROM central.node_prefixes WHERE prefix = p_code_prefix AND node_name IS DISTINCT FROM p_node.name) THEN
            RAISE EXCEPTION 'another node issues booking codes %-…: this store must take another prefix', p_code_prefix
                USING ERRCODE = 'BX002';
        END IF;
        IF NOT EXISTS (SELECT 1 FROM central.node_prefixes WHERE prefix = p_code_prefix)
           AND (SELECT count(*) FROM central.node_prefixes WHERE node_name = p_node.name) >= central.max_prefixes_per_node() THEN
            RAISE EXCEPTION 'node % has taken % booking-code prefixes, the most one node may: register a new node for this store',
                p_node.name, central.max_prefixes_per_node() USING ERRCODE = '54000';
        END IF;
        INSERT INTO central.node_prefixes (prefix, node_name) VALUES (p_code_prefix, p_node.name) ON CONFLICT DO NOTHING;
        UPDATE central.nodes SET code_prefix = p_code_prefix WHERE name = p_node.name;
        RETURN true;
    END IF;
    RETURN false;
END
$$;

-- The most booking-code prefixes one node may take (its first, and one per fork).
CREATE OR REPLACE FUNCTION central.max_prefixes_per_node() RETURNS integer
LANGUAGE sql IMMUTABLE AS $$ SELECT 50 $$;

-- Whether the node serves the cinema.
CREATE OR REPLACE FUNCTION central.in_scope(p_node central.nodes, p_cinema_id text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
    SELECT p_node.all_cinemas OR p_cinema_id IS NOT DISTINCT FROM p_node.cinema_id
$$;

-- The name of this head office's login role for node p_name (roles belong to the whole server).
CREATE OR REPLACE FUNCTION central.node_role(p_name text) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT 'bo_' || head_office_id || '_' || replace(p_name, '-', '_') FROM central.settings
$$;

-- Locks showtimes for a decision about their seats, in one order (so that no two writers deadlock):
-- a row lock no node role can take. With p_node, only those of the node's own cinemas: a batch that
-- names another cinema's showtime is refused for it, and cannot hold that cinema's seats meanwhile.
CREATE OR REPLACE FUNCTION central.lock_showtimes(p_ids text[], p_node central.nodes DEFAULT NULL) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM central.showtimes
    WHERE id = ANY (p_ids) AND (p_node IS NULL OR central.in_scope(p_node, cinema_id))
    ORDER BY id FOR NO KEY UPDATE;
END
$$;
