-- version: 8
-- Bookings pushed by a node: two copies of one booking merge to the later state of the booking
-- states rule (booking_states.sql), where money wins; other fields follow the newer HLC.
--
-- A hold is expired only by its own node: another node's word that it expired is no claim on its
-- state. When money reaches head office for a booking whose seats it gave away meanwhile (its hold
-- ran out and another sale took the seat), the reseat rule (reseat.sql) places its tickets again,
-- each with a conflict record where it could not keep its seat.
--
-- A booking's code is unique at head office. A store restored from a backup or copied (a fork,
-- push.sql) may have issued again a code the node had already used: its booking is taken with a new
-- code — the printed one and -2 (or -3, …), which no counter issues — and a `recoded` conflict record
-- naming the code printed on its receipt, so that the receipt still finds it; later changes of it
-- may still name the printed code, and each answer to one says the code head office gave it (a
-- store put back from a backup taken before the recode reached it learns it so). Only a code of the node's own earlier sales is given a new one: a
-- node reusing another's code is refused, as before.
--
-- A booking's code and showtime never change, and a pushed state is one the booking may reach
-- (booking_states.sql): no refund of a booking that was never paid. Once money is taken its total
-- stands; a booking still held may be repriced, to the sum of its tickets as head office has them.
CREATE OR REPLACE FUNCTION central.apply_booking(p_node central.nodes, p_change jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_seq      bigint := (p_change->>'seq')::bigint;
    v_id       text := p_change->>'entity_id';
    v_hlc      text := p_change->>'hlc';
    v_payload  jsonb := p_change->'payload';
    v_cinema   text;
    v_user     text;
    v_existing central.bookings;
    v_booking  central.bookings;
    v_rank     integer;
    v_restamped boolean;
    v_code     text := v_payload->>'code';
    v_holder   central.bookings;
    v_conflict text;
    v_recoded  jsonb := '{}';
BEGIN
    IF p_change->>'operation' = 'delete' THEN
        RAISE EXCEPTION 'bookings are never deleted; cancel or refund them' USING ERRCODE = '0A000';
    END IF;
    SELECT cinema_id INTO v_cinema FROM central.showtimes WHERE id = v_payload->>'showtime_id';
    IF v_cinema IS NULL THEN
        RAISE EXCEPTION 'unknown showtime %', v_payload->>'showtime_id' USING ERRCODE = '23503';
    END IF;
    -- A booking of a merged account belongs to the account it was merged into.
    v_user := v_payload->>'user_id';
    IF v_user IS NOT NULL THEN
        v_user := central.booking_account(v_user);
        v_payload := jsonb_set(v_payload, '{user_id}', to_jsonb(v_user));
    END IF;

    SELECT * INTO v_existing FROM central.bookings WHERE id = v_id FOR UPDATE;
    IF NOT FOUND THEN
        SELECT * INTO v_holder FROM central.bookings WHERE code = v_code;
        IF FOUND AND v_holder.origin_node = p_node.name AND v_code !~ '^OLD-' THEN
            v_code := (SELECT v_code || '-' || n FROM generate_series(2, 1000) n
                       WHERE NOT EXISTS (SELECT 1 FROM central.bookings WHERE code = v_code || '-' || n) ORDER BY n LIMIT 1);
            v_payload := v_payload || jsonb_build_object('code', v_code);
        END IF;
        INSERT INTO central.bookings (id, code, cinema_id, showtime_id, user_id, origin_node, status, hold_expires_at,
                                      sold_hlc, hlc, payload)
        VALUES (v_id, v_code, v_cinema, v_payload->>'showtime_id', v_user, p_node.name,
                v_payload->>'status', central.instant(v_payload->>'hold_expires_at'), v_payload->>'sold_hlc', v_hlc, v_payload);
        IF v_code IS DISTINCT FROM p_change->'payload'->>'code' THEN
            v_conflict := central.record_conflict(v_cinema, p_node.name, 'recoded', 'bookings', v_id, v_id,
                v_payload->>'showtime_id', NULL, NULL,
                'booking code ' || (p_change->'payload'->>'code') || ' was printed on two receipts of this counter (its store was '
                || 'restored from a backup or copied): this sale is now ' || v_code || '; its receipt still shows '
                || (p_change->'payload'->>'code'),
                jsonb_build_object('booking', p_change->'payload'), jsonb_build_object('booking', v_holder.payload),
                p_change->'payload'->>'code');
        END IF;
        PERFORM central.publish(v_cinema, NULL, p_node.name, 'bookings', v_id, 'insert', v_hlc, v_payload);
        IF v_conflict IS NOT NULL THEN
            RETURN central.outcome(v_seq, 'accepted', jsonb_build_object(
                'code', v_code, 'printed_code', p_change->'payload'->>'code', 'conflict_id', v_conflict));
        END IF;
        RETURN central.outcome(v_seq, 'accepted');
    END IF;

    -- A booking given a new code here may still be named by its printed one.
    IF v_existing.code <> v_code THEN
        SELECT jsonb_build_object('code', v_existing.code, 'printed_code', v_code, 'conflict_id', c.id) INTO v_recoded
        FROM central.conflicts c WHERE c.kind = 'recoded' AND c.booking_id = v_id AND c.printed_code = v_code
        ORDER BY c.created_at LIMIT 1;
        IF FOUND THEN
            v_payload := v_payload || jsonb_build_object('code', v_existing.code);
        END IF;
        v_recoded := coalesce(v_recoded, '{}');
    END IF;
    IF v_existing.code <> v_payload->>'code' OR v_existing.showtime_id <> v_payload->>'showtime_id' THEN
        RAISE EXCEPTION 'a booking''s code and showtime never change' USING ERRCODE = '22023';
    END IF;
    IF v_payload->>'status' IN ('refund_due', 'refunded') AND v_existing.status NOT IN ('paid', 'refund_due', 'refunded') THEN
        RAISE EXCEPTION 'booking % was never paid: it cannot be refunded', v_existing.code USING ERRCODE = '22023';
    END IF;
    IF (v_payload->>'total')::bigint <> (v_existing.payload->>'total')::bigint THEN
        IF v_existing.status NOT IN ('held', 'pending_payment') THEN
            RAISE EXCEPTION 'booking % was paid at %: its total does not change', v_existing.code, v_existing.payload->>'total'
                USING ERRCODE = '22023';
        END IF;
        IF (v_payload->>'total')::bigint <> (SELECT coalesce(sum((t.payload->>'price')::bigint), 0) FROM central.tickets t
                                              WHERE t.booking_id = v_id AND t.status = 'active') THEN
            RAISE EXCEPTION 'booking %''s new total % is not the sum of its tickets', v_existing.code, v_payload->>'total'
                USING ERRCODE = '22023';
        END IF;
    END IF;

    IF v_payload->>'status' = 'expired' AND p_node.name <> v_existing.origin_node THEN
        v_payload := jsonb_set(v_payload, '{status}', to_jsonb(v_existing.status));
    END IF;
    v_rank := central.booking_status_rank(v_payload->>'status') - central.booking_status_rank(v_existing.status);
    IF v_existing.hlc >= v_hlc AND v_rank <= 0 THEN
        RETURN central.outcome(v_seq, 'accepted', '{"superseded": true}' || v_recoded);
    END IF;
    -- The copy in the later state wins whole (a payment brings its method and time, a refund its
    -- amount); between copies in the same state, the newer stamp.
    IF v_rank < 0 OR (v_rank = 0 AND v_existing.hlc > v_hlc) THEN
        v_payload := v_existing.payload;
    END IF;
    -- A later state with an older stamp than head office's row is restamped after it, and sent to
    -- every node, its own included, so that their last-writer-wins takes it.
    v_restamped := v_existing.hlc >= v_hlc OR v_rank < 0;
    IF v_existing.hlc >= v_hlc THEN
        v_hlc := central.hlc_after(v_existing.hlc);
    END IF;
    v_payload := v_payload || jsonb_build_object('hlc', v_hlc);
    UPDATE central.bookings
    SET status = v_payload->>'status', user_id = v_payload->>'user_id', sold_hlc = v_payload->>'sold_hlc',
        hold_expires_at = central.instant(v_payload->>'hold_expires_at'), hlc = v_hlc, payload = v_payload
    WHERE id = v_id
    RETURNING * INTO v_booking;
    PERFORM central.publish(v_cinema, NULL, CASE WHEN v_restamped THEN 'central' ELSE p_node.name END,
        'bookings', v_id, 'update', v_hlc, v_payload);
    IF v_booking.status = 'paid' AND v_existing.status <> 'paid' THEN
        PERFORM central.reseat_released_tickets(v_booking, v_seq);
    END IF;
    RETURN central.outcome(v_seq, 'accepted', v_recoded);
END
$$;
