-- version: 1
-- The feed: every change head office accepted or decided, for the nodes to pull.

CREATE OR REPLACE FUNCTION central.publish(
    p_cinema_id text, p_only_node text, p_origin text, p_entity text, p_entity_id text,
    p_operation text, p_hlc text, p_payload jsonb
) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO central.feed (cinema_id, only_node, origin_node, entity, entity_id, operation, hlc, payload)
    VALUES (p_cinema_id, p_only_node, p_origin, p_entity, p_entity_id, p_operation, p_hlc, p_payload)
$$;
