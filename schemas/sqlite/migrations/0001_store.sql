-- BoxOfficeKit local store: the tables, indexes and seed rows of a counter's SQLite store.
--
-- Tables change only by migrations, appended to this folder and never edited once shipped; the
-- triggers and views (the store's rules) live in ../rules/, one file per rule, and are re-applied
-- whenever one changes. The EmbedSchemas build plugin embeds both folders into BoxOfficeKit.
--
-- Conventions:
--   * ids of rows that travel to head office are UUIDv7 text made where the row was created;
--   * money is an INTEGER number of rupiah;
--   * instants are UTC text 'YYYY-MM-DD HH:MM:SS.SSS' (GRDB's Date format), so text order is time order;
--   * every synced row carries `hlc`, the hybrid-logical-clock stamp of its last local change, and
--     triggers copy each change into change_log in the same transaction.

-- ---------------------------------------------------------------------------------------------
-- Node identity and sync bookkeeping (local only)
-- ---------------------------------------------------------------------------------------------

CREATE TABLE sync_state (
    singleton        INTEGER PRIMARY KEY NOT NULL CHECK (singleton = 1),
    node_id          TEXT    NOT NULL,
    code_prefix      TEXT    NOT NULL CHECK (length(code_prefix) BETWEEN 2 AND 8),
    cinema_scope     TEXT,
    central_url      TEXT,
    last_hlc         TEXT    NOT NULL DEFAULT '',
    last_pushed_seq  INTEGER NOT NULL DEFAULT 0 CHECK (last_pushed_seq >= 0),
    feed_cursor      TEXT    NOT NULL DEFAULT '0',
    last_sync_at     TEXT,
    last_sync_error  TEXT,
    last_push_at     TEXT,
    last_pull_at     TEXT,
    -- Feed rows still waiting at head office after the last pull.
    feed_lag         INTEGER,
    -- The number in this node's latest booking code (codes count here instead of by scanning).
    last_booking_number INTEGER NOT NULL DEFAULT 0 CHECK (last_booking_number >= 0)
);

-- Which version of each file of rules/ the store runs (see Store/StoreRules.swift).
CREATE TABLE store_rules (
    name        TEXT PRIMARY KEY NOT NULL,
    version     INTEGER NOT NULL CHECK (version > 0),
    checksum    TEXT NOT NULL,
    applied_at  TEXT NOT NULL
);

-- Secrets that never leave this store (the OTP hashing key, the mail sealing key).
CREATE TABLE local_secrets (
    name   TEXT PRIMARY KEY NOT NULL,
    value  BLOB NOT NULL CHECK (length(value) >= 32)
);

-- While this table holds its row, the change-log triggers stay silent and the rules let head
-- office's state in (see ChangeLogSuppression.swift): the sync agent inserts the row, applies what
-- head office sent and deletes the row inside one savepoint, so nobody else ever sees it.
CREATE TABLE change_log_suppression (
    singleton  INTEGER PRIMARY KEY NOT NULL CHECK (singleton = 1)
);

CREATE TABLE change_log (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    hlc          TEXT    NOT NULL,
    entity       TEXT    NOT NULL,
    entity_id    TEXT    NOT NULL,
    operation    TEXT    NOT NULL CHECK (operation IN ('insert', 'update', 'delete')),
    payload      TEXT    NOT NULL CHECK (json_valid(payload)),
    recorded_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now'))
);

CREATE INDEX change_log_by_entity ON change_log (entity, entity_id);

-- ---------------------------------------------------------------------------------------------
-- Catalog
-- ---------------------------------------------------------------------------------------------

CREATE TABLE cinemas (
    id          TEXT PRIMARY KEY NOT NULL,
    name        TEXT NOT NULL CHECK (length(trim(name)) > 0),
    city        TEXT NOT NULL CHECK (length(trim(city)) > 0),
    address     TEXT NOT NULL DEFAULT '',
    time_zone   TEXT NOT NULL DEFAULT 'Asia/Jakarta' CHECK (length(time_zone) > 0),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    deleted_at  TEXT,
    hlc         TEXT NOT NULL
);

CREATE INDEX cinemas_by_name ON cinemas (name) WHERE deleted_at IS NULL;

CREATE TABLE studios (
    id           TEXT PRIMARY KEY NOT NULL,
    cinema_id    TEXT NOT NULL REFERENCES cinemas (id),
    name         TEXT NOT NULL CHECK (length(trim(name)) > 0),
    -- '' while the studio has no layout yet (an imported studio the old system had no seats for).
    layout_spec  TEXT NOT NULL,
    seat_count   INTEGER NOT NULL CHECK (seat_count >= 0),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    deleted_at   TEXT,
    hlc          TEXT NOT NULL,
    CONSTRAINT studios_layout_with_seats
        CHECK ((seat_count = 0 AND layout_spec = '') OR (seat_count > 0 AND length(trim(layout_spec)) > 0))
);

CREATE UNIQUE INDEX studios_one_name_per_cinema ON studios (cinema_id, name);

CREATE TABLE seats (
    id           TEXT PRIMARY KEY NOT NULL,
    studio_id    TEXT NOT NULL REFERENCES studios (id),
    row_label    TEXT NOT NULL CHECK (length(row_label) > 0),
    number       INTEGER NOT NULL CHECK (number > 0),
    label        TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('regular', 'vip', 'wheelchair', 'couple')),
    grid_row     INTEGER NOT NULL CHECK (grid_row >= 0),
    grid_column  INTEGER NOT NULL CHECK (grid_column >= 0),
    hlc          TEXT NOT NULL
);

CREATE UNIQUE INDEX seats_one_label_per_studio ON seats (studio_id, label);
CREATE UNIQUE INDEX seats_one_per_grid_cell ON seats (studio_id, grid_row, grid_column);

CREATE TABLE movies (
    id                TEXT PRIMARY KEY NOT NULL,
    title             TEXT NOT NULL CHECK (length(trim(title)) > 0),
    description       TEXT NOT NULL DEFAULT '',
    duration_minutes  INTEGER NOT NULL CHECK (duration_minutes BETWEEN 1 AND 600),
    release_date      TEXT CHECK (release_date IS NULL OR date(release_date) = release_date),
    genre             TEXT NOT NULL DEFAULT '',
    rating            TEXT NOT NULL DEFAULT '',
    poster_url        TEXT,
    director          TEXT NOT NULL DEFAULT '',
    cast_members      TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(cast_members) AND json_type(cast_members) = 'array'),
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    deleted_at        TEXT,
    hlc               TEXT NOT NULL
);

