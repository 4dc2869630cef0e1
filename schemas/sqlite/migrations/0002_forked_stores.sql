-- Forked stores (issue 13): a store restored from a backup or copied reuses the change-log sequence
-- numbers and booking codes it had issued after the copy was made. The store now keeps what it
-- learned about that (Replica/StoreFork.swift, Store/StoreOrigin.swift), and a conflict record can
-- say that head office gave a booking a new code, naming the code its receipt was printed with.

-- How many times this store learned it forked, when it last did, what it told the cashier, and how
-- many of its changes it sent again under new numbers.
ALTER TABLE sync_state ADD COLUMN fork_count INTEGER NOT NULL DEFAULT 0 CHECK (fork_count >= 0);
ALTER TABLE sync_state ADD COLUMN forked_at TEXT;
ALTER TABLE sync_state ADD COLUMN fork_reason TEXT;
ALTER TABLE sync_state ADD COLUMN fork_resent INTEGER NOT NULL DEFAULT 0 CHECK (fork_resent >= 0);
-- The machine the store was last opened on (its /etc/machine-id), and how many booking-code
-- prefixes it has taken before its current one: a copy finds itself on another machine, or behind
-- the marker beside its file (<store>.origin), and takes a new prefix at once.
ALTER TABLE sync_state ADD COLUMN machine_id TEXT;
ALTER TABLE sync_state ADD COLUMN code_generation INTEGER NOT NULL DEFAULT 0 CHECK (code_generation >= 0);

-- sync_conflicts again, with the kind `recoded` and the code a recoded booking's receipt shows.
CREATE TABLE sync_conflicts_new (
    id           TEXT PRIMARY KEY NOT NULL,
    -- quarantined: a feed row this store could not apply, kept here (details) instead of stopping the pull.
    -- recoded: head office gave a booking a new code; printed_code is the one on its receipt.
    kind         TEXT NOT NULL CHECK (kind IN ('reseated', 'refund_required', 'rejected', 'quarantined', 'recoded')),
    node_name    TEXT,
    entity       TEXT NOT NULL,
    entity_id    TEXT NOT NULL,
    booking_id   TEXT,
    showtime_id  TEXT,
    seat_before  TEXT,
    seat_after   TEXT,
    reason       TEXT NOT NULL,
    details      TEXT CHECK (details IS NULL OR json_valid(details)),
    status       TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
    resolution   TEXT,
    created_at   TEXT NOT NULL,
    resolved_at  TEXT,
    printed_code TEXT
);

INSERT INTO sync_conflicts_new (id, kind, node_name, entity, entity_id, booking_id, showtime_id, seat_before, seat_after,
                                reason, details, status, resolution, created_at, resolved_at)
SELECT id, kind, node_name, entity, entity_id, booking_id, showtime_id, seat_before, seat_after,
       reason, details, status, resolution, created_at, resolved_at
FROM sync_conflicts;

DROP TABLE sync_conflicts;
ALTER TABLE sync_conflicts_new RENAME TO sync_conflicts;

CREATE INDEX sync_conflicts_open ON sync_conflicts (created_at) WHERE status = 'open';
CREATE INDEX sync_conflicts_by_printed_code ON sync_conflicts (printed_code) WHERE printed_code IS NOT NULL;
