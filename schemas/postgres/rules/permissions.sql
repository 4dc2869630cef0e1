-- version: 2
-- Who may send which change: the ownership table (schemas/permissions.csv, which central init loads
-- into central.permissions), applied to each pushed change from who sent it and head office's own
-- records of the row — never from what the change claims about where the row belongs.

-- The kind of row a change names, as the ownership table names it: an account is users.customer
-- or users.staff by head office's record of it, else by the change's role.
CREATE OR REPLACE FUNCTION central.permission_entity(p_change jsonb) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN p_change->>'entity' = 'users'
                THEN 'users.' || CASE WHEN coalesce((SELECT u.role FROM central.users u WHERE u.id = p_change->>'entity_id'),
                                                    p_change->'payload'->>'role') = 'customer'
                                      THEN 'customer' ELSE 'staff' END
                ELSE p_change->>'entity' END
$$;

-- The cinemas a change touches, by head office's records: the cinema the row belongs to now (for
-- a row head office has) and the one it would belong to after the change. NULL entries: the
-- change names a parent head office does not know (the change itself is then refused as such).
CREATE OR REPLACE FUNCTION central.change_cinemas(p_change jsonb) RETURNS text[]
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_id      text := p_change->>'entity_id';
    v_payload jsonb := p_change->'payload';
BEGIN
    RETURN CASE p_change->>'entity'
        WHEN 'cinemas' THEN ARRAY[v_id]
        WHEN 'studios' THEN ARRAY[(SELECT cinema_id FROM central.studios WHERE id = v_id), v_payload->>'cinema_id']
        WHEN 'seats' THEN ARRAY[(SELECT cinema_id FROM central.seats WHERE id = v_id),
                                (SELECT cinema_id FROM central.studios WHERE id = v_payload->>'studio_id')]
        WHEN 'showtimes' THEN ARRAY[(SELECT cinema_id FROM central.showtimes WHERE id = v_id),
                                    (SELECT cinema_id FROM central.studios WHERE id = v_payload->>'studio_id')]
        WHEN 'seat_blocks' THEN ARRAY[(SELECT cinema_id FROM central.showtimes WHERE id = split_part(v_id, '/', 1)),
                                      (SELECT cinema_id FROM central.showtimes WHERE id = v_payload->>'showtime_id')]
        WHEN 'bookings' THEN ARRAY[(SELECT cinema_id FROM central.bookings WHERE id = v_id),
                                   (SELECT cinema_id FROM central.showtimes WHERE id = v_payload->>'showtime_id')]
        WHEN 'tickets' THEN ARRAY[(SELECT cinema_id FROM central.tickets WHERE id = v_id),
                                  (SELECT cinema_id FROM central.bookings WHERE id = v_payload->>'booking_id'),
                                  (SELECT cinema_id FROM central.showtimes WHERE id = v_payload->>'showtime_id')]
    END;
END
$$;

-- The node that made the row a change names, by head office's records (a ticket's is its
-- booking's, so a new ticket's is the node that made the booking it joins); NULL when head office
-- does not have the row.
CREATE OR REPLACE FUNCTION central.change_origin(p_change jsonb) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT CASE p_change->>'entity'
        WHEN 'users' THEN (SELECT origin_node FROM central.users WHERE id = p_change->>'entity_id')
        WHEN 'bookings' THEN (SELECT origin_node FROM central.bookings WHERE id = p_change->>'entity_id')
        WHEN 'tickets' THEN coalesce(
            (SELECT b.origin_node FROM central.tickets t JOIN central.bookings b ON b.id = t.booking_id
             WHERE t.id = p_change->>'entity_id'),
            (SELECT b.origin_node FROM central.bookings b WHERE b.id = p_change->'payload'->>'booking_id'))
    END
$$;

-- Why node p_node may not send this change, in words; NULL when it may.
CREATE OR REPLACE FUNCTION central.push_refusal(p_node central.nodes, p_change jsonb) RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_entity  text := central.permission_entity(p_change);
    v_by_push text;
    v_cinemas text[];
    v_origin  text;
