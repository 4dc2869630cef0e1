-- BoxOfficeKit local store, schema version 2: what the sync agent keeps on the counter.

ALTER TABLE sync_state ADD COLUMN last_push_at TEXT;
ALTER TABLE sync_state ADD COLUMN last_pull_at TEXT;
-- Feed rows still waiting at head office after the last pull.
ALTER TABLE sync_state ADD COLUMN feed_lag INTEGER;

-- What head office decided against this counter's changes, and what it reported for this cinema:
-- a sale moved to another seat, a sale that needs a refund, a change it rejected. Kept for the
-- operator to see and resolve; ids are head office's.
CREATE TABLE sync_conflicts (
    id           TEXT PRIMARY KEY NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('reseated', 'refund_required', 'rejected')),
    node_name    TEXT,
    entity       TEXT NOT NULL,
    entity_id    TEXT NOT NULL,
    booking_id   TEXT,
    showtime_id  TEXT,
    seat_before  TEXT,
    seat_after   TEXT,
    reason       TEXT NOT NULL,
    -- Both sides as head office saw them (JSON), when it sent them.
    details      TEXT CHECK (details IS NULL OR json_valid(details)),
    status       TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
    resolution   TEXT,
    created_at   TEXT NOT NULL,
    resolved_at  TEXT
);

CREATE INDEX sync_conflicts_open ON sync_conflicts (created_at) WHERE status = 'open';

-- Applying head office's merged state may move a booking to any later state (head office orders
-- states as held < pending_payment < paid < expired < cancelled < refunded); local changes still
-- only move forward along the sale's own path.
DROP TRIGGER bookings_status_moves_forward;

CREATE TRIGGER bookings_status_moves_forward BEFORE UPDATE OF status ON bookings
WHEN NEW.status <> OLD.status AND NOT EXISTS (SELECT 1 FROM change_log_suppression) AND NOT (
       (OLD.status = 'held'            AND NEW.status IN ('pending_payment', 'paid', 'cancelled', 'expired'))
    OR (OLD.status = 'pending_payment' AND NEW.status IN ('paid', 'cancelled', 'expired'))
    OR (OLD.status = 'paid'            AND NEW.status IN ('cancelled', 'refunded')))
BEGIN
    SELECT RAISE(ABORT, 'booking status cannot move backwards');
END;

-- Head office is authoritative for the catalog: its showtimes are applied even where a local one
-- (one it rejected) would overlap them; local changes are still checked.
DROP TRIGGER showtimes_no_overlap_insert;
DROP TRIGGER showtimes_no_overlap_update;

CREATE TRIGGER showtimes_no_overlap_insert BEFORE INSERT ON showtimes
WHEN NEW.status = 'scheduled' AND NOT EXISTS (SELECT 1 FROM change_log_suppression) AND EXISTS (
    SELECT 1 FROM showtimes
    WHERE studio_id = NEW.studio_id AND status = 'scheduled' AND id <> NEW.id
      AND starts_at < NEW.ends_at AND ends_at > NEW.starts_at)
BEGIN
    SELECT RAISE(ABORT, 'showtime overlaps another showtime in this studio');
END;

CREATE TRIGGER showtimes_no_overlap_update BEFORE UPDATE OF studio_id, starts_at, ends_at, status ON showtimes
WHEN NEW.status = 'scheduled' AND NOT EXISTS (SELECT 1 FROM change_log_suppression) AND EXISTS (
    SELECT 1 FROM showtimes
    WHERE studio_id = NEW.studio_id AND status = 'scheduled' AND id <> NEW.id
      AND starts_at < NEW.ends_at AND ends_at > NEW.starts_at)
BEGIN
    SELECT RAISE(ABORT, 'showtime overlaps another showtime in this studio');
END;
