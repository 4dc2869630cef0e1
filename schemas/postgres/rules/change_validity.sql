-- version: 2
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

-- The first thing wrong with the shape of a change's payload (p_entity, p_operation, p_payload), or NULL.
CREATE OR REPLACE FUNCTION central.payload_shape_defect(p_entity text, p_entity_id text, p_operation text, p_payload jsonb)
RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT CASE
        WHEN jsonb_typeof(p_payload) IS DISTINCT FROM 'object' THEN 'its payload is not a JSON object'
        WHEN p_operation = 'delete' THEN
            CASE WHEN p_entity = 'seat_blocks'
                 THEN CASE WHEN (SELECT count(*) FROM jsonb_object_keys(p_payload)) <> 2
                                OR jsonb_typeof(p_payload->'showtime_id') IS DISTINCT FROM 'string'
                                OR jsonb_typeof(p_payload->'seat_id') IS DISTINCT FROM 'string'
                                OR (p_payload->>'showtime_id') || '/' || (p_payload->>'seat_id') <> p_entity_id
                           THEN 'a deleted seat block names its showtime_id and seat_id, as its id does' END
                 ELSE CASE WHEN (SELECT count(*) FROM jsonb_object_keys(p_payload)) <> 1
                                OR jsonb_typeof(p_payload->'id') IS DISTINCT FROM 'string'
                                OR p_payload->>'id' <> p_entity_id
                           THEN 'a deleted row names its id, and nothing else' END
            END
        ELSE coalesce(
            (SELECT CASE WHEN NOT p_payload ? f.key THEN 'its ' || f.key || ' is missing'
                         WHEN jsonb_typeof(p_payload->f.key) = 'null' THEN 'its ' || f.key || ' is empty'
                         ELSE 'its ' || f.key || ' is not ' || central.payload_type_words(f.type) END
             FROM central.payload_fields f
             WHERE f.entity = p_entity
               AND NOT (p_payload ? f.key AND ((f.nullable AND jsonb_typeof(p_payload->f.key) = 'null')
                                               OR central.payload_value_is(p_payload->f.key, f.type)))
             ORDER BY f.position LIMIT 1),
            (SELECT 'it has a ' || left(k, 40) || ' that ' || p_entity || ' rows do not have'
             FROM jsonb_object_keys(p_payload) k
             WHERE NOT EXISTS (SELECT 1 FROM central.payload_fields f WHERE f.entity = p_entity AND f.key = k)
             LIMIT 1),
            CASE WHEN p_entity = 'seat_blocks'
                 THEN CASE WHEN (p_payload->>'showtime_id') || '/' || (p_payload->>'seat_id') <> p_entity_id
                           THEN 'its showtime_id and seat_id are not its id' END
                 WHEN p_payload->>'id' <> p_entity_id THEN 'its id is not the change''s id' END,
            (SELECT 'its ' || f.key || ' is too long' FROM central.payload_fields f
             WHERE f.entity = p_entity AND f.type = 'text' AND length(p_payload->>f.key) > 100000 LIMIT 1))
    END
$$;

-- The first value of a well-shaped payload that no counter could have written, or NULL.
CREATE OR REPLACE FUNCTION central.payload_value_defect(p_node central.nodes, p_entity text, p_operation text, p_payload jsonb)
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
        WHEN p_operation = 'insert' AND NOT central.code_is_nodes(p_node, p_payload->>'code')
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
        ELSE (SELECT 'its ' || left(m.key, 40) || ' surcharge is not a seat kind''s amount between 0 and 100000000'
              FROM jsonb_each(p_payload->'price_modifiers') m
              WHERE m.key NOT IN ('regular', 'vip', 'wheelchair', 'couple')
                 OR NOT central.payload_value_is(m.value, 'integer')
                 OR m.value::numeric NOT BETWEEN 0 AND central.max_price()
              LIMIT 1)
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

-- Whether p_code is a booking code node p_node issues: its own prefix and a number, or a code of
-- the old system's bookings brought in by `boxoffice import-legacy` (OLD-…; O and L are in no
-- node's prefix).
CREATE OR REPLACE FUNCTION central.code_is_nodes(p_node central.nodes, p_code text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
    SELECT p_code ~ '^OLD-[0-9]{1,19}$'
        OR (p_node.code_prefix IS NOT NULL AND left(p_code, length(p_node.code_prefix) + 1) = p_node.code_prefix || '-'
            AND substr(p_code, length(p_node.code_prefix) + 2) ~ '^[0-9]{4,19}$')
$$;

-- The first thing wrong with a change's envelope, or NULL.
CREATE OR REPLACE FUNCTION central.envelope_defect(p_entity jsonb, p_entity_id jsonb, p_operation jsonb) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT CASE
        WHEN jsonb_typeof(p_entity) IS DISTINCT FROM 'string'
             OR NOT EXISTS (SELECT 1 FROM central.payload_fields f WHERE f.entity = p_entity #>> '{}')
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
BEGIN
    UPDATE pg_temp.staged s
    SET defect = d.defect
    FROM (SELECT x.seq,
                 coalesce(central.payload_shape_defect(x.entity, x.entity_id, x.operation, x.payload),
                          CASE WHEN x.operation <> 'delete'
                               THEN central.payload_value_defect(p_node, x.entity, x.operation, x.payload) END) AS defect
          FROM pg_temp.staged x WHERE x.defect IS NULL) d
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
