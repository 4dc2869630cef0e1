-- BoxOfficeKit local store: what `boxoffice import-legacy` brings from the old Go/PostgreSQL
-- system (see docs/legacy-import.md).

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

-- A studio may exist without a layout yet (seat_count 0, layout_spec ''): the old database has
-- studios without seats, imported so that their showtimes and history stay, and not on sale until
-- a manager completes the layout. SQLite cannot relax a CHECK in place, so the table is rebuilt
-- (https://sqlite.org/lang_altertable.html#otheralter); legacy_alter_table keeps the rename from
-- checking the rules' triggers that name `studios` while it does not exist. Dropping the table
-- dropped its triggers: forgetting the recorded rules makes the store apply them all again.
PRAGMA legacy_alter_table = ON;

CREATE TABLE studios_rebuilt (
    id           TEXT PRIMARY KEY NOT NULL,
    cinema_id    TEXT NOT NULL REFERENCES cinemas (id),
    name         TEXT NOT NULL CHECK (length(trim(name)) > 0),
    -- '' while the studio has no layout yet.
    layout_spec  TEXT NOT NULL,
    seat_count   INTEGER NOT NULL CHECK (seat_count >= 0),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    deleted_at   TEXT,
    hlc          TEXT NOT NULL,
    CONSTRAINT studios_layout_with_seats
        CHECK ((seat_count = 0 AND layout_spec = '') OR (seat_count > 0 AND length(trim(layout_spec)) > 0))
);

INSERT INTO studios_rebuilt (id, cinema_id, name, layout_spec, seat_count, created_at, updated_at, deleted_at, hlc)
SELECT id, cinema_id, name, layout_spec, seat_count, created_at, updated_at, deleted_at, hlc FROM studios;

DROP TABLE studios;

ALTER TABLE studios_rebuilt RENAME TO studios;

PRAGMA legacy_alter_table = OFF;

CREATE UNIQUE INDEX studios_one_name_per_cinema ON studios (cinema_id, name);

DELETE FROM store_rules;

-- A showtime whose price is not known yet (the old price had a fraction of a rupiah, or none) is
-- kept, with its bookings, but not on sale until a manager sets the price.
ALTER TABLE showtimes ADD COLUMN price_needed INTEGER NOT NULL DEFAULT 0 CHECK (price_needed IN (0, 1));
