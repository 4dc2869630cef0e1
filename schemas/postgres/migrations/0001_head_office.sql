-- BoxOfficeKit head office (central PostgreSQL): the tables and indexes.
--
-- Tables change only by migrations, appended to this folder and never edited once shipped
-- (`boxoffice central init` applies each once, recorded in public.boxoffice_migrations). The
-- functions (head office's rules) live in ../rules/, one file per rule, and `central init`
-- re-applies them whenever one changes (recorded in public.boxoffice_rules).
--
-- Layout:
--   central   the tables; no node role can read or write them directly.
--   sync_api  the only functions a node role may call: push and pull, scoped to its own cinema.
--
-- Every domain row keeps the JSON payload the counter sent (the same shape as the counter's
-- change_log payloads) plus the columns the rules need, and `cinema_id`, so a chain that outgrows
-- one server can partition every table by cinema.

CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE SCHEMA central;
CREATE SCHEMA sync_api;
REVOKE ALL ON SCHEMA central FROM PUBLIC;
REVOKE ALL ON SCHEMA sync_api FROM PUBLIC;

-- Node roles are members of this group; it may call the sync_api functions and nothing else.
-- Roles belong to the whole server, so another database's initialisation may create it at the same moment.
DO $$
BEGIN
    CREATE ROLE boxoffice_node NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL;
END
$$;
GRANT USAGE ON SCHEMA sync_api TO boxoffice_node;

-- ---------------------------------------------------------------------------------------------
-- Nodes, policies, inbox, feed, conflicts
-- ---------------------------------------------------------------------------------------------

-- This head office: its id, which names its node roles (roles belong to the whole server, so two
-- head offices on one server — production and a staging copy — must never share a role), and the
-- clock skew it tolerates in a node's stamps.
CREATE TABLE central.settings (
    singleton         boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    head_office_id    text NOT NULL DEFAULT substr(md5(gen_random_uuid()::text), 1, 10) CHECK (head_office_id ~ '^[0-9a-f]{10}$'),
    -- A stamp further ahead of head office's clock than this is clamped to it (rules/hlc.sql).
    max_clock_skew    interval NOT NULL DEFAULT '5 minutes'
);
INSERT INTO central.settings DEFAULT VALUES;

CREATE TABLE central.nodes (
    name            text PRIMARY KEY CHECK (name ~ '^[a-z0-9][a-z0-9_-]{0,39}$'),
    role_name       text NOT NULL UNIQUE,
    cinema_id       text,
    all_cinemas     boolean NOT NULL DEFAULT false,
    -- The counter store's own node id and booking-code prefix, bound at its first call: one store
    -- per node, and no two nodes issue codes of one prefix.
    store_node_id   text UNIQUE,
    code_prefix     text UNIQUE,
    created_at      timestamptz NOT NULL DEFAULT now(),
    last_push_at    timestamptz,
    last_pull_at    timestamptz,
    -- A revoked node may no longer call; its allotments and holds were released (central revoke-node).
    revoked_at      timestamptz,
    CHECK (all_cinemas = (cinema_id IS NULL))
);

CREATE TABLE central.cinema_policies (
    cinema_id    text PRIMARY KEY,
    seat_policy  text NOT NULL DEFAULT 'first-accepted' CHECK (seat_policy IN ('first-accepted', 'earliest-sale-wins'))
);

-- One row per change received: a batch sent twice is applied once, and the resend gets the same outcome.
CREATE TABLE central.inbox (
    node_name    text NOT NULL REFERENCES central.nodes (name),
    seq          bigint NOT NULL,
    entity       text NOT NULL,
    entity_id    text NOT NULL,
    outcome      jsonb NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (node_name, seq)
);

-- Every accepted change, for the nodes to pull. `xid` is the writing transaction's id: a reader
-- pages by (xid, id) and reads only below the oldest transaction still running, so rows of
-- transactions that commit out of id order are never skipped.
CREATE TABLE central.feed (
    id           bigserial PRIMARY KEY,
    xid          xid8 NOT NULL DEFAULT pg_current_xact_id(),
    cinema_id    text,            -- NULL: every node (movies, payment methods, chain-wide staff)
    only_node    text,            -- set: only this node (a customer account goes back only where it was made)
    origin_node  text NOT NULL,   -- who made the change ('central' for head office's own decisions)
    entity       text NOT NULL,
    entity_id    text NOT NULL,
    operation    text NOT NULL CHECK (operation IN ('insert', 'update', 'delete')),
    hlc          text NOT NULL,
    payload      jsonb NOT NULL,
    recorded_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX feed_by_position ON central.feed (xid, id);

CREATE TABLE central.conflicts (
    id            text PRIMARY KEY DEFAULT gen_random_uuid()::text,
    cinema_id     text NOT NULL,
    node_name     text NOT NULL,   -- the node whose sale lost
    kind          text NOT NULL CHECK (kind IN ('reseated', 'refund_required', 'rejected')),
    entity        text NOT NULL,
    entity_id     text NOT NULL,
    booking_id    text,
    showtime_id   text,
    seat_before   text,            -- seat labels, for people
    seat_after    text,
    reason        text NOT NULL,
    -- Both sides: what the node sent, and what head office already had.
    node_side     jsonb NOT NULL,
    central_side  jsonb,
    status        text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
    resolution    text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    resolved_at   timestamptz
);

CREATE INDEX conflicts_open ON central.conflicts (cinema_id, created_at) WHERE status = 'open';
CREATE INDEX conflicts_by_entity ON central.conflicts (entity_id);

-- Who may send which change by push (schemas/permissions.csv, loaded by central init): the one
-- ownership table head office and the counters both follow.
CREATE TABLE central.permissions (
    entity     text NOT NULL,
    operation  text NOT NULL CHECK (operation IN ('insert', 'update', 'delete')),
    by_push    text NOT NULL CHECK (by_push IN ('never', 'head_office', 'own_cinema', 'origin_node', 'any_node')),
    PRIMARY KEY (entity, operation)
);

-- The keys of each entity's payload (schemas/payloads.csv, loaded by central init): a pushed
-- change's payload has every key of its entity, no other, each of its type (rules/change_validity.sql).
CREATE TABLE central.payload_fields (
    entity    text NOT NULL,
    key       text NOT NULL,
    type      text NOT NULL CHECK (type IN ('text', 'instant', 'integer', 'object', 'array')),
    nullable  boolean NOT NULL,
    position  integer NOT NULL,
    PRIMARY KEY (entity, key)
);

-- A node's stamp head office did not take as sent (rules/hlc.sql): too far ahead of head office's
-- clock, not a stamp at all, or a sale's stamp from before the node's last pull; and what head
-- office made of it.
CREATE TABLE central.clock_reports (
    id          bigserial PRIMARY KEY,
    node_name   text NOT NULL,
    seq         bigint NOT NULL,
    field       text NOT NULL CHECK (field IN ('hlc', 'sold_hlc')),
    sent_hlc    text NOT NULL,
    clamped_to  text NOT NULL,
    at          timestamptz NOT NULL DEFAULT now()
);

-- Every time a push's set-wise path gave a batch to the per-change rules because it failed, and
-- why: the outcomes are the same either way, so this is where a slowdown shows its cause.
CREATE TABLE central.push_fallbacks (
    id          bigserial PRIMARY KEY,
    node_name   text NOT NULL,
    stage       text NOT NULL,
    sqlstate    text NOT NULL,
    message     text NOT NULL,
    at          timestamptz NOT NULL DEFAULT now()
);

-- ---------------------------------------------------------------------------------------------
-- Domain tables
-- ---------------------------------------------------------------------------------------------

CREATE TABLE central.cinemas (
    id         text PRIMARY KEY,
    cinema_id  text GENERATED ALWAYS AS (id) STORED,
    hlc        text NOT NULL,
    payload    jsonb NOT NULL
);

CREATE TABLE central.studios (
    id         text PRIMARY KEY,
    cinema_id  text NOT NULL REFERENCES central.cinemas (id),
    hlc        text NOT NULL,
    payload    jsonb NOT NULL
);

CREATE TABLE central.seats (
    id           text PRIMARY KEY,
    studio_id    text NOT NULL REFERENCES central.studios (id),
    cinema_id    text NOT NULL,
    label        text NOT NULL,
    kind         text NOT NULL,
    grid_row     integer NOT NULL,
    grid_column  integer NOT NULL,
    hlc          text NOT NULL,
    payload      jsonb NOT NULL
);

CREATE INDEX seats_by_studio_kind ON central.seats (studio_id, kind, grid_row, grid_column);

CREATE TABLE central.movies (
    id         text PRIMARY KEY,
    cinema_id  text,              -- movies are chain-wide
    hlc        text NOT NULL,
    payload    jsonb NOT NULL
);

CREATE TABLE central.showtimes (
    id         text PRIMARY KEY,
    cinema_id  text NOT NULL REFERENCES central.cinemas (id),
    studio_id  text NOT NULL REFERENCES central.studios (id),
    movie_id   text NOT NULL REFERENCES central.movies (id),
    starts_at  timestamptz NOT NULL,
    ends_at    timestamptz NOT NULL,
    status     text NOT NULL,
    hlc        text NOT NULL,
    payload    jsonb NOT NULL,
    CHECK (ends_at > starts_at),
    -- Checked again centrally: two scheduled showtimes never overlap in one studio.
    CONSTRAINT showtimes_no_overlap EXCLUDE USING gist (studio_id WITH =, tstzrange(starts_at, ends_at) WITH &&)
        WHERE (status = 'scheduled')
);

-- Every price of a showtime head office took from an authorised sender, by the showtime's stamp
-- at the time (its price version): a ticket names the version it was priced from, and any
-- version head office took places it, so a price changed while a counter was offline never turns
-- an honest sale into a refusal (rules/prices.sql).
CREATE TABLE central.showtime_prices (
    showtime_id      text NOT NULL REFERENCES central.showtimes (id),
    version          text NOT NULL,
    base_price       bigint NOT NULL CHECK (base_price >= 0),
    price_modifiers  jsonb NOT NULL,
    recorded_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (showtime_id, version)
);

CREATE TABLE central.payment_methods (
    id         text PRIMARY KEY,
    cinema_id  text,              -- chain-wide
    hlc        text NOT NULL,
    payload    jsonb NOT NULL
);

CREATE TABLE central.users (
    id            text PRIMARY KEY,
    cinema_id     text,           -- staff: their cinema, NULL for chain-wide staff; customers: NULL
    email         text NOT NULL,
    role          text NOT NULL,
    origin_node   text NOT NULL,
    created_at    text NOT NULL,
    -- Two offline registrations of one email: the later account is merged into the earlier one.
    merged_into   text REFERENCES central.users (id),
    hlc           text NOT NULL,
    payload       jsonb NOT NULL
);

CREATE UNIQUE INDEX users_one_account_per_email ON central.users (lower(email)) WHERE merged_into IS NULL;

CREATE TABLE central.seat_blocks (
    showtime_id  text NOT NULL REFERENCES central.showtimes (id),
    seat_id      text NOT NULL REFERENCES central.seats (id),
    cinema_id    text NOT NULL,
    hlc          text NOT NULL,
    payload      jsonb NOT NULL,
    PRIMARY KEY (showtime_id, seat_id)
);

CREATE TABLE central.seat_allotments (
    showtime_id  text NOT NULL REFERENCES central.showtimes (id),
    seat_id      text NOT NULL REFERENCES central.seats (id),
    cinema_id    text NOT NULL,
    node_name    text NOT NULL REFERENCES central.nodes (name),
    hlc          text NOT NULL,
    PRIMARY KEY (showtime_id, seat_id)
);

CREATE TABLE central.bookings (
    id           text PRIMARY KEY,
    code         text NOT NULL UNIQUE,
    cinema_id    text NOT NULL,
    showtime_id  text NOT NULL REFERENCES central.showtimes (id),
    user_id      text,
    origin_node  text NOT NULL,
    status       text NOT NULL,
    -- A hold that ran out holds no seat (rules/seats.sql).
    hold_expires_at timestamptz,
    sold_hlc     text,
    hlc          text NOT NULL,
    payload      jsonb NOT NULL
);

CREATE INDEX bookings_by_showtime ON central.bookings (showtime_id);
CREATE INDEX bookings_by_user ON central.bookings (user_id);

CREATE TABLE central.tickets (
    id           text PRIMARY KEY,
    booking_id   text NOT NULL REFERENCES central.bookings (id),
    cinema_id    text NOT NULL,
    showtime_id  text NOT NULL REFERENCES central.showtimes (id),
    seat_id      text NOT NULL REFERENCES central.seats (id),
    status       text NOT NULL CHECK (status IN ('active', 'released')),
    hlc          text NOT NULL,
    payload      jsonb NOT NULL
);

-- Head office's promise: exactly one active ticket per seat of a showtime.
CREATE UNIQUE INDEX tickets_one_active_per_seat ON central.tickets (showtime_id, seat_id) WHERE status = 'active';
CREATE INDEX tickets_by_booking ON central.tickets (booking_id);

-- ---------------------------------------------------------------------------------------------
-- The old system's ids of the rows `boxoffice import-legacy --central` brought in (the import
-- itself is central.import_legacy, ../rules/legacy_import.sql; see docs/legacy-import.md)
-- ---------------------------------------------------------------------------------------------

-- For each entity (the table the row went to) the old id and the new row's id. Several old ids may
-- name one row (two old accounts whose emails differ only by case). Every row is published to the
-- feed with the row it names (feed entity `legacy_ids`, payload {entity, legacy_id, new_id, hlc}),
-- scoped like that row: `cinema_id` of its cinema (NULL for chain-wide movies and payment methods),
-- `only_node` the customers' node for accounts.
CREATE TABLE central.legacy_ids (
    entity       text   NOT NULL CHECK (entity IN ('users', 'cinemas', 'studios', 'seats', 'movies', 'showtimes',
                                                    'payment_methods', 'bookings', 'tickets')),
    legacy_id    bigint NOT NULL,
    new_id       text   NOT NULL,
    cinema_id    text,
    only_node    text,
    hlc          text   NOT NULL,
    imported_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (entity, legacy_id)
);

CREATE INDEX legacy_ids_by_new_id ON central.legacy_ids (entity, new_id);
