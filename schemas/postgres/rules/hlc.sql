-- version: 1
-- Head office's hybrid-logical-clock stamps.

-- Head office's own HLC stamp for a decision about a row: later than the row's stamp and the clock,
-- so every node's last-writer-wins takes it.
CREATE OR REPLACE FUNCTION central.hlc_after(p_hlc text) RETURNS text
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    v_now   bigint := (extract(epoch FROM clock_timestamp()) * 1000)::bigint;
    v_wall  bigint;
    v_count integer;
BEGIN
    IF p_hlc ~ '^[0-9]{15}-[0-9]{5}-' THEN
        v_wall := substr(p_hlc, 1, 15)::bigint;
        v_count := substr(p_hlc, 17, 5)::integer;
        IF v_wall >= v_now THEN
            RETURN lpad(v_wall::text, 15, '0') || '-' || lpad((v_count + 1)::text, 5, '0') || '-central';
        END IF;
    END IF;
    RETURN lpad(v_now::text, 15, '0') || '-00000-central';
END
$$;
