-- A push writes one cinema's rows (issue 14). A customer's account is its home cinema's: the
-- cinema of the counter it was registered at. The merge of two registrations of one email, which
-- reads and writes accounts of every cinema, no longer runs inside the push that brings the second
-- one: the push keeps the account as pending, and central.merge_accounts (rules/accounts.sql),
-- run after the push in a transaction of its own, merges the pending accounts in the order head
-- office received them (docs/head-office-distribution.md).

-- The cinema of the counter that registered a customer; NULL for staff, whose cinema_id says where
-- they work, and for customers of a node that serves every cinema.
ALTER TABLE central.users ADD COLUMN home_cinema_id text;
UPDATE central.users u SET home_cinema_id = n.cinema_id
FROM central.nodes n WHERE u.role = 'customer' AND n.name = u.origin_node;

-- Whether the account's email is still to be checked against the chain's other accounts.
ALTER TABLE central.users ADD COLUMN merge_pending boolean NOT NULL DEFAULT false;

-- The order head office received the accounts in, which decides a merge (never a stamp or a
-- created_at the counter claims). Only an order: a number a rolled-back push took is simply unused.
ALTER TABLE central.users ADD COLUMN received bigint GENERATED ALWAYS AS IDENTITY;

-- One account per email, among the accounts whose email has been checked.
DROP INDEX central.users_one_account_per_email;
CREATE UNIQUE INDEX users_one_account_per_email ON central.users (lower(email)) WHERE merged_into IS NULL AND NOT merge_pending;
CREATE INDEX users_merge_pending ON central.users (received) WHERE merge_pending;
