-- BoxOfficeKit local store, schema version 3: booking codes count in sync_state instead of being
-- found by scanning every code of this node (which slowed each sale as the store grew).

ALTER TABLE sync_state ADD COLUMN last_booking_number INTEGER NOT NULL DEFAULT 0 CHECK (last_booking_number >= 0);

UPDATE sync_state SET last_booking_number = coalesce((
    SELECT max(CAST(substr(code, length(sync_state.code_prefix) + 2) AS INTEGER)) FROM bookings
    WHERE code > sync_state.code_prefix || '-' AND code < sync_state.code_prefix || '.'), 0);
