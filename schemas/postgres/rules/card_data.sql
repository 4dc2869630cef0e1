-- version: 1
-- Card data in what a node pushes: head office checks it again, since a node may send anything
-- (an old build's store, or someone holding the node's URL), and keeps it nowhere.
--
-- What card data is, is the kit's rule (Sources/BoxOfficeKit/Core/CardData.swift), written here
-- step for step; CardDataAgreementTests runs one corpus through both, and every decimal digit of
-- every script through both digit readers.
-- - A card number: 13 to 19 digits written with any separators between groups (at most three
--   between two groups), whose first digits are a card network's and which pass the Luhn check; any
--   run of consecutive groups counts. A number after `+` is a telephone number; a letter ends a number.
-- - An expiry (12/27, 12-2027, 1227) or a CVV (3 or 4 digits) only after a word that labels it
--   (EXP, valid thru, CVV, CVC2), with at most two more words and a few separators between.
--
-- How a push treats it (push.sql calls central.without_card_data first, before anything reads the
-- batch): every text a person typed (a walk-in's name, a payment reference, a customer's or a
-- cinema's name, a title …) that holds card data is replaced by '[card data removed]', and so is
-- the change's entity, operation or stamp, and a payload key, that does. Ids, times and codes are
-- the store's own and are not read (central.card_checked_keys says why). The rest of the change is
-- taken by the usual rules, so an honest sale is never lost for its name or its reference; the
-- inbox's digest, the rows, the feed, conflict records, refusal reasons and clock reports only ever
-- see the batch without it. Head office's log says which change carried some, never the text.

-- The first code point of each run of ten decimal digits (Unicode's Nd: 0 to 9 in order), every
-- script's: the same digits Swift's `numericType == .decimal` reads (CardDataAgreementTests).
CREATE OR REPLACE FUNCTION central.card_digit_zeros() RETURNS integer[]
LANGUAGE sql IMMUTABLE AS $$
    SELECT ARRAY[48, 1632, 1776, 1984, 2406, 2534, 2662, 2790, 2918, 3046, 3174, 3302, 3430, 3558, 3664, 3792, 3872,
                 4160, 4240, 6112, 6160, 6470, 6608, 6784, 6800, 6992, 7088, 7232, 7248, 42528, 43216, 43264, 43472,
                 43504, 43600, 44016, 65296, 66720, 68912, 68928, 69734, 69872, 69942, 70096, 70384, 70736, 70864,
                 71248, 71360, 71376, 71386, 71472, 71904, 72016, 72688, 72784, 73040, 73120, 73184, 73552, 90416,
                 92768, 92864, 93008, 93552, 118000, 120782, 120792, 120802, 120812, 120822, 123200, 123632, 124144,
                 124401, 125264, 130032]
$$;

-- The value of a character that is a decimal digit of any script (4, ٤, ４), or NULL.
CREATE OR REPLACE FUNCTION central.card_digit(p_char text) RETURNS integer
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN ascii(p_char) BETWEEN 48 AND 57 THEN ascii(p_char) - 48
        WHEN ascii(p_char) < 128 THEN NULL
        ELSE (SELECT ascii(p_char) - z FROM unnest(central.card_digit_zeros()) z
              WHERE ascii(p_char) BETWEEN z AND z + 9 LIMIT 1)
    END
$$;

-- Whether a character is a letter (ends a number; makes a label).
CREATE OR REPLACE FUNCTION central.card_letter(p_char text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$ SELECT p_char ~ '^[[:alpha:]]$' $$;

-- Whether p_digits (ASCII digits) begin as a card network's numbers do: Visa; Mastercard; American
-- Express; Diners Club; JCB; Discover; UnionPay; Maestro; Indonesia's GPN debit cards.
CREATE OR REPLACE FUNCTION central.card_network_prefix(p_digits text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
    SELECT EXISTS (
        SELECT 1 FROM (VALUES (4, 4), (51, 55), (2221, 2720), (34, 34), (37, 37), (300, 305), (36, 36), (38, 39),
                              (3528, 3589), (6011, 6011), (644, 649), (65, 65), (62, 62), (50, 50), (56, 69), (9360, 9360)) r (low, high)
        WHERE length(p_digits) >= length(r.low::text)
          AND left(p_digits, length(r.low::text))::integer BETWEEN r.low AND r.high)
$$;

-- The Luhn (mod 10) check that every payment card number passes, over ASCII digits.
CREATE OR REPLACE FUNCTION central.card_luhn(p_digits text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
    SELECT sum(CASE WHEN (n - i) % 2 = 1 THEN CASE WHEN d * 2 > 9 THEN d * 2 - 9 ELSE d * 2 END ELSE d END) % 10 = 0
    FROM (SELECT length(p_digits) AS n) l,
         LATERAL (SELECT i, substr(p_digits, i, 1)::integer AS d FROM generate_series(1, length(p_digits)) i) x
$$;

-- Whether a number — its groups of digits, and whether a `+` opened each — holds a card number in
-- some run of consecutive groups.
CREATE OR REPLACE FUNCTION central.card_number_in_groups(p_groups text[], p_after_plus boolean[]) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    v_digits text;
BEGIN
    FOR v_start IN 1 .. coalesce(array_length(p_groups, 1), 0) LOOP
        CONTINUE WHEN p_after_plus[v_start];
        v_digits := '';
        FOR v_end IN v_start .. array_length(p_groups, 1) LOOP
            v_digits := v_digits || p_groups[v_end];
            EXIT WHEN length(v_digits) > 19;
            IF length(v_digits) >= 13 AND central.card_network_prefix(v_digits) AND central.card_luhn(v_digits) THEN
                RETURN true;
            END IF;
        END LOOP;
    END LOOP;
    RETURN false;
END
$$;

-- Whether p_text holds a card number (any separators, a network's prefix, the Luhn check).
CREATE OR REPLACE FUNCTION central.card_number_in(p_text text) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    v_char       text;
    v_digit      integer;
    v_groups     text[] := '{}';
    v_after_plus boolean[] := '{}';
    v_separators integer := 0;
    v_plus       boolean := false;
    v_in_group   boolean := false;
BEGIN
    FOREACH v_char IN ARRAY coalesce(string_to_array(p_text, NULL), '{}') LOOP
        v_digit := central.card_digit(v_char);
        IF v_digit IS NOT NULL THEN
            IF NOT v_in_group THEN
                IF v_plus OR v_separators > 3 THEN
                    IF central.card_number_in_groups(v_groups, v_after_plus) THEN RETURN true; END IF;
                    v_groups := '{}';
                    v_after_plus := '{}';
                END IF;
                v_groups := v_groups || ''::text;
                v_after_plus := v_after_plus || v_plus;
                v_in_group := true;
            END IF;
            v_groups[array_length(v_groups, 1)] := v_groups[array_length(v_groups, 1)] || v_digit::text;
            v_separators := 0;
            v_plus := false;
        ELSE
            v_in_group := false;
            IF v_char = '+' OR central.card_letter(v_char) THEN
                IF central.card_number_in_groups(v_groups, v_after_plus) THEN RETURN true; END IF;
                v_groups := '{}';
                v_after_plus := '{}';
                v_plus := v_char = '+';
                IF NOT v_plus THEN v_separators := 0; END IF;
            ELSE
                v_separators := v_separators + 1;
            END IF;
        END IF;
    END LOOP;
    RETURN central.card_number_in_groups(v_groups, v_after_plus);
END
$$;

-- The groups of digits (as ASCII digits) after position p_start of p_chars, at most p_wanted of
-- them, skipping separators and up to two more words before the first, as long as no more than a
-- few characters stand between them.
CREATE OR REPLACE FUNCTION central.card_groups_after(p_chars text[], p_start integer, p_wanted integer) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    v_groups text[] := '{}';
    v_index  integer := p_start;
    v_words  integer := 0;
    v_gap    integer := 0;
    v_n      integer := coalesce(array_length(p_chars, 1), 0);
    v_group  text;
BEGIN
    WHILE v_index <= v_n AND coalesce(array_length(v_groups, 1), 0) < p_wanted LOOP
        IF central.card_digit(p_chars[v_index]) IS NOT NULL THEN
            EXIT WHEN v_gap > 3 AND coalesce(array_length(v_groups, 1), 0) > 0;
            v_group := '';
            WHILE v_index <= v_n AND central.card_digit(p_chars[v_index]) IS NOT NULL LOOP
                v_group := v_group || central.card_digit(p_chars[v_index])::text;
                v_index := v_index + 1;
            END LOOP;
            v_groups := v_groups || v_group;
            v_gap := 0;
            CONTINUE;
        END IF;
        IF central.card_letter(p_chars[v_index]) THEN
            EXIT WHEN coalesce(array_length(v_groups, 1), 0) > 0 OR v_words >= 2;
            v_words := v_words + 1;
            WHILE v_index <= v_n AND central.card_letter(p_chars[v_index]) LOOP v_index := v_index + 1; END LOOP;
            CONTINUE;
        END IF;
        v_gap := v_gap + 1;
        EXIT WHEN v_gap > 8;
        v_index := v_index + 1;
    END LOOP;
    RETURN v_groups;
END
$$;

-- Whether p_text holds an expiry or a CVV after a word that labels it as one.
CREATE OR REPLACE FUNCTION central.card_detail_in(p_text text) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    v_chars  text[] := coalesce(string_to_array(p_text, NULL), '{}');
    v_n      integer := coalesce(array_length(v_chars, 1), 0);
    v_index  integer := 1;
    v_word   text;
    v_groups text[];
BEGIN
    WHILE v_index <= v_n LOOP
        IF NOT central.card_letter(v_chars[v_index]) THEN
            v_index := v_index + 1;
            CONTINUE;
        END IF;
        v_word := '';
        WHILE v_index <= v_n AND central.card_letter(v_chars[v_index]) LOOP
            v_word := v_word || lower(v_chars[v_index]);
            v_index := v_index + 1;
        END LOOP;
        IF v_word IN ('exp', 'expiry', 'expires', 'expiration', 'expdate', 'thru', 'through', 'berlaku') THEN
            v_groups := central.card_groups_after(v_chars, v_index, 2);
            IF coalesce(array_length(v_groups, 1), 0) = 2 AND length(v_groups[1]) BETWEEN 1 AND 2
               AND length(v_groups[2]) IN (2, 4) THEN
                IF v_groups[1]::integer BETWEEN 1 AND 12 THEN RETURN true; END IF;
            ELSIF length(v_groups[1]) IN (4, 6) AND left(v_groups[1], 2)::integer BETWEEN 1 AND 12 THEN
                -- A month and year written together: 1227, 122027.
                RETURN true;
            END IF;
        END IF;
        IF v_word IN ('cvv', 'cvc', 'cid', 'csc', 'cav', 'cvn') THEN
            v_groups := central.card_groups_after(v_chars, v_index, 2);
            -- `CVV2 123`: the 2 belongs to the label.
            IF v_groups[1] = '2' THEN v_groups := v_groups[2:]; END IF;
            IF length(v_groups[1]) BETWEEN 3 AND 4 THEN RETURN true; END IF;
        END IF;
    END LOOP;
    RETURN false;
END
$$;

-- Whether p_text holds card data: a card number, or an expiry or CVV labelled as one. A text of
-- ASCII characters is read through only when it could hold some: 13 digits with at most three
-- separators (no letter, no `+`) between each two, or a label's letters; most text has neither,
-- and reading one through costs a millisecond.
CREATE OR REPLACE FUNCTION central.card_data_in(p_text text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN p_text IS NULL THEN false
        WHEN octet_length(p_text) = length(p_text)
             AND p_text !~ '[0-9]([^[:alpha:]+0-9]{0,3}[0-9]){12}'
             AND p_text !~* '(exp|thru|through|berlaku|cvv|cvc|cid|csc|cav|cvn)' THEN false
        ELSE central.card_number_in(p_text) OR central.card_detail_in(p_text)
    END
$$;

-- What a text that held card data becomes.
CREATE OR REPLACE FUNCTION central.card_data_removed() RETURNS text
LANGUAGE sql IMMUTABLE AS $$ SELECT '[card data removed]' $$;

-- The payload keys of entity p_entity that are checked for card data: the texts a person types,
-- which the kit checks with HumanText (names, titles, addresses, a payment reference), and the
-- stamps (a stamp that is none is clamped, never refused: hlc.sql). Other values are the store's
-- own (ids, times, statuses, codes, layouts) and are not read: an instant such as 2026-12-01
-- 09:30:00.000 reads as a Mastercard-like number that may pass Luhn, and so may an id that is no
-- UUID, and taking either away would lose an honest change.
CREATE OR REPLACE FUNCTION central.card_checked_keys(p_entity text) RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE p_entity
        WHEN 'bookings' THEN ARRAY['customer_name', 'payment_reference']
        WHEN 'users' THEN ARRAY['name']
        WHEN 'cinemas' THEN ARRAY['name', 'city', 'address']
        WHEN 'studios' THEN ARRAY['name']
        WHEN 'movies' THEN ARRAY['title', 'description', 'genre', 'rating', 'director', 'cast_members', 'poster_url']
        WHEN 'payment_methods' THEN ARRAY['name']
        WHEN 'seat_blocks' THEN ARRAY['reason']
        ELSE '{}'::text[]
    END
$$;

-- The part of stamp p_stamp that can hold card data. A stamp as stores write it (hlc.sql: a wall
-- and a counter that start with 0, then the node) can hold some only in its node part, since a
-- number that starts with 0 is no card network's; anything else may anywhere.
CREATE OR REPLACE FUNCTION central.card_stamp_part(p_stamp text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN p_stamp ~ '^0[0-9]{14}-0[0-9]{4}-' THEN substr(p_stamp, 23) ELSE p_stamp END
$$;

-- Whether stamp p_stamp holds card data.
CREATE OR REPLACE FUNCTION central.card_data_in_stamp(p_stamp text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$ SELECT central.card_data_in(central.card_stamp_part(p_stamp)) $$;

-- Every value of a change that is read for card data, joined by three words: a letter ends a
-- number and a label reaches past two words at most, so no card data is made across two values.
-- A cheap first look: the values are read one by one only when the joined text holds some.
CREATE OR REPLACE FUNCTION central.card_checked_text(p_change jsonb) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT concat_ws(' x x x ', p_change->>'entity', p_change->>'operation', central.card_stamp_part(p_change->>'hlc'),
                     CASE WHEN jsonb_typeof(p_change->'payload') = 'object' THEN
                         concat_ws(' x x x ', central.card_stamp_part(p_change->'payload'->>'hlc'),
                                   central.card_stamp_part(p_change->'payload'->>'sold_hlc'),
                                   (SELECT string_agg(p_change->'payload'->>k, ' x x x ')
                                    FROM unnest(central.card_checked_keys(p_change->>'entity')) k)) END)
$$;

-- A checked JSON value without card data: a string that holds some is replaced, and so is each
-- such string of a list (a movie's cast); a stamp (p_stamp) is read as one.
CREATE OR REPLACE FUNCTION central.card_data_removed_from(p_value jsonb, p_stamp boolean) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE jsonb_typeof(p_value)
        WHEN 'string' THEN CASE WHEN CASE WHEN p_stamp THEN central.card_data_in_stamp(p_value #>> '{}')
                                          ELSE central.card_data_in(p_value #>> '{}') END
                                THEN to_jsonb(central.card_data_removed()) ELSE p_value END
        -- A number where a word or a text belongs is refused by the validity rules, which may name it.
        WHEN 'number' THEN CASE WHEN CASE WHEN p_stamp THEN central.card_data_in_stamp(p_value #>> '{}')
                                          ELSE central.card_data_in(p_value #>> '{}') END
                                THEN to_jsonb(central.card_data_removed()) ELSE p_value END
        WHEN 'array' THEN (SELECT coalesce(jsonb_agg(CASE WHEN jsonb_typeof(e.value) = 'string' AND central.card_data_in(e.value #>> '{}')
                                                          THEN to_jsonb(central.card_data_removed()) ELSE e.value END
                                                     ORDER BY e.ordinality), '[]'::jsonb)
                           FROM jsonb_array_elements(p_value) WITH ORDINALITY e (value, ordinality))
        ELSE p_value
    END
$$;

-- One pushed change without card data: its envelope's words and stamp (entity, operation, hlc:
-- fixed words and stamps an honest store never fills with a card number), its payload's checked
-- keys (central.card_checked_keys) and any payload key itself that held some replaced; everything
-- else as sent.
CREATE OR REPLACE FUNCTION central.change_without_card_data(p_change jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN jsonb_typeof(p_change) IS DISTINCT FROM 'object' THEN p_change
    ELSE (SELECT coalesce(jsonb_object_agg(e.key,
                     CASE WHEN e.key IN ('entity', 'operation') THEN central.card_data_removed_from(e.value, false)
                          WHEN e.key = 'hlc' THEN central.card_data_removed_from(e.value, true)
                          WHEN e.key = 'payload' AND jsonb_typeof(e.value) = 'object' THEN
                              (SELECT coalesce(jsonb_object_agg(
                                          CASE WHEN central.card_data_in(p.key) THEN central.card_data_removed() || ' ' || p.ordinality
                                               ELSE p.key END,
                                          CASE WHEN p.key IN ('hlc', 'sold_hlc') THEN central.card_data_removed_from(p.value, true)
                                               WHEN p.key = ANY (central.card_checked_keys(p_change->>'entity'))
                                               THEN central.card_data_removed_from(p.value, false) ELSE p.value END), '{}'::jsonb)
                               FROM jsonb_each(e.value) WITH ORDINALITY p (key, value, ordinality))
                          ELSE e.value END), '{}'::jsonb)
          FROM jsonb_each(p_change) e)
    END
$$;

-- A pushed batch without card data (central.change_without_card_data, change by change). Most
-- batches hold none, which one statement finds from one look at each change's checked values
-- (central.card_checked_text); a batch with none is returned as it came, so every digest is the
-- one it always had.
CREATE OR REPLACE FUNCTION central.without_card_data(p_node text, p_changes jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_dirty bigint[];
BEGIN
    IF jsonb_typeof(p_changes) IS DISTINCT FROM 'array' THEN RETURN p_changes; END IF;
    SELECT array_agg(e.ordinality) INTO v_dirty
    FROM jsonb_array_elements(p_changes) WITH ORDINALITY e (value, ordinality)
    WHERE jsonb_typeof(e.value) = 'object'
      AND (central.card_data_in(central.card_checked_text(e.value))
           OR (jsonb_typeof(e.value->'payload') = 'object'
               AND EXISTS (SELECT 1 FROM jsonb_object_keys(e.value->'payload') k
                           WHERE k !~ '^[a-z_]+$' AND central.card_data_in(k))));
    IF v_dirty IS NULL THEN RETURN p_changes; END IF;
    RAISE LOG 'boxoffice push from node %: % changes carried card data (the batch''s changes number %); head office removed it before reading them',
        p_node, cardinality(v_dirty), left(array_to_string(v_dirty, ', '), 1000);
    RETURN (SELECT jsonb_agg(CASE WHEN e.ordinality = ANY (v_dirty) THEN central.change_without_card_data(e.value) ELSE e.value END
                             ORDER BY e.ordinality)
            FROM jsonb_array_elements(p_changes) WITH ORDINALITY e (value, ordinality));
END
$$;