CREATE TABLE showtimes (
    id               TEXT PRIMARY KEY NOT NULL,
    cinema_id        TEXT NOT NULL REFERENCES cinemas (id),
    studio_id        TEXT NOT NULL REFERENCES studios (id),
    movie_id         TEXT NOT NULL REFERENCES movies (id),
    starts_at        TEXT NOT NULL,
    ends_at          TEXT NOT NULL CHECK (ends_at > starts_at),
    base_price       INTEGER NOT NULL CHECK (base_price >= 0),
    -- Per-seat-kind surcharges in rupiah, e.g. {"vip": 25000, "couple": 40000}.
    price_modifiers  TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(price_modifiers) AND json_type(price_modifiers) = 'object'),
    -- The stamp of the change that set the prices ('legacy': the old system's); tickets name it.
    -- The kit always sets it; a row written by hand without one has the version ''.
    price_version    TEXT NOT NULL DEFAULT '',
    status           TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled')),
    -- 1 while the price is not known (an imported price with a fraction of a rupiah): not on sale.
    price_needed     INTEGER NOT NULL DEFAULT 0 CHECK (price_needed IN (0, 1)),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    hlc              TEXT NOT NULL
);

CREATE INDEX showtimes_by_studio ON showtimes (studio_id, starts_at);
CREATE INDEX showtimes_by_cinema ON showtimes (cinema_id, starts_at);

CREATE TABLE payment_methods (
    id          TEXT PRIMARY KEY NOT NULL,
    code        TEXT NOT NULL CHECK (length(code) > 0 AND code NOT GLOB '*[^a-z0-9_]*'),
    name        TEXT NOT NULL CHECK (length(trim(name)) > 0),
    kind        TEXT NOT NULL CHECK (kind IN ('cash', 'card', 'qris', 'ewallet', 'virtual_account')),
    enabled     INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    sort_order  INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    hlc         TEXT NOT NULL
);

CREATE UNIQUE INDEX payment_methods_one_per_code ON payment_methods (code);

