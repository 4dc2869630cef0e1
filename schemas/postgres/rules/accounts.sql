-- version: 4
-- Accounts: one per email; two offline registrations of one email merge, in the order head office received them.

-- Customers' accounts. Staff accounts never come by push (the ownership table refuses them: they
-- change online at head office, central.add_staff), and a customer's account changes only at the
-- counter it was registered at; its email and role never change by push.
--
-- One account per email: of two registrations of one email made offline, the one head office
-- received first keeps the email, and the later one becomes its alias — its bookings follow. The
-- order is head office's, never a stamp or `created_at` the change claims.
--
-- A push touches one cinema's rows (docs/head-office-distribution.md), and the email's other
-- account may be any cinema's: so the push only keeps a new account as pending, its home cinema
-- the pushing counter's, and central.merge_accounts settles it after the push, in a transaction of
-- its own.
CREATE OR REPLACE FUNCTION central.apply_user(p_node central.nodes, p_change jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_seq      bigint := (p_change->>'seq')::bigint;
    v_id       text := p_change->>'entity_id';
    v_hlc      text := p_change->>'hlc';
    v_payload  jsonb := p_change->'payload';
    v_existing central.users;
BEGIN
    -- The ownership rule (permissions.sql) has refused an account of another counter.
    SELECT * INTO v_existing FROM central.users WHERE id = v_id FOR UPDATE;
    IF FOUND THEN
        IF v_existing.hlc >= v_hlc THEN
            RETURN central.outcome(v_seq, 'accepted', '{"superseded": true}');
        END IF;
        v_payload := v_payload || jsonb_build_object('email', v_existing.email, 'role', 'customer', 'cinema_id', NULL);
        UPDATE central.users SET hlc = v_hlc, payload = v_payload WHERE id = v_id;
        IF v_existing.merged_into IS NULL THEN
            PERFORM central.publish(NULL, v_existing.origin_node, p_node.name, 'users', v_id, 'update', v_hlc, v_payload);
        END IF;
        RETURN central.outcome(v_seq, 'accepted');
    END IF;

    v_payload := v_payload || jsonb_build_object('role', 'customer', 'cinema_id', NULL);
    INSERT INTO central.users (id, cinema_id, home_cinema_id, email, role, origin_node, created_at, merge_pending, hlc, payload)
    VALUES (v_id, NULL, p_node.cinema_id, v_payload->>'email', 'customer', p_node.name, coalesce(v_payload->>'created_at', ''),
            true, v_hlc, v_payload);
    PERFORM central.publish(NULL, p_node.name, p_node.name, 'users', v_id, 'insert', v_hlc, v_payload);
    RETURN central.outcome(v_seq, 'accepted', '{"merge_pending": true}');
END
$$;

-- Settles every account a push left pending, in the order head office received them: one whose
-- email a settled account already holds becomes that account's alias, and its bookings follow;
-- any other keeps its email. Returns how many became aliases.
--
-- It reads and writes accounts and bookings of every cinema, which is why no push runs it: the
-- sync agent calls it (sync_api.merge_accounts) after a push that brought an account, and head
-- office runs `boxoffice central merge-accounts`. Running it again, or from any counter, changes
-- nothing more: what it decides depends only on the accounts head office holds.
CREATE OR REPLACE FUNCTION central.merge_accounts() RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    v_account central.users;
    v_holder  central.users;
    v_merged  integer := 0;
BEGIN
    -- One merge at a time: two at once could each keep a pending account of one email.
    PERFORM pg_advisory_xact_lock(hashtext('central.merge_accounts'));
    FOR v_account IN SELECT * FROM central.users WHERE merge_pending ORDER BY received FOR UPDATE LOOP
        SELECT * INTO v_holder FROM central.users
        WHERE lower(email) = lower(v_account.email) AND merged_into IS NULL AND NOT merge_pending FOR SHARE;
        IF FOUND THEN
            UPDATE central.users SET merge_pending = false, merged_into = v_holder.id WHERE id = v_account.id;
            PERFORM central.move_bookings(v_account.id, v_holder.id);
            v_merged := v_merged + 1;
        ELSE
            UPDATE central.users SET merge_pending = false WHERE id = v_account.id;
        END IF;
    END LOOP;
    RETURN v_merged;
END
$$;

-- The account a booking of p_user belongs to: the one it was merged into, if it was. It holds a
-- share lock on a customer's account until the booking's push commits, so that a merge running
-- at the same moment either waits for the booking, and then moves it, or has committed, and the
-- booking is filed under the merged account at once.
CREATE OR REPLACE FUNCTION central.booking_account(p_user text) RETURNS text
LANGUAGE sql AS $$
    SELECT coalesce((SELECT merged_into FROM central.users WHERE id = p_user AND role = 'customer' FOR SHARE), p_user)
$$;

-- A counter's call: settles the accounts pushes left pending (central.merge_accounts).
CREATE OR REPLACE FUNCTION sync_api.merge_accounts() RETURNS integer
LANGUAGE sql SECURITY DEFINER SET search_path = central, pg_temp AS $$
    SELECT central.merge_accounts()
$$;

REVOKE ALL ON FUNCTION sync_api.merge_accounts() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sync_api.merge_accounts() TO boxoffice_node;

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

-- Staff accounts, made and changed online at head office (never by push): `boxoffice central staff
-- add` and `central staff password`, whose checks and hashes are the kit's (StaffAccount.swift).
-- An account of one cinema reaches that cinema's counters; one of the whole chain every counter.

-- Adds the staff account p_payload (a users payload without its stamp). Returns its id.
CREATE OR REPLACE FUNCTION central.add_staff(p_payload jsonb) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    v_hlc     text := central.hlc_after(NULL);
    v_payload jsonb := p_payload || jsonb_build_object('hlc', v_hlc);
    v_defect  text := central.payload_shape_defect('users', p_payload->>'id', 'insert', v_payload);
BEGIN
    IF v_defect IS NOT NULL THEN
        RAISE EXCEPTION 'this is no staff account: %', v_defect USING ERRCODE = '22023';
    END IF;
    IF v_payload->>'role' NOT IN ('cashier', 'manager') THEN
        RAISE EXCEPTION 'a staff account is a cashier or a manager, not %', v_payload->>'role' USING ERRCODE = '22023';
    END IF;
    IF v_payload->>'cinema_id' IS NOT NULL AND NOT EXISTS (SELECT 1 FROM central.cinemas WHERE id = v_payload->>'cinema_id') THEN
        RAISE EXCEPTION 'head office has no cinema %', v_payload->>'cinema_id' USING ERRCODE = '23503';
    END IF;
    IF EXISTS (SELECT 1 FROM central.users WHERE lower(email) = lower(v_payload->>'email') AND merged_into IS NULL) THEN
        RAISE EXCEPTION 'an account with email % already exists', v_payload->>'email' USING ERRCODE = '23505';
    END IF;
    INSERT INTO central.users (id, cinema_id, email, role, origin_node, created_at, hlc, payload)
    VALUES (v_payload->>'id', v_payload->>'cinema_id', v_payload->>'email', v_payload->>'role', 'central',
            v_payload->>'created_at', v_hlc, v_payload);
    PERFORM central.publish(v_payload->>'cinema_id', NULL, 'central', 'users', v_payload->>'id', 'insert', v_hlc, v_payload);
    RETURN v_payload->>'id';
END
$$;

-- The password hash of the staff account of p_email, to check an old password against; NULL when
-- there is no such account.
CREATE OR REPLACE FUNCTION central.staff_password_hash(p_email text) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT payload->>'password_hash' FROM central.users
    WHERE lower(email) = lower(p_email) AND role <> 'customer' AND merged_into IS NULL
$$;

-- Gives the staff account of p_email the password hash p_hash (its old password checked by the
-- caller against central.staff_password_hash), and sends it to the account's counters.
CREATE OR REPLACE FUNCTION central.set_staff_password(p_email text, p_hash text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_user central.users;
    v_hlc  text;
BEGIN
    SELECT * INTO v_user FROM central.users
    WHERE lower(email) = lower(p_email) AND role <> 'customer' AND merged_into IS NULL FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'head office has no staff account %', p_email USING ERRCODE = '23503';
    END IF;
    v_hlc := central.hlc_after(v_user.hlc);
    UPDATE central.users
    SET hlc = v_hlc, payload = payload || jsonb_build_object('password_hash', p_hash, 'hlc', v_hlc,
                                                             'updated_at', to_char(clock_timestamp() AT TIME ZONE 'UTC',
                                                                                   'YYYY-MM-DD HH24:MI:SS.MS'))
    WHERE id = v_user.id
    RETURNING * INTO v_user;
    PERFORM central.publish(v_user.cinema_id, NULL, 'central', 'users', v_user.id, 'update', v_hlc, v_user.payload);
END
$$;
