-- BoxOfficeKit head office: the old system's integer ids of the rows `boxoffice import-legacy
-- --central` brought in (see docs/legacy-import.md). The import itself is central.import_legacy
-- (../rules/legacy_import.sql).

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