-- Every store starts with the same methods under the same ids, so no node ever pushes them.
INSERT INTO payment_methods (id, code, name, kind, enabled, sort_order, created_at, updated_at, hlc) VALUES
    ('00000000-0000-7000-8000-000000000001', 'cash',            'Cash',                           'cash',            1, 1, '1970-01-01 00:00:00.000', '1970-01-01 00:00:00.000', ''),
    ('00000000-0000-7000-8000-000000000002', 'debit_card',      'Debit card (EDC terminal)',      'card',            1, 2, '1970-01-01 00:00:00.000', '1970-01-01 00:00:00.000', ''),
    ('00000000-0000-7000-8000-000000000003', 'credit_card',     'Credit card (EDC terminal)',     'card',            1, 3, '1970-01-01 00:00:00.000', '1970-01-01 00:00:00.000', ''),
    ('00000000-0000-7000-8000-000000000004', 'qris',            'QRIS',                           'qris',            1, 4, '1970-01-01 00:00:00.000', '1970-01-01 00:00:00.000', ''),
    ('00000000-0000-7000-8000-000000000005', 'gopay',           'GoPay',                          'ewallet',         1, 5, '1970-01-01 00:00:00.000', '1970-01-01 00:00:00.000', ''),
    ('00000000-0000-7000-8000-000000000006', 'ovo',             'OVO',                            'ewallet',         1, 6, '1970-01-01 00:00:00.000', '1970-01-01 00:00:00.000', ''),
    ('00000000-0000-7000-8000-000000000007', 'virtual_account', 'Bank virtual account',           'virtual_account', 1, 7, '1970-01-01 00:00:00.000', '1970-01-01 00:00:00.000', '');

-- ---------------------------------------------------------------------------------------------
-- Accounts
-- ---------------------------------------------------------------------------------------------

CREATE TABLE users (
    id               TEXT PRIMARY KEY NOT NULL,
    name             TEXT NOT NULL CHECK (length(trim(name)) > 0),
    -- Stored lower-cased; NOCASE guards the uniqueness even if a writer forgets.
    email            TEXT NOT NULL COLLATE NOCASE CHECK (email LIKE '%_@_%'),
    phone            TEXT CHECK (phone IS NULL OR phone GLOB '+[1-9]*'),
    password_hash    TEXT NOT NULL CHECK (length(password_hash) > 0),
    role             TEXT NOT NULL CHECK (role IN ('customer', 'cashier', 'manager')),
    cinema_id        TEXT REFERENCES cinemas (id),
    verified_at      TEXT,
    -- Local-only: throttling state is not synced (see the users triggers below).
    failed_logins    INTEGER NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
    locked_until     TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    hlc              TEXT NOT NULL
);

CREATE UNIQUE INDEX users_one_account_per_email ON users (email);

CREATE TABLE otp_codes (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose      TEXT NOT NULL CHECK (purpose IN ('verify_email')),
    -- HMAC-SHA256 of the code under local_secrets 'otp_key'; the code itself is never stored.
    code_hash    TEXT NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL CHECK (expires_at > created_at),
    consumed_at  TEXT,
    voided_at    TEXT
);

CREATE INDEX otp_codes_by_user ON otp_codes (user_id, purpose, created_at);

CREATE TABLE sessions (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id         TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- SHA-256 (hex) of the 256-bit token; the token itself is never stored.
    token_hash      TEXT NOT NULL CHECK (length(token_hash) = 64),
    created_at      TEXT NOT NULL,
    last_active_at  TEXT NOT NULL,
    expires_at      TEXT NOT NULL CHECK (expires_at > created_at),
    revoked_at      TEXT
);

CREATE UNIQUE INDEX sessions_one_per_token ON sessions (token_hash);

-- ---------------------------------------------------------------------------------------------
-- Sales
-- ---------------------------------------------------------------------------------------------

-- Seats head office took out of sale for one showtime (broken, house seats, press).
CREATE TABLE seat_blocks (
    showtime_id  TEXT NOT NULL REFERENCES showtimes (id),
    seat_id      TEXT NOT NULL REFERENCES seats (id),
    reason       TEXT NOT NULL DEFAULT '',
    hlc          TEXT NOT NULL,
    PRIMARY KEY (showtime_id, seat_id)
);

-- Seats of one showtime that head office allotted to one node; only that node sells them offline.
-- Allotments are decided centrally and arrive by pull, so they have no change-log triggers.
CREATE TABLE seat_allotments (
    showtime_id  TEXT NOT NULL REFERENCES showtimes (id),
    seat_id      TEXT NOT NULL REFERENCES seats (id),
    node_id      TEXT NOT NULL,
    hlc          TEXT NOT NULL,
    PRIMARY KEY (showtime_id, seat_id)
);

