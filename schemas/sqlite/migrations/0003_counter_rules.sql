-- Counter-grade rules (issue 15).
--
-- A paid booking its customer cancelled waits as refund_due until staff return the money: the
-- status CHECK of bookings gains it. SQLite changes a CHECK only by rebuilding the table; the
-- migrator turns foreign keys off for the rebuild and checks them all when it ends, and the store's
-- rules (triggers, views) stand aside meanwhile and are put back after.
CREATE TABLE bookings_refund_due (
    id                 TEXT PRIMARY KEY NOT NULL,
    -- Human code for the receipt: the node's prefix plus a local sequence, unique across nodes.
    code               TEXT NOT NULL,
    showtime_id        TEXT NOT NULL REFERENCES showtimes (id),
    user_id            TEXT REFERENCES users (id),
    customer_name      TEXT,
    customer_email     TEXT,
    node_id            TEXT NOT NULL,
    channel            TEXT NOT NULL CHECK (channel IN ('counter', 'online', 'kiosk')),
    status             TEXT NOT NULL CHECK (status IN ('held', 'pending_payment', 'paid', 'refund_due', 'cancelled', 'refunded', 'expired')),
    total              INTEGER NOT NULL CHECK (total >= 0),
    payment_method_id  TEXT REFERENCES payment_methods (id),
    -- An external reference only (EDC approval code, QRIS reference): never a card number.
    payment_reference  TEXT,
    refund_amount      INTEGER CHECK (refund_amount IS NULL OR refund_amount >= 0),
    hold_expires_at    TEXT,
    sold_at            TEXT,
    sold_hlc           TEXT,
    created_by         TEXT REFERENCES users (id),
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    hlc                TEXT NOT NULL,
    CHECK (status <> 'paid' OR (payment_method_id IS NOT NULL AND sold_at IS NOT NULL)),
    CHECK (status <> 'held' OR hold_expires_at IS NOT NULL)
);

INSERT INTO bookings_refund_due SELECT * FROM bookings;
DROP TABLE bookings;
ALTER TABLE bookings_refund_due RENAME TO bookings;

CREATE UNIQUE INDEX bookings_one_per_code ON bookings (code);
CREATE INDEX bookings_by_user ON bookings (user_id, created_at);
CREATE INDEX bookings_by_showtime ON bookings (showtime_id, status);
CREATE INDEX bookings_by_hold_expiry ON bookings (hold_expires_at) WHERE status IN ('held', 'pending_payment');

-- A seat allotted to another counter is refused in that counter's name ("allotted to counter
-- braga-1"), which head office's feed carries beside the node's id.
ALTER TABLE seat_allotments ADD COLUMN node_name TEXT;
