-- version: 4
-- Catalog rows (cinemas, studios, seats, movies, showtimes, payment methods, seat blocks): last writer wins by HLC.
-- A showtime head office has as cancelled stays cancelled: an edit a counter made offline before it
-- heard of the cancellation keeps its other fields, and goes back to every node as cancelled.

-- A counter's instant text ('YYYY-MM-DD HH:MM:SS.SSS', UTC) as timestamptz.
CREATE OR REPLACE FUNCTION central.instant(p_text text) RETURNS timestamptz
LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT ($1 || '+00')::timestamptz $$;

-- Catalog rows: last writer wins per row by HLC. A change older than what head office has is
-- accepted as superseded (the node will receive the newer row by pull).
CREATE OR REPLACE FUNCTION central.apply_catalog(p_node central.nodes, p_change jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_seq       bigint := (p_change->>'seq')::bigint;
    v_entity    text := p_change->>'entity';
    v_id        text := p_change->>'entity_id';
    v_operation text := p_change->>'operation';
    v_hlc       text := p_change->>'hlc';
    v_payload   jsonb := p_change->'payload';
    v_cinema    text;
    v_applied   boolean;
    v_existing  text;
    v_origin    text := p_node.name;
BEGIN
    v_cinema := CASE v_entity
        WHEN 'cinemas' THEN v_id
        WHEN 'studios' THEN coalesce(v_payload->>'cinema_id', (SELECT cinema_id FROM central.studios WHERE id = v_id))
        WHEN 'seats' THEN (SELECT cinema_id FROM central.studios
                           WHERE id = coalesce(v_payload->>'studio_id', (SELECT studio_id FROM central.seats WHERE id = v_id)))
        WHEN 'showtimes' THEN coalesce(v_payload->>'cinema_id', (SELECT cinema_id FROM central.showtimes WHERE id = v_id))
        WHEN 'seat_blocks' THEN (SELECT cinema_id FROM central.showtimes WHERE id = v_payload->>'showtime_id')
        ELSE NULL   -- movies, payment methods: chain-wide
    END;

    EXECUTE format('SELECT hlc FROM central.%I WHERE %s', v_entity,
                   CASE WHEN v_entity = 'seat_blocks' THEN 'showtime_id || ''/'' || seat_id = $1' ELSE 'id = $1' END)
        INTO v_existing USING v_id;
    IF v_existing IS NOT NULL AND v_existing >= v_hlc THEN
        -- A counter may have sold at the prices of a superseded change: they stay placeable.
        IF v_entity = 'showtimes' AND v_operation <> 'delete' THEN
            PERFORM central.record_price(v_payload);
        END IF;
        RETURN central.outcome(v_seq, 'accepted', '{"superseded": true}');
    END IF;

    IF v_entity = 'showtimes' AND v_operation <> 'delete' AND v_payload->>'status' IS DISTINCT FROM 'cancelled'
       AND EXISTS (SELECT 1 FROM central.showtimes WHERE id = v_id AND status = 'cancelled') THEN
        v_payload := v_payload || '{"status": "cancelled"}';
        v_origin := 'central';   -- the node that sent it needs the row as head office keeps it
    END IF;

    IF v_operation = 'delete' THEN
        IF v_entity = 'seat_blocks' THEN
            DELETE FROM central.seat_blocks WHERE showtime_id || '/' || seat_id = v_id;
        ELSE
            EXECUTE format('DELETE FROM central.%I WHERE id = $1', v_entity) USING v_id;
        END IF;
    ELSE
        CASE v_entity
        WHEN 'cinemas' THEN
            INSERT INTO central.cinemas (id, hlc, payload) VALUES (v_id, v_hlc, v_payload)
            ON CONFLICT (id) DO UPDATE SET hlc = EXCLUDED.hlc, payload = EXCLUDED.payload;
        WHEN 'studios' THEN
            INSERT INTO central.studios (id, cinema_id, hlc, payload) VALUES (v_id, v_cinema, v_hlc, v_payload)
            ON CONFLICT (id) DO UPDATE SET cinema_id = EXCLUDED.cinema_id, hlc = EXCLUDED.hlc, payload = EXCLUDED.payload;
        WHEN 'seats' THEN
            INSERT INTO central.seats (id, studio_id, cinema_id, label, kind, grid_row, grid_column, hlc, payload)
            VALUES (v_id, v_payload->>'studio_id', v_cinema, v_payload->>'label', v_payload->>'kind',
                    (v_payload->>'grid_row')::integer, (v_payload->>'grid_column')::integer, v_hlc, v_payload)
            ON CONFLICT (id) DO UPDATE SET studio_id = EXCLUDED.studio_id, cinema_id = EXCLUDED.cinema_id,
                label = EXCLUDED.label, kind = EXCLUDED.kind, grid_row = EXCLUDED.grid_row,
                grid_column = EXCLUDED.grid_column, hlc = EXCLUDED.hlc, payload = EXCLUDED.payload;
        WHEN 'movies' THEN
            INSERT INTO central.movies (id, hlc, payload) VALUES (v_id, v_hlc, v_payload)
            ON CONFLICT (id) DO UPDATE SET hlc = EXCLUDED.hlc, payload = EXCLUDED.payload;
        WHEN 'payment_methods' THEN
            INSERT INTO central.payment_methods (id, hlc, payload) VALUES (v_id, v_hlc, v_payload)
            ON CONFLICT (id) DO UPDATE SET hlc = EXCLUDED.hlc, payload = EXCLUDED.payload;
        WHEN 'showtimes' THEN
            IF v_cinema IS DISTINCT FROM (SELECT cinema_id FROM central.studios WHERE id = v_payload->>'studio_id') THEN
                RAISE EXCEPTION 'the showtime''s studio belongs to another cinema' USING ERRCODE = '23514';
            END IF;
            INSERT INTO central.showtimes (id, cinema_id, studio_id, movie_id, starts_at, ends_at, status, hlc, payload)
            VALUES (v_id, v_cinema, v_payload->>'studio_id', v_payload->>'movie_id',
                    central.instant(v_payload->>'starts_at'), central.instant(v_payload->>'ends_at'),
                    v_payload->>'status', v_hlc, v_payload)
            ON CONFLICT (id) DO UPDATE SET cinema_id = EXCLUDED.cinema_id, studio_id = EXCLUDED.studio_id,
                movie_id = EXCLUDED.movie_id, starts_at = EXCLUDED.starts_at, ends_at = EXCLUDED.ends_at,
                status = EXCLUDED.status, hlc = EXCLUDED.hlc, payload = EXCLUDED.payload;
            PERFORM central.record_price(v_payload);
        WHEN 'seat_blocks' THEN
            IF NOT EXISTS (SELECT 1 FROM central.seats se JOIN central.showtimes sh ON sh.studio_id = se.studio_id
                           WHERE se.id = v_payload->>'seat_id' AND sh.id = v_payload->>'showtime_id') THEN
                RAISE EXCEPTION 'the blocked seat is not in the showtime''s studio' USING ERRCODE = '23514';
            END IF;
            INSERT INTO central.seat_blocks (showtime_id, seat_id, cinema_id, hlc, payload)
            VALUES (v_payload->>'showtime_id', v_payload->>'seat_id', v_cinema, v_hlc, v_payload)
            ON CONFLICT (showtime_id, seat_id) DO UPDATE SET hlc = EXCLUDED.hlc, payload = EXCLUDED.payload;
        END CASE;
    END IF;

    PERFORM central.publish(v_cinema, NULL, v_origin, v_entity, v_id, v_operation, v_hlc, v_payload);
    RETURN central.outcome(v_seq, 'accepted');
END
$$;
