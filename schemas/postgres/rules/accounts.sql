-- version: 1
-- Accounts: one per email; two offline registrations of one email merge.

-- Users: one account per email. Two registrations of one email made offline are merged into the
-- earlier one, and the later one's bookings follow it.
CREATE OR REPLACE FUNCTION central.apply_user(p_node central.nodes, p_change jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_seq      bigint := (p_change->>'seq')::bigint;
    v_id       text := p_change->>'entity_id';
    v_hlc      text := p_change->>'hlc';
    v_payload  jsonb := p_change->'payload';
    v_role     text := v_payload->>'role';
    v_cinema   text := CASE WHEN v_payload->>'role' = 'customer' THEN NULL ELSE v_payload->>'cinema_id' END;
    v_only     text;
    v_existing central.users;
    v_twin     central.users;
    v_merged   text;
BEGIN
    IF p_change->>'operation' = 'delete' THEN
        RAISE EXCEPTION 'accounts are never deleted through sync' USING ERRCODE = '0A000';
    END IF;
    PERFORM central.check_scope(p_node, v_cinema);
    SELECT * INTO v_existing FROM central.users WHERE id = v_id;
    v_only := CASE WHEN v_role = 'customer' THEN coalesce(v_existing.origin_node, p_node.name) END;

    IF FOUND THEN
        IF v_existing.hlc >= v_hlc THEN
            RETURN central.outcome(v_seq, 'accepted', '{"superseded": true}');
        END IF;
        UPDATE central.users SET email = v_payload->>'email', role = v_role, cinema_id = v_cinema,
                                 hlc = v_hlc, payload = v_payload
        WHERE id = v_id;
        PERFORM central.publish(v_cinema, v_only, p_node.name, 'users', v_id, 'update', v_hlc, v_payload);
        RETURN central.outcome(v_seq, 'accepted');
    END IF;

    SELECT * INTO v_twin FROM central.users
    WHERE lower(email) = lower(v_payload->>'email') AND merged_into IS NULL FOR UPDATE;
    IF NOT FOUND THEN
        INSERT INTO central.users (id, cinema_id, email, role, origin_node, created_at, hlc, payload)
        VALUES (v_id, v_cinema, v_payload->>'email', v_role, p_node.name, v_payload->>'created_at', v_hlc, v_payload);
        PERFORM central.publish(v_cinema, v_only, p_node.name, 'users', v_id, 'insert', v_hlc, v_payload);
        RETURN central.outcome(v_seq, 'accepted');
    END IF;

    IF (v_twin.created_at, v_twin.id) <= (v_payload->>'created_at', v_id) THEN
        -- The account already here is the earlier one: the pushed one becomes its alias.
        INSERT INTO central.users (id, cinema_id, email, role, origin_node, created_at, merged_into, hlc, payload)
        VALUES (v_id, v_cinema, v_payload->>'email', v_role, p_node.name, v_payload->>'created_at', v_twin.id, v_hlc, v_payload);
        v_merged := v_twin.id;
    ELSE
        -- The pushed account is the earlier one: it takes over, the other becomes its alias.
        INSERT INTO central.users (id, cinema_id, email, role, origin_node, created_at, merged_into, hlc, payload)
        VALUES (v_id, v_cinema, v_payload->>'email', v_role, p_node.name, v_payload->>'created_at', v_twin.id, v_hlc, v_payload);
        UPDATE central.users SET merged_into = v_id WHERE id = v_twin.id OR merged_into = v_twin.id;
        UPDATE central.users SET merged_into = NULL WHERE id = v_id;
        PERFORM central.publish(v_cinema, v_only, p_node.name, 'users', v_id, 'insert', v_hlc, v_payload);
        PERFORM central.move_bookings(v_twin.id, v_id);
        v_merged := v_id;
    END IF;
    PERFORM central.move_bookings(v_id, v_merged);
    RETURN central.outcome(v_seq, 'accepted', jsonb_build_object('merged_into', v_merged));
END
$$;

-- Moves the bookings of a merged account to the account it was merged into.
CREATE OR REPLACE FUNCTION central.move_bookings(p_from text, p_to text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_booking central.bookings;
    v_hlc     text;
BEGIN
    IF p_from = p_to THEN RETURN; END IF;
    FOR v_booking IN SELECT * FROM central.bookings WHERE user_id = p_from FOR UPDATE LOOP
        v_hlc := central.hlc_after(v_booking.hlc);
        UPDATE central.bookings
        SET user_id = p_to, hlc = v_hlc, payload = jsonb_set(payload, '{user_id}', to_jsonb(p_to)) || jsonb_build_object('hlc', v_hlc)
        WHERE id = v_booking.id
        RETURNING * INTO v_booking;
        PERFORM central.publish(v_booking.cinema_id, NULL, 'central', 'bookings', v_booking.id, 'update', v_hlc, v_booking.payload);
    END LOOP;
END
$$;
