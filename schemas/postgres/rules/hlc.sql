-- version: 2
-- Hybrid-logical-clock stamps: `WWWWWWWWWWWWWWW-CCCCC-NODE`, fifteen digits of wall-clock
-- milliseconds, five of a counter, and the node that made the stamp. Fixed-width numbers make text
-- order equal stamp order, so stamps compare as plain text here and in SQLite.
--
-- The next stamp after `last` at wall clock `now` is (now, 0) when the clock has passed `last`, else
-- (last's wall, last's counter + 1); a counter at 99999 moves the wall on by a millisecond instead,
-- so the counter never overflows its five digits. ChangeLog/HLC.swift is the same rule in Swift,
-- and HLCAgreementTests proves the two read, write and advance stamps alike.

-- Whether p_hlc is a stamp.
CREATE OR REPLACE FUNCTION central.hlc_valid(p_hlc text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(p_hlc ~ '^[0-9]{15}-[0-9]{5}-.+$', false)
$$;

-- The text of the stamp (p_wall, p_counter, p_node).
CREATE OR REPLACE FUNCTION central.hlc_format(p_wall bigint, p_counter integer, p_node text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT lpad(p_wall::text, 15, '0') || '-' || lpad(p_counter::text, 5, '0') || '-' || p_node
$$;

-- The stamp p_node makes at wall clock p_now_millis after p_last (anything not a stamp counts as none).
CREATE OR REPLACE FUNCTION central.hlc_next(p_last text, p_now_millis bigint, p_node text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN NOT central.hlc_valid(p_last) OR substr(p_last, 1, 15)::bigint < p_now_millis
            THEN central.hlc_format(p_now_millis, 0, p_node)
        WHEN substr(p_last, 17, 5)::integer < 99999
            THEN central.hlc_format(substr(p_last, 1, 15)::bigint, substr(p_last, 17, 5)::integer + 1, p_node)
        ELSE central.hlc_format(substr(p_last, 1, 15)::bigint + 1, 0, p_node)
    END
$$;

-- Head office's own stamp for a decision about a row: later than the row's stamp and the clock,
-- so every node's last-writer-wins takes it.
CREATE OR REPLACE FUNCTION central.hlc_after(p_hlc text) RETURNS text
LANGUAGE sql VOLATILE AS $$
    SELECT central.hlc_next(p_hlc, floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint, 'central')
$$;
