-- The feed ordered per scope (issue 14): a cinema, or the chain-wide scope `chain` (movies,
-- payment methods, chain-wide staff), each numbered 1, 2, 3, … by head office inside the writing
-- transaction (rules/feed.sql, central.number_feed), so that a pull never waits for a transaction
-- of another scope, another database or a report; docs/feed.md has the argument why no row is
-- ever skipped.

-- One row per scope: the last number it gave. A writing transaction raises it for each scope it
-- wrote, at its commit, and holds the row locked until it commits: the next writer of the scope
-- numbers after it. Never a SEQUENCE: a sequence is not rolled back, and a number taken by a
-- transaction that rolled back would be a hole the reader could not tell from a late row.
CREATE TABLE central.feed_scopes (
    scope     text PRIMARY KEY,
    last_seq  bigint NOT NULL DEFAULT 0 CHECK (last_seq >= 0)
);

-- A row's scope, its number in the scope, and for a cinema's row the chain-wide scope's last
-- number when it was numbered (`chain_horizon`): a counter applies the row only once it holds the
-- chain-wide rows up to there (a showtime never before its movie). NULL until the writing
-- transaction numbers its rows, just before it commits; no reader reads a row without a number.
ALTER TABLE central.feed ADD COLUMN scope text;
ALTER TABLE central.feed ADD COLUMN scope_seq bigint;
ALTER TABLE central.feed ADD COLUMN chain_horizon bigint;

-- The rows before this migration keep their order: (xid, id) below the old horizon was the order
-- every pull saw, so an old cursor still names a prefix of every scope (rules/pull.sql reads one).
WITH numbered AS (
    SELECT f.id, s.scope,
           row_number() OVER (PARTITION BY s.scope ORDER BY f.xid, f.id) AS seq,
           sum(CASE WHEN s.scope = 'chain' THEN 1 ELSE 0 END) OVER (ORDER BY f.xid, f.id) AS chain_seen
    FROM central.feed f
    CROSS JOIN LATERAL (SELECT coalesce(f.cinema_id, (SELECT n.cinema_id FROM central.nodes n WHERE n.name = f.only_node),
                                        'chain') AS scope) s
)
UPDATE central.feed f
SET scope = n.scope, scope_seq = n.seq, chain_horizon = CASE WHEN n.scope = 'chain' THEN NULL ELSE n.chain_seen END
FROM numbered n WHERE n.id = f.id;

INSERT INTO central.feed_scopes (scope, last_seq)
SELECT scope, max(scope_seq) FROM central.feed GROUP BY scope;
INSERT INTO central.feed_scopes (scope) VALUES ('chain') ON CONFLICT (scope) DO NOTHING;

CREATE UNIQUE INDEX feed_by_scope ON central.feed (scope, scope_seq);
-- The writing transaction finds its rows still to number by its id.
CREATE INDEX feed_to_number ON central.feed (xid) WHERE scope_seq IS NULL;
-- Pages are read by scope now; the old position index only slowed every write.
DROP INDEX central.feed_by_position;
