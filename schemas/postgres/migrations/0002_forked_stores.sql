-- Forked counter stores (issue 13): a store restored from a backup or copied reuses the change-log
-- sequence numbers and booking codes it had issued after the copy was made.
--
-- The inbox keeps a digest of every change it took, so a change that reuses a (node, seq) with
-- other content is told apart from a resend (rules/push.sql); each such meeting is kept in
-- central.node_forks. A node's booking-code prefixes are all kept, since a forked store takes a new
-- one (rules/nodes.sql); a booking whose code another booking already holds is given a new code,
-- with a `recoded` conflict record naming the code its receipt shows (rules/bookings.sql).

-- Whether push tells forks from resends (rules/push.sql). Only for a test harness that proves its
-- history checker catches a lost sale: nothing but the schema's owner can write this table, no
-- command sets it, and it is never to be turned off at a real head office.
ALTER TABLE central.settings ADD COLUMN fork_detection boolean NOT NULL DEFAULT true;

-- SHA-256 of the change as the node sent it; NULL for rows taken before this migration, which are
-- then trusted as before (a change with their seq is a resend).
ALTER TABLE central.inbox ADD COLUMN digest bytea;

-- Each time a node sent a change under a sequence number the inbox holds with other content.
CREATE TABLE central.node_forks (
    id           bigserial PRIMARY KEY,
    node_name    text NOT NULL REFERENCES central.nodes (name),
    seq          bigint NOT NULL,
    -- The first sequence number the node may use again: one past every one head office holds from it.
    next_seq     bigint NOT NULL,
    detected_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX node_forks_by_node ON central.node_forks (node_name, detected_at);

-- Every booking-code prefix a node was ever bound to: no two nodes share one, and a node's older
-- prefixes stay its own (its receipts printed with them are still valid).
CREATE TABLE central.node_prefixes (
    prefix       text PRIMARY KEY,
    node_name    text NOT NULL REFERENCES central.nodes (name),
    bound_at     timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX node_prefixes_by_node ON central.node_prefixes (node_name);

INSERT INTO central.node_prefixes (prefix, node_name)
SELECT code_prefix, name FROM central.nodes WHERE code_prefix IS NOT NULL;

-- A booking given a new code at head office keeps, in its `recoded` conflict record, the code its
-- receipt was printed with.
ALTER TABLE central.conflicts ADD COLUMN printed_code text;
ALTER TABLE central.conflicts DROP CONSTRAINT conflicts_kind_check;
ALTER TABLE central.conflicts ADD CONSTRAINT conflicts_kind_check
    CHECK (kind IN ('reseated', 'refund_required', 'rejected', 'recoded'));

CREATE INDEX conflicts_by_printed_code ON central.conflicts (printed_code) WHERE printed_code IS NOT NULL;

-- Which store of a node made a feed row: its booking-code prefix when it pushed (a store takes a
-- new one when it forks). A node's pull skips the rows its own store sent, but takes the ones
-- another store of the node sent (the original, or a copy): NULL for rows before this migration,
-- which count as the node's own. Push sets boxoffice.push_prefix for its transaction (rules/push.sql).
ALTER TABLE central.feed ADD COLUMN origin_prefix text DEFAULT nullif(current_setting('boxoffice.push_prefix', true), '');
