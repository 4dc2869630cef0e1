-- version: 5
-- The change log: every change to a synced table is journalled in the same transaction, as the
-- JSON of the row, stamped with the row's HLC. Deletes are stamped with the store's latest HLC,
-- since the deleted row carries only its old one. While change_log_suppression holds its row (head
-- office's own state being applied), nothing is journalled.
--
-- Each synced table's payload is its view `<table>_payload` (the columns that travel, by name),
-- which its insert and update triggers both journal; the feed applies pulled rows by the same
-- names (Replica/FeedEntity.swift), and ChangeLogTests proves the two name the same columns.
-- Login throttling (users.failed_logins, locked_until), OTPs, sessions and mail never travel, and
-- neither do staff accounts: they are made and changed online at head office (the ownership table,
-- schemas/permissions.csv), which sends them down its feed; one made at a counter stays there. Nor
-- is any change journalled that the table says no node sends (deletes of showtimes, bookings,
-- tickets and accounts: they are cancelled, refunded or released instead); OwnershipJournalTests
-- walks the table against these triggers.

CREATE VIEW cinemas_payload AS
SELECT id,
    json_object('id', id, 'name', name, 'city', city, 'address', address, 'time_zone', time_zone,
        'created_at', created_at, 'updated_at', updated_at, 'deleted_at', deleted_at, 'hlc', hlc) AS payload
FROM cinemas;

CREATE TRIGGER cinemas_log_insert AFTER INSERT ON cinemas
WHEN NOT EXISTS (SELECT 1 FROM change_log_suppression)
BEGIN
    INSERT INTO change_log (hlc, entity, entity_id, operation, payload)
    SELECT NEW.hlc, 'cinemas', NEW.id, 'insert', payload FROM cinemas_payload WHERE id = NEW.id;
END;

CREATE TRIGGER cinemas_log_update AFTER UPDATE ON cinemas
WHEN NOT EXISTS (SELECT 1 FROM change_log_suppression)
BEGIN
    INSERT INTO change_log (hlc, entity, entity_id, operation, payload)
    SELECT NEW.hlc, 'cinemas', NEW.id, 'update', payload FROM cinemas_payload WHERE id = NEW.id;
END;

CREATE TRIGGER cinemas_log_delete AFTER DELETE ON cinemas
WHEN NOT EXISTS (SELECT 1 FROM change_log_suppression)
BEGIN
    INSERT INTO change_log (hlc, entity, entity_id, operation, payload)
    VALUES ((SELECT last_hlc FROM sync_state), 'cinemas', OLD.id, 'delete', json_object('id', OLD.id));
END;

CREATE VIEW studios_payload AS
SELECT id,
    json_object('id', id, 'cinema_id', cinema_id, 'name', name, 'layout_spec', layout_spec,
        'seat_count', seat_count, 'created_at', created_at, 'updated_at', updated_at,
        'deleted_at', deleted_at, 'hlc', hlc) AS payload
FROM studios;

CREATE TRIGGER studios_log_insert AFTER INSERT ON studios
WHEN NOT EXISTS (SELECT 1 FROM change_log_suppression)
BEGIN
    INSERT INTO change_log (hlc, entity, entity_id, operation, payload)
    SELECT NEW.hlc, 'studios', NEW.id, 'insert', payload FROM studios_payload WHERE id = NEW.id;
END;

CREATE TRIGGER studios_log_update AFTER UPDATE ON studios
WHEN NOT EXISTS (SELECT 1 FROM change_log_suppression)
BEGIN
    INSERT INTO change_log (hlc, entity, entity_id, operation, payload)
    SELECT NEW.hlc, 'studios', NEW.id, 'update', payload FROM studios_payload WHERE id = NEW.id;
END;

CREATE TRIGGER studios_log_delete AFTER DELETE ON studios
WHEN NOT EXISTS (SELECT 1 FROM change_log_suppression)
BEGIN
    INSERT INTO change_log (hlc, entity, entity_id, operation, payload)
    VALUES ((SELECT last_hlc FROM sync_state), 'studios', OLD.id, 'delete', json_object('id', OLD.id));
END;

CREATE VIEW seats_payload AS
SELECT id,
    json_object('id', id, 'studio_id', studio_id, 'row_label', row_label, 'number', number, 'label', label,
        'kind', kind, 'grid_row', grid_row, 'grid_column', grid_column, 'hlc', hlc) AS payload
FROM seats;

CREATE TRIGGER seats_log_insert AFTER INSERT ON seats
WHEN NOT EXISTS (SELECT 1 FROM change_log_suppression)
BEGIN
    INSERT INTO change_log (hlc, entity, entity_id, operation, payload)
    SELECT NEW.hlc, 'seats', NEW.id, 'insert', payload FROM seats_payload WHERE id = NEW.id;
END;

CREATE TRIGGER seats_log_update AFTER UPDATE ON seats
WHEN NOT EXISTS (SELECT 1 FROM change_log_suppression)
BEGIN
    INSERT INTO change_log (hlc, entity, entity_id, operation, payload)
    SELECT NEW.hlc, 'seats', NEW.id, 'update', payload FROM seats_payload WHERE id = NEW.id;
END;

CREATE TRIGGER seats_log_delete AFTER DELETE ON seats
WHEN NOT EXISTS (SELECT 1 FROM change_log_suppression)
BEGIN
    INSERT INTO change_log (hlc, entity, entity_id, operation, payload)
    VALUES ((SELECT last_hlc FROM sync_state), 'seats', OLD.id, 'delete', json_object('id', OLD.id));
END;

CREATE VIEW movies_payload AS
SELECT id,
    json_object('id', id, 'title', title, 'description', description, 'duration_minutes', duration_minutes,
        'release_date', release_date, 'genre', genre, 'rating', rating, 'poster_url', poster_url,
        'director', director, 'cast_members', json(cast_members), 'created_at', created_at,
        'updated_at', updated_at, 'deleted_at', deleted_at, 'hlc', hlc) AS payload
FROM movies;

CREATE TRIGGER movies_log_insert AFTER INSERT ON movies
WHEN NOT EXISTS (SELECT 1 FROM change_log_suppression)
BEGIN
    INSERT INTO change_log (hlc, entity, entity_id, operation, payload)
    SELECT NEW.hlc, 'movies', NEW.id, 'insert', payload FROM movies_payload WHERE id = NEW.id;
END;

CREATE TRIGGER movies_log_update AFTER UPDATE ON movies
WHEN NOT EXISTS (SELECT 1 FROM change_log_suppression)
BEGIN
    INSERT INTO change_log (hlc, entity, entity_id, operation, payload)
    SELECT NEW.hlc, 'movies', NEW.id, 'update', payload FROM movies_payload WHERE id = NEW.id;
END;

CREATE TRIGGER movies_log_delete AFTER DELETE ON movies
WHEN NOT EXISTS (SELECT 1 FROM change_log_suppression)
BEGIN
    INSERT INTO change_log (hlc, entity, entity_id, operation, payload)
    VALUES ((SELECT last_hlc FROM sync_state), 'movies', OLD.id, 'delete', json_object('id', OLD.id));
END;

CREATE VIEW showtimes_payload AS
SELECT id,
    json_object('id', id, 'cinema_id', cinema_id, 'studio_id', studio_id, 'movie_id', movie_id,
        'starts_at', starts_at, 'ends_at', ends_at, 'base_price', base_price,
        'price_modifiers', json(price_modifiers), 'price_version', price_version, 'price_needed', price_needed,
        'status', status,
        'created_at', created_at, 'updated_at', updated_at, 'hlc', hlc) AS payload
FROM showtimes;

CREATE TRIGGER showtimes_log_insert AFTER INSERT ON showtimes
WHEN NOT EXISTS (SELECT 1 FROM change_log_suppression)
BEGIN
    INSERT INTO change_log (hlc, entity, entity_id, operation, payload)
    SELECT NEW.hlc, 'showtimes', NEW.id, 'insert', payload FROM showtimes_payload WHERE id = NEW.id;
END;

CREATE TRIGGER showtimes_log_update AFTER UPDATE ON showtimes
WHEN NOT EXISTS (SELECT 1 FROM change_log_suppression)
BEGIN
    INSERT INTO change_log (hlc, entity, entity_id, operation, payload)
    SELECT NEW.hlc, 'showtimes', NEW.id, 'update', payload FROM showtimes_payload WHERE id = NEW.id;
END;

CREATE VIEW payment_methods_payload AS
SELECT id,
    json_object('id', id, 'code', code, 'name', name, 'kind', kind, 'enabled', enabled,
        'sort_order', sort_order, 'created_at', created_at, 'updated_at', updated_at, 'hlc', hlc) AS payload
FROM payment_methods;

CREATE TRIGGER payment_methods_log_insert AFTER INSERT ON payment_methods
WHEN NOT EXISTS (SELECT 1 FROM change_log_suppression)
BEGIN
    INSERT INTO change_log (hlc, entity, entity_id, operation, payload)
    SELECT NEW.hlc, 'payment_methods', NEW.id, 'insert', payload FROM payment_methods_payload WHERE id = NEW.id;
END;

CREATE TRIGGER payment_methods_log_update AFTER UPDATE ON payment_methods
WHEN NOT EXISTS (SELECT 1 FROM change_log_suppression)
BEGIN
    INSERT INTO change_log (hlc, entity, entity_id, operation, payload)
    SELECT NEW.hlc, 'payment_methods', NEW.id, 'update', payload FROM payment_methods_payload WHERE id = NEW.id;
END;

CREATE TRIGGER payment_methods_log_delete AFTER DELETE ON payment_methods
WHEN NOT EXISTS (SELECT 1 FROM change_log_suppression)
BEGIN
    INSERT INTO change_log (hlc, entity, entity_id, operation, payload)
    VALUES ((SELECT last_hlc FROM sync_state), 'payment_methods', OLD.id, 'delete', json_object('id', OLD.id));
END;

CREATE VIEW users_payload AS
SELECT id,
    json_object('id', id, 'name', name, 'email', email, 'phone', phone, 'password_hash', password_hash,
        'role', role, 'cinema_id', cinema_id, 'verified_at', verified_at, 'created_at', created_at,
        'updated_at', updated_at, 'hlc', hlc) AS payload
FROM users;

CREATE TRIGGER users_log_insert AFTER INSERT ON users
WHEN NOT EXISTS (SELECT 1 FROM change_log_suppression) AND NEW.role = 'customer'
BEGIN
    INSERT INTO change_log (hlc, entity, entity_id, operation, payload)
    SELECT NEW.hlc, 'users', NEW.id, 'insert', payload FROM users_payload WHERE id = NEW.id;
END;

CREATE TRIGGER users_log_update AFTER UPDATE OF name, email, phone, password_hash, role, cinema_id, verified_at ON users
WHEN NOT EXISTS (SELECT 1 FROM change_log_suppression) AND NEW.role = 'customer'
BEGIN
    INSERT INTO change_log (hlc, entity, entity_id, operation, payload)
    SELECT NEW.hlc, 'users', NEW.id, 'update', payload FROM users_payload WHERE id = NEW.id;
END;

CREATE VIEW bookings_payload AS
SELECT id,
    json_object('id', id, 'code', code, 'showtime_id', showtime_id, 'user_id', user_id,
        'customer_name', customer_name, 'customer_email', customer_email, 'node_id', node_id,
        'channel', channel, 'status', status, 'total', total, 'payment_method_id', payment_method_id,
        'payment_reference', payment_reference, 'refund_amount', refund_amount,
        'hold_expires_at', hold_expires_at, 'sold_at', sold_at, 'sold_hlc', sold_hlc,
        'created_by', created_by, 'created_at', created_at, 'updated_at', updated_at, 'hlc', hlc) AS payload
FROM bookings;

CREATE TRIGGER bookings_log_insert AFTER INSERT ON bookings
WHEN NOT EXISTS (SELECT 1 FROM change_log_suppression)
BEGIN
    INSERT INTO change_log (hlc, entity, entity_id, operation, payload)
    SELECT NEW.hlc, 'bookings', NEW.id, 'insert', payload FROM bookings_payload WHERE id = NEW.id;
END;

CREATE TRIGGER bookings_log_update AFTER UPDATE ON bookings
WHEN NOT EXISTS (SELECT 1 FROM change_log_suppression)
BEGIN
    INSERT INTO change_log (hlc, entity, entity_id, operation, payload)
    SELECT NEW.hlc, 'bookings', NEW.id, 'update', payload FROM bookings_payload WHERE id = NEW.id;
END;

CREATE VIEW tickets_payload AS
SELECT id,
    json_object('id', id, 'booking_id', booking_id, 'showtime_id', showtime_id, 'seat_id', seat_id,
        'price', price, 'price_version', price_version, 'status', status, 'created_at', created_at,
        'updated_at', updated_at, 'hlc', hlc) AS payload
FROM tickets;

CREATE TRIGGER tickets_log_insert AFTER INSERT ON tickets
WHEN NOT EXISTS (SELECT 1 FROM change_log_suppression)
BEGIN
    INSERT INTO change_log (hlc, entity, entity_id, operation, payload)
    SELECT NEW.hlc, 'tickets', NEW.id, 'insert', payload FROM tickets_payload WHERE id = NEW.id;
END;

CREATE TRIGGER tickets_log_update AFTER UPDATE ON tickets
WHEN NOT EXISTS (SELECT 1 FROM change_log_suppression)
BEGIN
    INSERT INTO change_log (hlc, entity, entity_id, operation, payload)
    SELECT NEW.hlc, 'tickets', NEW.id, 'update', payload FROM tickets_payload WHERE id = NEW.id;
END;

-- A seat block's key is its showtime and seat; its entity id is `showtime/seat`.
CREATE VIEW seat_blocks_payload AS
SELECT showtime_id || '/' || seat_id AS id,
    json_object('showtime_id', showtime_id, 'seat_id', seat_id, 'reason', reason, 'hlc', hlc) AS payload
FROM seat_blocks;

CREATE TRIGGER seat_blocks_log_insert AFTER INSERT ON seat_blocks
WHEN NOT EXISTS (SELECT 1 FROM change_log_suppression)
BEGIN
    INSERT INTO change_log (hlc, entity, entity_id, operation, payload)
    SELECT NEW.hlc, 'seat_blocks', id, 'insert', payload FROM seat_blocks_payload
    WHERE id = NEW.showtime_id || '/' || NEW.seat_id;
END;

CREATE TRIGGER seat_blocks_log_delete AFTER DELETE ON seat_blocks
WHEN NOT EXISTS (SELECT 1 FROM change_log_suppression)
BEGIN
    INSERT INTO change_log (hlc, entity, entity_id, operation, payload)
    VALUES ((SELECT last_hlc FROM sync_state), 'seat_blocks', OLD.showtime_id || '/' || OLD.seat_id, 'delete',
        json_object('showtime_id', OLD.showtime_id, 'seat_id', OLD.seat_id));
END;