CREATE TABLE bookings (
    id                 TEXT PRIMARY KEY NOT NULL,
    -- Human code for the receipt: the node's prefix plus a local sequence, unique across nodes.
    code               TEXT NOT NULL,
    showtime_id        TEXT NOT NULL REFERENCES showtimes (id),
    user_id            TEXT REFERENCES users (id),
    customer_name      TEXT,
    customer_email     TEXT,
    node_id            TEXT NOT NULL,
    channel            TEXT NOT NULL CHECK (channel IN ('counter', 'online', 'kiosk')),
    status             TEXT NOT NULL CHECK (status IN ('held', 'pending_payment', 'paid', 'cancelled', 'refunded', 'expired')),
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

CREATE UNIQUE INDEX bookings_one_per_code ON bookings (code);
CREATE INDEX bookings_by_user ON bookings (user_id, created_at);
CREATE INDEX bookings_by_showtime ON bookings (showtime_id, status);
CREATE INDEX bookings_by_hold_expiry ON bookings (hold_expires_at) WHERE status IN ('held', 'pending_payment');

CREATE TABLE tickets (
    id           TEXT PRIMARY KEY NOT NULL,
    booking_id   TEXT NOT NULL REFERENCES bookings (id),
    showtime_id  TEXT NOT NULL REFERENCES showtimes (id),
    seat_id      TEXT NOT NULL REFERENCES seats (id),
    price        INTEGER NOT NULL CHECK (price >= 0),
    -- The showtime's price version the price came from (showtimes.price_version).
    price_version TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL CHECK (status IN ('active', 'released')),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    hlc          TEXT NOT NULL
);

-- The rule a box office lives by: one active ticket per seat per showtime, enforced by SQLite.
CREATE UNIQUE INDEX tickets_one_active_per_seat ON tickets (showtime_id, seat_id) WHERE status = 'active';
CREATE INDEX tickets_by_booking ON tickets (booking_id);

-- ---------------------------------------------------------------------------------------------
-- Mail outbox (local only): written in the same transaction as the event that causes it.
-- ---------------------------------------------------------------------------------------------

CREATE TABLE mail_outbox (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id       TEXT NOT NULL,
    recipient        TEXT NOT NULL,
    subject          TEXT NOT NULL,
    -- The bodies, sealed with local_secrets 'mail_key' (AES-GCM), because an OTP mail holds a code.
    sealed_body      BLOB,
    status           TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_error       TEXT,
    next_attempt_at  TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    sent_at          TEXT,
    CHECK (status <> 'sent' OR sent_at IS NOT NULL)
);

CREATE UNIQUE INDEX mail_outbox_one_per_message ON mail_outbox (message_id);
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at) WHERE status = 'queued';

-- ---------------------------------------------------------------------------------------------
-- Sync bookkeeping (local only)
-- ---------------------------------------------------------------------------------------------

-- What head office decided against this counter's changes, and what it reported for this cinema:
-- a sale moved to another seat, a sale that needs a refund, a change it rejected. Kept for the
-- operator to see and resolve; ids are head office's.
CREATE TABLE sync_conflicts (
    id           TEXT PRIMARY KEY NOT NULL,
    -- quarantined: a feed row this store could not apply, kept here (details) instead of stopping the pull.
    kind         TEXT NOT NULL CHECK (kind IN ('reseated', 'refund_required', 'rejected', 'quarantined')),
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

-- Tickets that a pulled row pushed off their seat.
--
-- Head office's feed can deliver a ticket's older row before the row that moves it away (rows of
-- a transaction still running arrive a pull later). A local ticket that gave up its seat to such a
-- row is remembered here and takes its seat back once the seat is free again, unless head office
-- has since said something about that ticket itself.
CREATE TABLE sync_displaced_tickets (
    ticket_id  TEXT PRIMARY KEY NOT NULL REFERENCES tickets (id) ON DELETE CASCADE
);

-- ---------------------------------------------------------------------------------------------
-- The old system (`boxoffice import-legacy`, docs/legacy-import.md)
-- ---------------------------------------------------------------------------------------------

-- The old system's integer ids of imported rows: for each entity (named by the table the row went
-- to) the old id and the row's new id, so fronts that still speak the old API (`seatIds`,
-- `payment_method`, `booking_id`) can find the new rows. Several old ids may name one new row (two
-- old accounts whose emails differ only by case; two old seats with one label). Head office sends
-- its mapping with the rows (feed entity `legacy_ids`); a store import keeps its own here.
CREATE TABLE legacy_ids (
    entity     TEXT    NOT NULL CHECK (entity IN ('users', 'cinemas', 'studios', 'seats', 'movies', 'showtimes',
                                                  'payment_methods', 'bookings', 'tickets')),
    legacy_id  INTEGER NOT NULL,
    new_id     TEXT    NOT NULL CHECK (length(new_id) > 0),
    hlc        TEXT    NOT NULL,
    PRIMARY KEY (entity, legacy_id)
);

CREATE INDEX legacy_ids_by_new_id ON legacy_ids (entity, new_id);