BEGIN
    SELECT by_push INTO v_by_push FROM central.permissions
    WHERE entity = v_entity AND operation = p_change->>'operation';
    IF v_by_push IS NULL THEN
        RETURN 'head office takes no ' || coalesce(p_change->>'operation', 'change') || ' of ' || coalesce(v_entity, 'nothing');
    END IF;
    IF v_by_push = 'never' THEN
        RETURN CASE v_entity
            WHEN 'users.staff' THEN 'staff accounts, roles and passwords change online at head office, never by push'
            WHEN 'showtimes' THEN 'a showtime is cancelled, never deleted'
            ELSE v_entity || ' are never ' || (p_change->>'operation') || 'd by push' END;
    END IF;
    IF p_node.all_cinemas THEN
        RETURN NULL;   -- head office's own node, its authoring channel
    END IF;
    CASE v_by_push
    WHEN 'head_office' THEN
        RETURN CASE WHEN v_entity IN ('movies', 'payment_methods') THEN v_entity || ' are the whole chain''s: they change only at head office'
                    ELSE 'only head office ' || (p_change->>'operation') || 's ' || v_entity END;
    WHEN 'any_node' THEN
        RETURN NULL;
    WHEN 'own_cinema' THEN
        v_cinemas := central.change_cinemas(p_change);
        IF EXISTS (SELECT 1 FROM unnest(v_cinemas) c WHERE c IS NOT NULL AND c IS DISTINCT FROM p_node.cinema_id) THEN
            RETURN 'this change belongs to another cinema than node ' || p_node.name || '''s';
        END IF;
        RETURN NULL;
    WHEN 'origin_node' THEN
        v_origin := central.change_origin(p_change);
        IF v_origin IS NULL THEN
            RETURN CASE WHEN v_entity = 'tickets'
                        THEN 'head office does not know the ticket''s booking ' || coalesce(left(p_change->'payload'->>'booking_id', 60), '')
                        ELSE 'head office does not know this ' || split_part(v_entity, '.', 1) || ' row' END;
        END IF;
        IF v_origin <> p_node.name THEN
            RETURN CASE WHEN v_entity = 'users.customer' THEN 'a customer''s account changes only at the counter it was registered at'
                        ELSE 'only the counter that made it changes this ' || split_part(v_entity, '.', 1) || ' row' END;
        END IF;
        -- Its cinema still counts: an origin node of another cinema does not exist, but its row may be moved.
        v_cinemas := central.change_cinemas(p_change);
        IF EXISTS (SELECT 1 FROM unnest(v_cinemas) c WHERE c IS NOT NULL AND c IS DISTINCT FROM p_node.cinema_id) THEN
            RETURN 'this change belongs to another cinema than node ' || p_node.name || '''s';
        END IF;
        RETURN NULL;
    END CASE;
    RETURN 'head office takes no ' || v_entity;
END
$$;

-- Sends head office's version of a row a node's refused change named back to that node alone,
-- restamped after both, so that its copy does not keep what head office refused: the row as head
-- office has it, or a delete when head office has none. A row of a cinema the node does not serve
-- is never sent (the node would see another cinema's data). A sale head office does not have is
-- not deleted at the counter: money may have been taken for it, and the conflict record of the
-- refusal is what the counter's staff act on.
CREATE OR REPLACE FUNCTION central.send_back(p_node central.nodes, p_change jsonb) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_entity  text := p_change->>'entity';
    v_id      text := p_change->>'entity_id';
    v_row     record;
    v_hlc     text;
BEGIN
    IF v_entity NOT IN ('cinemas', 'studios', 'seats', 'movies', 'showtimes', 'payment_methods', 'seat_blocks',
                        'users', 'bookings', 'tickets') THEN
        RETURN;
    END IF;
    IF v_entity = 'seat_blocks' THEN
        SELECT b.cinema_id, b.hlc, b.payload INTO v_row FROM central.seat_blocks b WHERE b.showtime_id || '/' || b.seat_id = v_id;
    ELSE
        EXECUTE format('SELECT %s AS cinema_id, hlc, payload FROM central.%I WHERE id = $1',
                       CASE WHEN v_entity IN ('movies', 'payment_methods') THEN 'NULL::text'
                            WHEN v_entity = 'cinemas' THEN 'id' ELSE 'cinema_id' END, v_entity)
            INTO v_row USING v_id;
    END IF;
    IF v_row.cinema_id IS NOT NULL AND NOT central.in_scope(p_node, v_row.cinema_id) THEN
        RETURN;
    END IF;
    IF v_entity = 'users' AND v_row.payload IS NOT NULL AND v_row.payload->>'role' = 'customer'
       AND (SELECT origin_node FROM central.users WHERE id = v_id) <> p_node.name THEN
        RETURN;   -- a customer's account goes only to its own counter
    END IF;
    v_hlc := central.hlc_after(greatest(v_row.hlc, central.hlc_clamped(p_change->>'hlc')));
    IF v_row.payload IS NULL AND v_entity IN ('bookings', 'tickets') THEN
        RETURN;
    END IF;
    IF v_row.payload IS NULL THEN
        PERFORM central.publish(NULL, p_node.name, 'central', v_entity, v_id, 'delete', v_hlc,
            CASE WHEN v_entity = 'seat_blocks' THEN jsonb_build_object('showtime_id', split_part(v_id, '/', 1),
                                                                        'seat_id', split_part(v_id, '/', 2))
                 ELSE jsonb_build_object('id', v_id) END);
    ELSE
        PERFORM central.publish(NULL, p_node.name, 'central', v_entity, v_id, 'update', v_hlc,
                                v_row.payload || jsonb_build_object('hlc', v_hlc));
    END IF;
END
$$;
