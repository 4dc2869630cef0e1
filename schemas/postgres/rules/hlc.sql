-- version: 4
-- Hybrid-logical-clock stamps: `WWWWWWWWWWWWWWW-CCCCC-NODE`, fifteen digits of wall-clock
-- milliseconds, five of a counter, and the node that made the stamp. Fixed-width numbers make text
-- order equal stamp order, so stamps compare as plain text here and in SQLite.
--
-- The next stamp after `last` at wall clock `now` is (now, 0) when the clock has passed `last`, else
-- (last's wall, last's counter + 1); a counter at 99999 moves the wall on by a millisecond instead,
-- so the counter never overflows its five digits, and at the very end of the clock (wall
-- 999999999999999, counter 99999) the stamp stays there rather than wrap round to an earlier one.
-- ChangeLog/HLC.swift is the same rule in Swift,
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
        WHEN substr(p_last, 1, 15)::bigint < 999999999999999
            THEN central.hlc_format(substr(p_last, 1, 15)::bigint + 1, 0, p_node)
        ELSE central.hlc_format(999999999999999, 99999, p_node)
    END
$$;

-- Head office's clock, in milliseconds.
CREATE OR REPLACE FUNCTION central.clock_millis() RETURNS bigint
LANGUAGE sql VOLATILE AS $$
    SELECT floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint
$$;

-- Head office's own stamp for a decision about a row: later than the row's stamp and the clock,
-- so every node's last-writer-wins takes it.
CREATE OR REPLACE FUNCTION central.hlc_after(p_hlc text) RETURNS text
LANGUAGE sql VOLATILE AS $$
    SELECT central.hlc_next(p_hlc, central.clock_millis(), 'central')
$$;

-- A node's stamps as head office takes them. A node's clock may be hours wrong, and a hostile node
-- may send any text, so head office takes no stamp as sent without bounds: a stamp whose wall clock
-- is further ahead of head office's clock than central.settings.max_clock_skew allows is clamped to
-- that bound, head office's clock plus the skew, and anything that is not a stamp is taken as the
-- bound too, for node p_node. Clamped stamps take the counter p_position (the change's place in its
-- push, so that they keep the node's order among themselves and stay after every stamp that was
-- within the bound). Either is reported in central.clock_reports and never spread: the feed carries
-- the stamp as taken. A change is never refused for its stamp.
--
-- p_ceiling is in milliseconds (central.hlc_ceiling_millis(), read once per push); the function is
-- immutable so that a batch's statement inlines it.
CREATE OR REPLACE FUNCTION central.hlc_within(p_hlc text, p_ceiling bigint, p_position bigint, p_node text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN NOT central.hlc_valid(p_hlc) THEN central.hlc_format(p_ceiling, least(p_position, 99999)::integer, p_node)
        WHEN substr(p_hlc, 1, 15)::bigint > p_ceiling
            THEN central.hlc_format(p_ceiling, least(p_position, 99999)::integer, substr(p_hlc, 23))
        ELSE p_hlc
    END
$$;

-- The latest wall clock, in milliseconds, that a node's stamp may carry.
CREATE OR REPLACE FUNCTION central.hlc_ceiling_millis() RETURNS bigint
LANGUAGE sql VOLATILE AS $$
    SELECT floor(extract(epoch FROM clock_timestamp() + max_clock_skew) * 1000)::bigint FROM central.settings
$$;

-- p_hlc within the bound, now.
CREATE OR REPLACE FUNCTION central.hlc_clamped(p_hlc text) RETURNS text
LANGUAGE sql VOLATILE AS $$
    SELECT central.hlc_within(p_hlc, central.hlc_ceiling_millis(), 0, 'central')
$$;

-- A node's stamp (already within the bound) as earliest-sale-wins may trust it: after p_floor, the
-- stamp of the node's last pull. A node pushes what it sold before it pulls, and after a pull its
-- clock is past every stamp it received, so an honest change pushed later was made after the pull;
-- a stamp before the floor is a forgery (or a clock set back), and is taken as just after the floor,
-- at counter p_position so that such stamps keep their order.
CREATE OR REPLACE FUNCTION central.hlc_not_before(p_hlc text, p_floor text, p_position bigint) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN p_floor IS NULL OR p_hlc > p_floor THEN p_hlc
                ELSE central.hlc_format(substr(p_floor, 1, 15)::bigint,
                                        least(substr(p_floor, 17, 5)::integer + p_position, 99999)::integer,
                                        substr(p_hlc, 23)) END
$$;
