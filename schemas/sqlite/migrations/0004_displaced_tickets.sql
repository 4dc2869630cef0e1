-- BoxOfficeKit local store, schema version 4: tickets that a pulled row pushed off their seat.
--
-- Head office's feed can deliver a ticket's older row before the row that moves it away (rows of
-- a transaction still running arrive a pull later). A local ticket that gave up its seat to such a
-- row is remembered here and takes its seat back once the seat is free again, unless head office
-- has since said something about that ticket itself.
CREATE TABLE sync_displaced_tickets (
    ticket_id  TEXT PRIMARY KEY NOT NULL REFERENCES tickets (id) ON DELETE CASCADE
);
