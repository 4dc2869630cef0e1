-- version: 5
-- What a pushed change must be before any rule reads it: head office checks every payload as the
-- kit checks it locally, because a node may send anything.
--
-- A change is its envelope (entity, entity_id, operation, payload) and its payload: every key of
-- its entity and no other, each of its type (schemas/payloads.csv, loaded into
-- central.payload_fields), its id the change's, and values a counter could have written — statuses,
-- kinds and roles it knows, money that is not negative and not absurd, times as the store writes
-- them, a booking code of the node's own prefix, a new booking's total the sum of its tickets in the
-- same push. central.stage_defects writes the first thing wrong with each staged change, in words, to
-- pg_temp.staged.defect, for the whole batch in one pass; push refuses a change with a defect, with
-- that reason. What depends on head office's rows (a ticket's price version, its seat's studio, a
-- booking's state moves) is checked where each rule applies the change: prices.sql, tickets.sql,
-- bookings.sql.

-- The most a money amount may be, in rupiah (a whole cinema's takings for years).
CREATE OR REPLACE FUNCTION central.max_money() RETURNS bigint
LANGUAGE sql IMMUTABLE AS $$ SELECT 1000000000000::bigint $$;

-- The most a showtime's base price or surcharge may be, as the kit allows (Rp 100.000.000).
CREATE OR REPLACE FUNCTION central.max_price() RETURNS bigint
LANGUAGE sql IMMUTABLE AS $$ SELECT 100000000::bigint $$;

-- Whether p_value is of payload type p_type (payload_fields.type).
CREATE OR REPLACE FUNCTION central.payload_value_is(p_value jsonb, p_type text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE p_type
        WHEN 'text' THEN jsonb_typeof(p_value) = 'string'
        WHEN 'instant' THEN jsonb_typeof(p_value) = 'string' AND central.is_instant(p_value #>> '{}')
        WHEN 'integer' THEN CASE WHEN jsonb_typeof(p_value) = 'number'
                                 THEN p_value::numeric = trunc(p_value::numeric) AND abs(p_value::numeric) <= 9007199254740991
                                 ELSE false END
        WHEN 'object' THEN jsonb_typeof(p_value) = 'object'
        WHEN 'array' THEN jsonb_typeof(p_value) = 'array'
        ELSE false
    END
$$;

-- Whether p_text is a UTC time as the store writes it (2026-12-01 09:30:00.000), and a real one
-- (no 2026-02-30). It never raises: a batch is checked in one statement.
CREATE OR REPLACE FUNCTION central.is_instant(p_text text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN p_text ~ '^[1-9][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01]) ([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]\.[0-9]{3}$'
            THEN substr(p_text, 9, 2)::integer
                 <= extract(day FROM make_date(substr(p_text, 1, 4)::integer, substr(p_text, 6, 2)::integer, 1)
                                     + interval '1 month' - interval '1 day')
        ELSE false
    END
$$;

-- The words for a payload type, in a reason.
CREATE OR REPLACE FUNCTION central.payload_type_words(p_type text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE p_type WHEN 'text' THEN 'text' WHEN 'instant' THEN 'a time like 2026-12-01 09:30:00.000'
                       WHEN 'integer' THEN 'an integer' WHEN 'object' THEN 'an object' ELSE 'a list' END
$$;

-- The first thing wrong with the shape of each change's payload, or NULL: one row per change of
-- the arrays (p_seqs, p_entities, p_entity_ids, p_operations, p_payloads), by its seq. It is one
-- SELECT over the arrays, which the planner inlines into the statement that calls it, so a batch is
-- checked in one pass (a function called once per change cost most of a push).
CREATE OR REPLACE FUNCTION central.payload_shape_defects(p_seqs bigint[], p_entities text[], p_entity_ids text[],
                                                         p_operations text[], p_payloads jsonb[])
RETURNS TABLE (seq bigint, defect text)
LANGUAGE sql STABLE AS $$
    SELECT c.seq, CASE
        WHEN jsonb_typeof(c.payload) IS DISTINCT FROM 'object' THEN 'its payload is not a JSON object'
        WHEN c.operation = 'delete' THEN
            CASE WHEN c.entity = 'seat_blocks'
                 THEN CASE WHEN c.payload - ARRAY['showtime_id', 'seat_id'] <> '{}'::jsonb
                                OR jsonb_typeof(c.payload->'showtime_id') IS DISTINCT FROM 'string'
                                OR jsonb_typeof(c.payload->'seat_id') IS DISTINCT FROM 'string'
                                OR (c.payload->>'showtime_id') || '/' || (c.payload->>'seat_id') <> c.entity_id
                           THEN 'a deleted seat block names its showtime_id and seat_id, as its id does' END
                 ELSE CASE WHEN c.payload - 'id' <> '{}'::jsonb
                                OR jsonb_typeof(c.payload->'id') IS DISTINCT FROM 'string'
                                OR c.payload->>'id' <> c.entity_id
                           THEN 'a deleted row names its id, and nothing else' END
            END
        ELSE coalesce(
            (SELECT CASE WHEN NOT c.payload ? f.key THEN 'its ' || f.key || ' is missing'
                         WHEN jsonb_typeof(c.payload->f.key) = 'null' THEN 'its ' || f.key || ' is empty'
                         ELSE 'its ' || f.key || ' is not ' || central.payload_type_words(f.type) END
             FROM central.payload_fields f
             WHERE f.entity = c.entity
               AND NOT (c.payload ? f.key AND ((f.nullable AND jsonb_typeof(c.payload->f.key) = 'null')
                                               OR central.payload_value_is(c.payload->f.key, f.type)))
             ORDER BY f.position LIMIT 1),
            CASE WHEN c.payload - shape.keys <> '{}'::jsonb
                 THEN (SELECT 'it has a ' || left(k, 40) || ' that ' || c.entity || ' rows do not have'
                       FROM jsonb_object_keys(c.payload - shape.keys) k LIMIT 1) END,
            CASE WHEN c.entity = 'seat_blocks'
                 THEN CASE WHEN (c.payload->>'showtime_id') || '/' || (c.payload->>'seat_id') <> c.entity_id
                           THEN 'its showtime_id and seat_id are not its id' END
                 WHEN c.payload->>'id' <> c.entity_id THEN 'its id is not the change''s id' END,
            -- A text this long makes the payload longer still, which is quick to see.
            CASE WHEN length(c.payload::text) > 100000
                 THEN (SELECT 'its ' || f.key || ' is too long' FROM central.payload_fields f
                       WHERE f.entity = c.entity AND f.type = 'text' AND length(c.payload->>f.key) > 100000 LIMIT 1) END)
    END
    FROM unnest(p_seqs, p_entities, p_entity_ids, p_operations, p_payloads) AS c (seq, entity, entity_id, operation, payload)
    LEFT JOIN (SELECT f.entity, array_agg(f.key) AS keys
               FROM central.payload_fields f GROUP BY f.entity) shape ON shape.entity = c.entity
$$;

-- The first thing wrong with the shape of one change's payload (p_entity, p_operation, p_payload), or NULL.
CREATE OR REPLACE FUNCTION central.payload_shape_defect(p_entity text, p_entity_id text, p_operation text, p_payload jsonb)
RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT defect FROM central.payload_shape_defects(ARRAY[0::bigint], ARRAY[p_entity], ARRAY[p_entity_id],
                                                     ARRAY[p_operation], ARRAY[p_payload])
$$;


-- The first surcharge of p_modifiers (a showtime's price_modifiers) that is not a seat kind's
-- amount, in words, or NULL.
CREATE OR REPLACE FUNCTION central.surcharge_defect(p_modifiers jsonb) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT 'its ' || left(m.key, 40) || ' surcharge is not a seat kind''s amount between 0 and 100000000'
    FROM jsonb_each(p_modifiers) m
    WHERE m.key NOT IN ('regular', 'vip', 'wheelchair', 'couple')
       OR NOT central.payload_value_is(m.value, 'integer')
       OR m.value::numeric NOT BETWEEN 0 AND central.max_price()
    LIMIT 1
$$;

-- The first value of a well-shaped payload that no counter could have written, or NULL; p_prefixes
-- are the booking-code prefixes of node p_node (central.node_prefix_list).
CREATE OR REPLACE FUNCTION central.payload_value_defect(p_node central.nodes, p_prefixes text[], p_entity text,
                                                        p_operation text, p_payload jsonb)
RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT CASE p_entity
    WHEN 'bookings' THEN CASE
        WHEN p_payload->>'status' NOT IN ('held', 'pending_payment', 'paid', 'refund_due', 'cancelled', 'refunded', 'expired')
            THEN 'its status ' || left(p_payload->>'status', 40) || ' is not a booking''s'
        WHEN p_payload->>'channel' NOT IN ('counter', 'online', 'kiosk')
            THEN 'its channel ' || left(p_payload->>'channel', 40) || ' is not a booking''s'
        WHEN (p_payload->>'total')::numeric NOT BETWEEN 0 AND central.max_money()
            THEN 'its total ' || (p_payload->>'total') || ' is not an amount of money'
        WHEN (p_payload->>'refund_amount')::numeric NOT BETWEEN 0 AND (p_payload->>'total')::numeric
            THEN 'its refund ' || (p_payload->>'refund_amount') || ' is more than its total or negative'
        WHEN p_payload->>'status' IN ('pending_payment', 'paid', 'refund_due', 'refunded') AND p_payload->>'payment_method_id' IS NULL
            THEN 'it is ' || (p_payload->>'status') || ' with no payment method'
        WHEN p_operation = 'insert' AND NOT central.code_is_nodes(p_prefixes, p_payload->>'code')
            THEN 'its code ' || left(p_payload->>'code', 40) || ' is not one node ' || p_node.name
                 || ' issues (' || coalesce(p_node.code_prefix, '?') || '-…)'
        END
    WHEN 'tickets' THEN CASE
        WHEN p_payload->>'status' NOT IN ('active', 'released')
            THEN 'its status ' || left(p_payload->>'status', 40) || ' is not a ticket''s'
        WHEN (p_payload->>'price')::numeric NOT BETWEEN 0 AND central.max_money()
            THEN 'its price ' || (p_payload->>'price') || ' is not an amount of money'
        END
    WHEN 'showtimes' THEN CASE
        WHEN p_payload->>'status' NOT IN ('scheduled', 'cancelled')
            THEN 'its status ' || left(p_payload->>'status', 40) || ' is not a showtime''s'
        WHEN (p_payload->>'base_price')::numeric NOT BETWEEN 0 AND central.max_price()
            THEN 'its base price ' || (p_payload->>'base_price') || ' is not between 0 and 100000000'
        WHEN central.instant(p_payload->>'ends_at') <= central.instant(p_payload->>'starts_at')
            THEN 'it ends before it starts'
        WHEN (p_payload->>'price_needed')::numeric NOT IN (0, 1) THEN 'its price_needed is not 0 or 1'
        WHEN p_payload->'price_modifiers' <> '{}'::jsonb THEN central.surcharge_defect(p_payload->'price_modifiers')
        END
    WHEN 'seats' THEN CASE
        WHEN p_payload->>'kind' NOT IN ('regular', 'vip', 'wheelchair', 'couple')
            THEN 'its kind ' || left(p_payload->>'kind', 40) || ' is not a seat''s'
        WHEN (p_payload->>'grid_row')::numeric < 0 OR (p_payload->>'grid_column')::numeric < 0
             OR (p_payload->>'grid_row')::numeric > 10000 OR (p_payload->>'grid_column')::numeric > 10000
            THEN 'its place in the grid is not one'
        WHEN (p_payload->>'number')::numeric < 1 THEN 'its number is not a seat number'
        WHEN length(p_payload->>'label') NOT BETWEEN 1 AND 20 THEN 'its label is not a seat label'
        END
    WHEN 'studios' THEN CASE
        WHEN (p_payload->>'seat_count')::numeric NOT BETWEEN 0 AND 100000 THEN 'its seat count is not one'
        WHEN length(trim(p_payload->>'name')) = 0 THEN 'it has no name'
        END
    WHEN 'cinemas' THEN CASE
        WHEN length(trim(p_payload->>'name')) = 0 THEN 'it has no name'
        END
    WHEN 'movies' THEN CASE
        WHEN (p_payload->>'duration_minutes')::numeric NOT BETWEEN 1 AND 600 THEN 'its duration is not 1 to 600 minutes'
        WHEN length(trim(p_payload->>'title')) = 0 THEN 'it has no title'
        END
    WHEN 'payment_methods' THEN CASE
        WHEN p_payload->>'kind' NOT IN ('cash', 'card', 'qris', 'ewallet', 'virtual_account')
            THEN 'its kind ' || left(p_payload->>'kind', 40) || ' is not a payment method''s'
        WHEN (p_payload->>'enabled')::numeric NOT IN (0, 1) THEN 'its enabled is not 0 or 1'
        WHEN p_payload->>'code' !~ '^[a-z0-9_]{1,40}$' THEN 'its code is not a payment method code'
        END
    WHEN 'users' THEN CASE
        WHEN p_payload->>'role' <> 'customer' THEN 'staff accounts, roles and passwords change online at head office, never by push'
        WHEN p_payload->>'email' !~ '^[^@[:space:]]+@[^@[:space:]]+$' OR length(p_payload->>'email') > 254
            THEN 'its email is not an email address'
        WHEN p_payload->>'cinema_id' IS NOT NULL THEN 'a customer belongs to no cinema'
        WHEN length(trim(p_payload->>'name')) = 0 THEN 'it has no name'
        END
    END
$$;

-- Whether p_code is a booking code node p_node issues: one of its prefixes (nodes.sql: a forked
-- store takes a new one, and the older ones stay the node's) and a number, or a code of the old
-- system's bookings brought in by `boxoffice import-legacy` (OLD-…; O and L are in no node's prefix).
-- p_prefixes is central.node_prefix_list(node), read once per batch, so that the check is one
-- expression the planner inlines.
CREATE OR REPLACE FUNCTION central.code_is_nodes(p_prefixes text[], p_code text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
    SELECT p_code ~ '^OLD-[0-9]{1,19}$'
        OR (p_code ~ '^[23456789A-HJKMNP-Z]{2,8}-[0-9]{4,19}$' AND split_part(p_code, '-', 1) = ANY (p_prefixes))
$$;

-- Every booking-code prefix of node p_node_name.
CREATE OR REPLACE FUNCTION central.node_prefix_list(p_node_name text) RETURNS text[]
LANGUAGE sql STABLE AS $$
    SELECT coalesce(array_agg(prefix ORDER BY prefix), '{}') FROM central.node_prefixes WHERE node_name = p_node_name
$$;

-- The tables whose changes head office takes: those of central.payload_fields.
CREATE OR REPLACE FUNCTION central.payload_entities() RETURNS text[]
LANGUAGE sql STABLE AS $$
    SELECT array_agg(DISTINCT entity) FROM central.payload_fields
$$;

-- The first thing wrong with a change's envelope, or NULL; p_entities is central.payload_entities(),
-- read once per batch (so the check is one expression, which the planner inlines).
CREATE OR REPLACE FUNCTION central.envelope_defect(p_entity jsonb, p_entity_id jsonb, p_operation jsonb, p_entities text[])
RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN jsonb_typeof(p_entity) IS DISTINCT FROM 'string' OR NOT (p_entity #>> '{}') = ANY (p_entities)
            THEN 'head office takes no changes to ' || coalesce(left(p_entity #>> '{}', 40), 'nothing')
        WHEN jsonb_typeof(p_operation) IS DISTINCT FROM 'string' OR p_operation #>> '{}' NOT IN ('insert', 'update', 'delete')
            THEN 'a change inserts, updates or deletes; ' || coalesce(left(p_operation #>> '{}', 40), 'nothing') || ' is none of them'
        WHEN jsonb_typeof(p_entity_id) IS DISTINCT FROM 'string' OR length(p_entity_id #>> '{}') NOT BETWEEN 1 AND 200
             OR (p_entity_id #>> '{}') ~ '[[:cntrl:]]'
            THEN 'its id is not an id'
    END
$$;

-- Writes the first defect of every change of pg_temp.staged (whose envelope push already checked),
-- in one pass over the batch; then, for each new booking, that its total is the sum of its tickets
-- in the same push (a sale is one transaction at the counter, and the sync agent never splits one
-- across pushes).
CREATE OR REPLACE FUNCTION central.stage_defects(p_node central.nodes) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_prefixes text[] := central.node_prefix_list(p_node.name);
BEGIN
    UPDATE pg_temp.staged s
    SET defect = d.defect
    FROM (SELECT x.seq,
                 coalesce(shape.defect,
                          CASE WHEN x.operation <> 'delete'
                               THEN central.payload_value_defect(p_node, v_prefixes, x.entity, x.operation, x.payload) END) AS defect
          FROM (SELECT array_agg(seq) AS seqs, array_agg(entity) AS entities, array_agg(entity_id) AS entity_ids,
                       array_agg(operation) AS operations, array_agg(payload) AS payloads
                FROM pg_temp.staged WHERE defect IS NULL) batch
          CROSS JOIN LATERAL central.payload_shape_defects(batch.seqs, batch.entities, batch.entity_ids,
                                                           batch.operations, batch.payloads) shape
          JOIN pg_temp.staged x ON x.seq = shape.seq) d
    WHERE s.seq = d.seq AND d.defect IS NOT NULL;

    UPDATE pg_temp.staged b
    SET defect = 'its total ' || (b.payload->>'total') || ' is not the sum of its tickets'' prices, '
                 || coalesce(t.sum, 0) || CASE WHEN t.count IS NULL THEN ' (no ticket of it came in the same push)' ELSE '' END
    FROM pg_temp.staged booking
    LEFT JOIN (SELECT booking_id, sum((payload->>'price')::bigint) AS sum, count(*) AS count
               FROM pg_temp.staged
               WHERE entity = 'tickets' AND operation = 'insert' AND defect IS NULL
               GROUP BY booking_id) t ON t.booking_id = booking.entity_id
    WHERE b.seq = booking.seq AND booking.entity = 'bookings' AND booking.operation = 'insert' AND booking.defect IS NULL
      AND (t.count IS NULL OR t.sum <> (booking.payload->>'total')::bigint);
END
$$;
