-- version: 1
-- Nodes: who is calling, which store a node is, and which cinema it may touch.

-- The node calling, found from the role it logged in as.
CREATE OR REPLACE FUNCTION central.calling_node() RETURNS central.nodes
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_node central.nodes;
BEGIN
    SELECT * INTO v_node FROM central.nodes WHERE role_name = session_user;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'role % is not a registered node', session_user USING ERRCODE = '42501';
    END IF;
    RETURN v_node;
END
$$;

-- A node is one store: the first store to sync as a node owns it, and no other store may use it
-- (its change-log sequences would clash in the inbox).
CREATE OR REPLACE FUNCTION central.bind_store(p_node central.nodes, p_store_node_id text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF p_node.store_node_id IS NULL THEN
        UPDATE central.nodes SET store_node_id = p_store_node_id WHERE name = p_node.name AND store_node_id IS NULL;
    ELSIF p_node.store_node_id <> p_store_node_id THEN
        RAISE EXCEPTION 'node % is bound to another store; register a new node for this one', p_node.name
            USING ERRCODE = '42501';
    END IF;
END
$$;

-- Refuses a row of a cinema the node does not serve.
CREATE OR REPLACE FUNCTION central.check_scope(p_node central.nodes, p_cinema_id text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT p_node.all_cinemas AND p_cinema_id IS NOT NULL AND p_cinema_id <> p_node.cinema_id THEN
        RAISE EXCEPTION 'this change belongs to cinema %, outside node %''s cinema', p_cinema_id, p_node.name
            USING ERRCODE = '42501';
    END IF;
END
$$;
