-- Head office's feed ordered per scope (issue 14).
--
-- `sync_state.feed_cursor` now holds a map from scope (`chain`, or a cinema's id) to the last
-- number this store applied of it, as JSON text that head office hands out with each page
-- (`{"chain": 12, "<cinema id>": 40}`); a cursor of the earlier protocol (`xid:id`) is read by head
-- office once and answered with the map.
--
-- A feed row this store cannot take yet, because the row it refers to has not arrived (a showtime
-- before its movie, a ticket before its booking), waits here and is tried again with every page
-- until it applies, is replaced by a later row of the same entity, or is deleted by one: never
-- skipped for good.
CREATE TABLE sync_deferred_feed (
    entity       TEXT NOT NULL,
    entity_id    TEXT NOT NULL,
    operation    TEXT NOT NULL,
    hlc          TEXT NOT NULL,
    payload      TEXT NOT NULL,
    deferred_at  TEXT NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 1 CHECK (attempts >= 1),
    PRIMARY KEY (entity, entity_id)
);
