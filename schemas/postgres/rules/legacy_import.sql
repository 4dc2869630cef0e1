-- version: 5
-- The import of the old system's database (`boxoffice import-legacy --central`): head office's own
-- path for the old catalog, accounts and booking history (see docs/legacy-import.md).
--
-- central.import_legacy writes a planned batch in the caller's transaction (the owner's connection;
-- no node role may call it) and publishes every row to the feed, so the counters receive the rows
-- and their old ids. It is head office's own path: showtimes in the past are taken, as history.
-- It settles what only head office's current state can tell, the same way a store import does:
--   * an account whose email (ignoring case) head office already has is not added: its old id
--     names the existing account, and its bookings follow it (one account per email);
--   * a payment method whose code head office already has is not added: its old id names that one;
--   * a showtime that head office's overlap constraint refuses is imported cancelled;
--   * a ticket whose seat is already taken (an earlier old booking of the same seat and showtime,
--     or a sale made since) gives the seat up: a paid booking keeps its payment and gets a
--     refund-required conflict record, a held one is expired.

-- p_changes: a JSON array, parents first, of {entity, entity_id, payload} as a counter's change log
-- carries them (payloads without `hlc`: every row takes one head-office stamp); a `bookings`
-- element also carries its `tickets` [{entity_id, payload}], and a `legacy_ids` element's payload
-- is {entity, legacy_id, new_id}. p_customers_node: the node the imported accounts belong to.
-- Returns what it settled: {merged_users, reused_payment_methods: [{id, into}],
-- cancelled_showtimes: [{id, overlaps}], lost_seats: [{booking_id, ticket_id, holder_booking_id,
-- outcome: refund_required | expired, conflict_id}]}.
CREATE OR REPLACE FUNCTION central.import_legacy(p_changes jsonb, p_customers_node text) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_hlc        text := central.hlc_after(NULL);
    r            record;
    t            record;
    v_id         text;
    v_payload    jsonb;
    v_cinema     text;
    v_other      text;
    v_users      jsonb := '{}';
    v_methods    jsonb := '{}';
    v_merged     jsonb := '[]';
    v_reused     jsonb := '[]';
    v_cancelled  jsonb := '[]';
    v_lost       jsonb := '[]';
    v_tickets    jsonb;
    v_lost_here  jsonb;
    v_holder     central.tickets;
    v_holder_booking central.bookings;
    v_label      text;
    v_conflict   text;
    v_new_id     text;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM central.nodes WHERE name = p_customers_node) THEN
        RAISE EXCEPTION 'head office has no node %', p_customers_node USING ERRCODE = '23503';
    END IF;
    -- One import at a time, and the seats of its showtimes decided as a push decides them (same
    -- locks, taken in one order, so an import and a push never deadlock).
    PERFORM 1 FROM central.settings FOR UPDATE;
    PERFORM central.lock_showtimes(array_agg(DISTINCT c.value->'payload'->>'showtime_id'))
    FROM jsonb_array_elements(p_changes) c WHERE c.value->>'entity' = 'bookings';

    FOR r IN SELECT c.value->>'entity' AS entity, c.value->>'entity_id' AS entity_id,
                    (c.value->'payload') || jsonb_build_object('hlc', v_hlc) AS payload, c.value->'tickets' AS tickets
             FROM jsonb_array_elements(p_changes) WITH ORDINALITY AS c (value, position)
             ORDER BY c.position
    LOOP
        v_id := r.entity_id;
        v_payload := r.payload;
        CASE r.entity
        WHEN 'cinemas' THEN
            INSERT INTO central.cinemas (id, hlc, payload) VALUES (v_id, v_hlc, v_payload) ON CONFLICT (id) DO NOTHING;
            IF FOUND THEN PERFORM central.publish(v_id, NULL, 'central', 'cinemas', v_id, 'insert', v_hlc, v_payload); END IF;
        WHEN 'studios' THEN
            v_cinema := v_payload->>'cinema_id';
            INSERT INTO central.studios (id, cinema_id, hlc, payload) VALUES (v_id, v_cinema, v_hlc, v_payload)
            ON CONFLICT (id) DO NOTHING;
            IF FOUND THEN PERFORM central.publish(v_cinema, NULL, 'central', 'studios', v_id, 'insert', v_hlc, v_payload); END IF;
        WHEN 'seats' THEN
            SELECT cinema_id INTO v_cinema FROM central.studios WHERE id = v_payload->>'studio_id';
            INSERT INTO central.seats (id, studio_id, cinema_id, label, kind, grid_row, grid_column, hlc, payload)
            VALUES (v_id, v_payload->>'studio_id', v_cinema, v_payload->>'label', v_payload->>'kind',
                    (v_payload->>'grid_row')::integer, (v_payload->>'grid_column')::integer, v_hlc, v_payload)
            ON CONFLICT (id) DO NOTHING;
            IF FOUND THEN PERFORM central.publish(v_cinema, NULL, 'central', 'seats', v_id, 'insert', v_hlc, v_payload); END IF;
        WHEN 'movies' THEN
            INSERT INTO central.movies (id, hlc, payload) VALUES (v_id, v_hlc, v_payload) ON CONFLICT (id) DO NOTHING;
            IF FOUND THEN PERFORM central.publish(NULL, NULL, 'central', 'movies', v_id, 'insert', v_hlc, v_payload); END IF;
        WHEN 'payment_methods' THEN
            SELECT id INTO v_other FROM central.payment_methods WHERE payload->>'code' = v_payload->>'code' AND id <> v_id;
            IF v_other IS NOT NULL THEN
                v_methods := v_methods || jsonb_build_object(v_id, v_other);
                v_reused := v_reused || jsonb_build_array(jsonb_build_object('id', v_id, 'into', v_other));
            ELSE
                INSERT INTO central.payment_methods (id, hlc, payload) VALUES (v_id, v_hlc, v_payload) ON CONFLICT (id) DO NOTHING;
                IF FOUND THEN PERFORM central.publish(NULL, NULL, 'central', 'payment_methods', v_id, 'insert', v_hlc, v_payload); END IF;
            END IF;
        WHEN 'showtimes' THEN
            v_cinema := v_payload->>'cinema_id';
            IF v_cinema IS DISTINCT FROM (SELECT cinema_id FROM central.studios WHERE id = v_payload->>'studio_id') THEN
                RAISE EXCEPTION 'showtime %: its studio belongs to another cinema', v_id USING ERRCODE = '23514';
            END IF;
            -- The overlap rule is head office's constraint showtimes_no_overlap: a showtime it refuses
            -- comes cancelled, its bookings kept.
            BEGIN
                INSERT INTO central.showtimes (id, cinema_id, studio_id, movie_id, starts_at, ends_at, status, hlc, payload)
                VALUES (v_id, v_cinema, v_payload->>'studio_id', v_payload->>'movie_id', central.instant(v_payload->>'starts_at'),
                        central.instant(v_payload->>'ends_at'), v_payload->>'status', v_hlc, v_payload)
                ON CONFLICT (id) DO NOTHING;
            EXCEPTION WHEN exclusion_violation THEN
                v_payload := v_payload || '{"status": "cancelled"}';
                v_cancelled := v_cancelled || jsonb_build_array(jsonb_build_object('id', v_id, 'overlaps', NULL));
                INSERT INTO central.showtimes (id, cinema_id, studio_id, movie_id, starts_at, ends_at, status, hlc, payload)
                VALUES (v_id, v_cinema, v_payload->>'studio_id', v_payload->>'movie_id', central.instant(v_payload->>'starts_at'),
                        central.instant(v_payload->>'ends_at'), 'cancelled', v_hlc, v_payload);
            END;
            PERFORM central.record_price(v_payload);
            PERFORM central.publish(v_cinema, NULL, 'central', 'showtimes', v_id, 'insert', v_hlc, v_payload);
        WHEN 'users' THEN
            SELECT id INTO v_other FROM central.users
            WHERE lower(email) = lower(v_payload->>'email') AND merged_into IS NULL AND id <> v_id;
            IF v_other IS NOT NULL THEN
                v_users := v_users || jsonb_build_object(v_id, v_other);
                v_merged := v_merged || jsonb_build_array(jsonb_build_object('id', v_id, 'into', v_other));
            ELSE
                INSERT INTO central.users (id, cinema_id, home_cinema_id, email, role, origin_node, created_at, hlc, payload)
                VALUES (v_id, NULL, CASE WHEN v_payload->>'role' = 'customer'
                                     THEN (SELECT n.cinema_id FROM central.nodes n WHERE n.name = p_customers_node) END,
                        v_payload->>'email', v_payload->>'role', p_customers_node, v_payload->>'created_at', v_hlc, v_payload)
                ON CONFLICT (id) DO NOTHING;
                -- A customer's account goes back only to the node it belongs to.
                IF FOUND THEN PERFORM central.publish(NULL, p_customers_node, 'central', 'users', v_id, 'insert', v_hlc, v_payload); END IF;
            END IF;
        WHEN 'bookings' THEN
            -- A paid booking's sale is stamped by the import, as a counter stamps its sales.
            IF v_payload->>'status' = 'paid' THEN
                v_payload := v_payload || jsonb_build_object('sold_hlc', v_hlc);
            END IF;
            IF v_payload->>'user_id' IS NOT NULL AND v_users ? (v_payload->>'user_id') THEN
                v_payload := v_payload || jsonb_build_object('user_id', v_users->>(v_payload->>'user_id'));
            END IF;
            IF v_payload->>'created_by' IS NOT NULL AND v_users ? (v_payload->>'created_by') THEN
                v_payload := v_payload || jsonb_build_object('created_by', v_users->>(v_payload->>'created_by'));
            END IF;
            IF v_payload->>'payment_method_id' IS NOT NULL AND v_methods ? (v_payload->>'payment_method_id') THEN
                v_payload := v_payload || jsonb_build_object('payment_method_id', v_methods->>(v_payload->>'payment_method_id'));
            END IF;
            SELECT cinema_id INTO v_cinema FROM central.showtimes WHERE id = v_payload->>'showtime_id';
            IF v_cinema IS NULL THEN
                RAISE EXCEPTION 'booking %: head office has no showtime %', v_id, v_payload->>'showtime_id' USING ERRCODE = '23503';
            END IF;
            -- Which of its tickets find their seat taken.
            v_tickets := '[]';
            v_lost_here := '[]';
            FOR t IN SELECT value->>'entity_id' AS id, (value->'payload') || jsonb_build_object('hlc', v_hlc) AS payload
                     FROM jsonb_array_elements(coalesce(r.tickets, '[]')) LOOP
                v_holder := NULL;
                IF t.payload->>'status' = 'active' THEN
                    -- The seat rule (seats.sql) says whether a sale holds the seat; a stale row gives it up.
                    SELECT tk.* INTO v_holder FROM central.seat_holds(t.payload->>'showtime_id', p_customers_node) h
                    JOIN central.tickets tk ON tk.id = h.ticket_id
                    WHERE h.seat_id = t.payload->>'seat_id' AND h.kind = 'sold';
                    IF v_holder.id IS NULL THEN
                        PERFORM central.release_stale_tickets(ARRAY[t.payload->>'showtime_id'], ARRAY[t.payload->>'seat_id'], t.id);
                    END IF;
                END IF;
                IF v_holder.id IS NOT NULL THEN
                    v_lost_here := v_lost_here || jsonb_build_array(jsonb_build_object('ticket_id', t.id, 'holder', to_jsonb(v_holder)));
                    v_tickets := v_tickets || jsonb_build_array(jsonb_build_object('id', t.id, 'payload', t.payload || '{"status": "released"}'));
                ELSE
                    v_tickets := v_tickets || jsonb_build_array(jsonb_build_object('id', t.id, 'payload', t.payload));
                END IF;
            END LOOP;
            IF jsonb_array_length(v_lost_here) > 0 AND v_payload->>'status' = 'held' THEN
                -- Unpaid: nothing to refund; the booking ends as a hold would, every seat given back.
                v_payload := v_payload || '{"status": "expired"}';
                SELECT coalesce(jsonb_agg(jsonb_build_object('id', x->>'id', 'payload', (x->'payload') || '{"status": "released"}')), '[]')
                INTO v_tickets FROM jsonb_array_elements(v_tickets) x;
            END IF;
            INSERT INTO central.bookings (id, code, cinema_id, showtime_id, user_id, origin_node, status, hold_expires_at,
                                          sold_hlc, hlc, payload)
            VALUES (v_id, v_payload->>'code', v_cinema, v_payload->>'showtime_id', v_payload->>'user_id', 'central',
                    v_payload->>'status', central.instant(v_payload->>'hold_expires_at'), v_payload->>'sold_hlc', v_hlc, v_payload);
            PERFORM central.publish(v_cinema, NULL, 'central', 'bookings', v_id, 'insert', v_hlc, v_payload);
            FOR t IN SELECT x->>'id' AS id, x->'payload' AS payload FROM jsonb_array_elements(v_tickets) x LOOP
                INSERT INTO central.tickets (id, booking_id, cinema_id, showtime_id, seat_id, status, hlc, payload)
                VALUES (t.id, v_id, v_cinema, t.payload->>'showtime_id', t.payload->>'seat_id', t.payload->>'status', v_hlc, t.payload);
                PERFORM central.publish(v_cinema, NULL, 'central', 'tickets', t.id, 'insert', v_hlc, t.payload);
            END LOOP;
            FOR t IN SELECT x->>'ticket_id' AS id, x->'holder' AS holder FROM jsonb_array_elements(v_lost_here) x LOOP
                SELECT * INTO v_holder_booking FROM central.bookings WHERE id = t.holder->>'booking_id';
                SELECT label INTO v_label FROM central.seats WHERE id = t.holder->>'seat_id';
                v_conflict := NULL;
                IF v_payload->>'status' = 'paid' THEN
                    v_conflict := central.record_conflict(v_cinema, 'legacy-import', 'refund_required', 'tickets', t.id, v_id,
                        v_payload->>'showtime_id', v_label, NULL,
                        'seat ' || v_label || ' was already taken by booking ' || v_holder_booking.code
                            || CASE WHEN v_holder_booking.code LIKE 'OLD-%' THEN ' (the old system booked it twice)' ELSE '' END
                            || ': refund the customer',
                        jsonb_build_object('ticket', (SELECT payload FROM central.tickets WHERE id = t.id), 'booking', v_payload),
                        jsonb_build_object('ticket', t.holder->'payload', 'booking', v_holder_booking.payload));
                END IF;
                v_lost := v_lost || jsonb_build_array(jsonb_build_object(
                    'booking_id', v_id, 'ticket_id', t.id, 'holder_booking_id', v_holder_booking.id,
                    'outcome', CASE WHEN v_payload->>'status' = 'paid' THEN 'refund_required' ELSE 'expired' END,
                    'conflict_id', v_conflict));
            END LOOP;
        WHEN 'legacy_ids' THEN
            v_new_id := v_payload->>'new_id';
            IF v_payload->>'entity' = 'users' AND v_users ? v_new_id THEN
                v_new_id := v_users->>v_new_id;
            ELSIF v_payload->>'entity' = 'payment_methods' AND v_methods ? v_new_id THEN
                v_new_id := v_methods->>v_new_id;
            END IF;
            v_cinema := CASE v_payload->>'entity'
                WHEN 'cinemas' THEN v_new_id
                WHEN 'studios' THEN (SELECT cinema_id FROM central.studios WHERE id = v_new_id)
                WHEN 'seats' THEN (SELECT cinema_id FROM central.seats WHERE id = v_new_id)
                WHEN 'showtimes' THEN (SELECT cinema_id FROM central.showtimes WHERE id = v_new_id)
                WHEN 'bookings' THEN (SELECT cinema_id FROM central.bookings WHERE id = v_new_id)
                WHEN 'tickets' THEN (SELECT cinema_id FROM central.tickets WHERE id = v_new_id)
                ELSE NULL END;
            v_payload := jsonb_build_object('entity', v_payload->>'entity', 'legacy_id', (v_payload->>'legacy_id')::bigint,
                                            'new_id', v_new_id, 'hlc', v_hlc);
            INSERT INTO central.legacy_ids (entity, legacy_id, new_id, cinema_id, only_node, hlc)
            VALUES (v_payload->>'entity', (v_payload->>'legacy_id')::bigint, v_new_id, v_cinema,
                    CASE WHEN v_payload->>'entity' = 'users' THEN p_customers_node END, v_hlc)
            ON CONFLICT (entity, legacy_id) DO NOTHING;
            IF FOUND THEN
                PERFORM central.publish(v_cinema, CASE WHEN v_payload->>'entity' = 'users' THEN p_customers_node END,
                    'central', 'legacy_ids', v_id, 'insert', v_hlc, v_payload);
            END IF;
        ELSE
            RAISE EXCEPTION 'an import carries no %', r.entity USING ERRCODE = '22023';
        END CASE;
    END LOOP;

    RETURN jsonb_build_object('merged_users', v_merged, 'reused_payment_methods', v_reused,
                              'cancelled_showtimes', v_cancelled, 'lost_seats', v_lost);
END
$$;
