-- version: 1
-- The change log: every change to a synced table is journalled in the same transaction, as the
-- JSON of the row, stamped with the row's HLC. Deletes are stamped with the store's latest HLC,
-- since the deleted row carries only its old one. While change_log_suppression holds its row (head
-- office's own state being applied), nothing is journalled.
--
-- Login throttling (users.failed_logins, locked_until), OTPs, sessions and mail never travel.

-- ---------------------------------------------------------------------------------------------

CREATE TRIGGER cinemas_log_insert AFTER INSERT ON cinemas
WHEN NOT EXISTS (SELECT 1 FROM change_log_suppression)
BEGIN
    INSERT INTO change_log (hlc, entity, entity_id, operation, payload) VALUES (NEW.hlc, 'cinemas', NEW.id, 'insert',
        json_object('id', NEW.id, 'name', NEW.name, 'city', NEW.city, 'address', NEW.address,
            'time_zone', NEW.time_zone, 'created_at', NEW.created_at, 'updated_at', NEW.updated_at,
            'deleted_at', NEW.deleted_at, 'hlc', NEW.hlc));
END;

CREATE TRIGGER cinemas_log_update AFTER UPDATE ON cinemas
WHEN NOT EXISTS (SELECT 1 FROM change_log_suppression)
BEGIN
    INSERT INTO change_log (hlc, entity, entity_id, operation, payload) VALUES (NEW.hlc, 'cinemas', NEW.id, 'update',
        json_object('id', NEW.id, 'name', NEW.name, 'city', NEW.city, 'address', NEW.address,
            'time_zone', NEW.time_zone, 'created_at', NEW.created_at, 'updated_at', NEW.updated_at,
            'deleted_at', NEW.deleted_at, 'hlc', NEW.hlc));
END;

CREATE TRIGGER cinemas_log_delete AFTER DELETE ON cinemas
WHEN NOT EXISTS (SELECT 1 FROM change_log_suppression)
BEGIN
    INSERT INTO change_log (hlc, entity, entity_id, operation, payload)
    VALUES ((SELECT last_hlc FROM sync_state), 'cinemas', OLD.id, 'delete', json_object('id', OLD.id));
END;

CREATE TRIGGER studios_log_insert AFTER INSERT ON studios
WHEN NOT EXISTS (SELECT 1 FROM change_log_suppression)
BEGIN
    INSERT INTO change_log (hlc, entity, entity_id, operation, payload) VALUES (NEW.hlc, 'studios', NEW.id, 'insert',
        json_object('id', NEW.id, 'cinema_id', NEW.cinema_id, 'name', NEW.name, 'layout_spec', NEW.layout_spec,
            'seat_count', NEW.seat_count, 'created_at', NEW.created_at, 'updated_at', NEW.updated_at,
            'deleted_at', NEW.deleted_at, 'hlc', NEW.hlc));
END;

CREATE TRIGGER studios_log_update AFTER UPDATE ON studios
WHEN NOT EXISTS (SELECT 1 FROM change_log_suppression)
BEGIN
    INSERT INTO change_log (hlc, entity, entity_id, operation, payload) VALUES (NEW.hlc, 'studios', NEW.id, 'update',
        json_object('id', NEW.id, 'cinema_id', NEW.cinema_id, 'name', NEW.name, 'layout_spec', NEW.layout_spec,
            'seat_count', NEW.seat_count, 'created_at', NEW.created_at, 'updated_at', NEW.updated_at,
            'deleted_at', NEW.deleted_at, 'hlc', NEW.hlc));
END;

CREATE TRIGGER studios_log_delete AFTER DELETE ON studios
WHEN NOT EXISTS (SELECT 1 FROM change_log_suppression)
BEGIN
    INSERT INTO change_log (hlc, entity, entity_id, operation, payload)
    VALUES ((SELECT last_hlc FROM sync_state), 'studios', OLD.id, 'delete', json_object('id', OLD.id));
END;

CREATE TRIGGER seats_log_insert AFTER INSERT ON seats
WHEN NOT EXISTS (SELECT 1 FROM change_log_suppression)
BEGIN
    INSERT INTO change_log (hlc, entity, entity_id, operation, payload) VALUES (NEW.hlc, 'seats', NEW.id, 'insert',
        json_object('id', NEW.id, 'studio_id', NEW.studio_id, 'row_label', NEW.row_label, 'number', NEW.number,
            'label', NEW.label, 'kind', NEW.kind, 'grid_row', NEW.grid_row, 'grid_column', NEW.grid_column,
            'hlc', NEW.hlc));
END;

CREATE TRIGGER seats_log_update AFTER UPDATE ON seats
WHEN NOT EXISTS (SELECT 1 FROM change_log_suppression)
BEGIN
    INSERT INTO change_log (hlc, entity, entity_id, operation, payload) VALUES (NEW.hlc, 'seats', NEW.id, 'update',
        json_object('id', NEW.id, 'studio_id', NEW.studio_id, 'row_label', NEW.row_label, 'number', NEW.number,
            'label', NEW.label, 'kind', NEW.kind, 'grid_row', NEW.grid_row, 'grid_column', NEW.grid_column,
            'hlc', NEW.hlc));
END;

CREATE TRIGGER seats_log_delete AFTER DELETE ON seats
WHEN NOT EXISTS (SELECT 1 FROM change_log_suppression)
BEGIN
    INSERT INTO change_log (hlc, entity, entity_id, operation, payload)
    VALUES ((SELECT last_hlc FROM sync_state), 'seats', OLD.id, 'delete', json_object('id', OLD.id));
END;

CREATE TRIGGER movies_log_insert AFTER INSERT ON movies
WHEN NOT EXISTS (SELECT 1 FROM change_log_suppression)
BEGIN
    INSERT INTO change_log (hlc, entity, entity_id, operation, payload) VALUES (NEW.hlc, 'movies', NEW.id, 'insert',
        json_object('id', NEW.id, 'title', NEW.title, 'description', NEW.description,
            'duration_minutes', NEW.duration_minutes, 'release_date', NEW.release_date, 'genre', NEW.genre,
            'rating', NEW.rating, 'poster_url', NEW.poster_url, 'director', NEW.director,
            'cast_members', json(NEW.cast_members), 'created_at', NEW.created_at, 'updated_at', NEW.updated_at,
            'deleted_at', NEW.deleted_at, 'hlc', NEW.hlc));
END;

CREATE TRIGGER movies_log_update AFTER UPDATE ON movies
WHEN NOT EXISTS (SELECT 1 FROM change_log_suppression)
BEGIN
    INSERT INTO change_log (hlc, entity, entity_id, operation, payload) VALUES (NEW.hlc, 'movies', NEW.id, 'update',
        json_object('id', NEW.id, 'title', NEW.title, 'description', NEW.description,
            'duration_minutes', NEW.duration_minutes, 'release_date', NEW.release_date, 'genre', NEW.genre,
            'rating', NEW.rating, 'poster_url', NEW.poster_url, 'director', NEW.director,
            'cast_members', json(NEW.cast_members), 'created_at', NEW.created_at, 'updated_at', NEW.updated_at,
            'deleted_at', NEW.deleted_at, 'hlc', NEW.hlc));
END;

CREATE TRIGGER movies_log_delete AFTER DELETE ON movies
WHEN NOT EXISTS (SELECT 1 FROM change_log_suppression)
BEGIN
    INSERT INTO change_log (hlc, entity, entity_id, operation, payload)
    VALUES ((SELECT last_hlc FROM sync_state), 'movies', OLD.id, 'delete', json_object('id', OLD.id));
END;

CREATE TRIGGER showtimes_log_insert AFTER INSERT ON showtimes
WHEN NOT EXISTS (SELECT 1 FROM change_log_suppression)
BEGIN
    INSERT INTO change_log (hlc, entity, entity_id, operation, payload) VALUES (NEW.hlc, 'showtimes', NEW.id, 'insert',
        json_object('id', NEW.id, 'cinema_id', NEW.cinema_id, 'studio_id', NEW.studio_id, 'movie_id', NEW.movie_id,
            'starts_at', NEW.starts_at, 'ends_at', NEW.ends_at, 'base_price', NEW.base_price,
            'price_modifiers', json(NEW.price_modifiers), 'status', NEW.status, 'created_at', NEW.created_at,
            'updated_at', NEW.updated_at, 'hlc', NEW.hlc));
END;

CREATE TRIGGER showtimes_log_update AFTER UPDATE ON showtimes
WHEN NOT EXISTS (SELECT 1 FROM change_log_suppression)
BEGIN
    INSERT INTO change_log (hlc, entity, entity_id, operation, payload) VALUES (NEW.hlc, 'showtimes', NEW.id, 'update',
        json_object('id', NEW.id, 'cinema_id', NEW.cinema_id, 'studio_id', NEW.studio_id, 'movie_id', NEW.movie_id,
            'starts_at', NEW.starts_at, 'ends_at', NEW.ends_at, 'base_price', NEW.base_price,
            'price_modifiers', json(NEW.price_modifiers), 'status', NEW.status, 'created_at', NEW.created_at,
            'updated_at', NEW.updated_at, 'hlc', NEW.hlc));
END;

CREATE TRIGGER showtimes_log_delete AFTER DELETE ON showtimes
WHEN NOT EXISTS (SELECT 1 FROM change_log_suppression)
BEGIN
    INSERT INTO change_log (hlc, entity, entity_id, operation, payload)
    VALUES ((SELECT last_hlc FROM sync_state), 'showtimes', OLD.id, 'delete', json_object('id', OLD.id));
END;

CREATE TRIGGER payment_methods_log_insert AFTER INSERT ON payment_methods
WHEN NOT EXISTS (SELECT 1 FROM change_log_suppression)
BEGIN
    INSERT INTO change_log (hlc, entity, entity_id, operation, payload) VALUES (NEW.hlc, 'payment_methods', NEW.id, 'insert',
        json_object('id', NEW.id, 'code', NEW.code, 'name', NEW.name, 'kind', NEW.kind, 'enabled', NEW.enabled,
            'sort_order', NEW.sort_order, 'created_at', NEW.created_at, 'updated_at', NEW.updated_at,
            'hlc', NEW.hlc));
END;

CREATE TRIGGER payment_methods_log_update AFTER UPDATE ON payment_methods
WHEN NOT EXISTS (SELECT 1 FROM change_log_suppression)
BEGIN
    INSERT INTO change_log (hlc, entity, entity_id, operation, payload) VALUES (NEW.hlc, 'payment_methods', NEW.id, 'update',
        json_object('id', NEW.id, 'code', NEW.code, 'name', NEW.name, 'kind', NEW.kind, 'enabled', NEW.enabled,
            'sort_order', NEW.sort_order, 'created_at', NEW.created_at, 'updated_at', NEW.updated_at,
            'hlc', NEW.hlc));
END;

CREATE TRIGGER payment_methods_log_delete AFTER DELETE ON payment_methods
WHEN NOT EXISTS (SELECT 1 FROM change_log_suppression)
BEGIN
    INSERT INTO change_log (hlc, entity, entity_id, operation, payload)
    VALUES ((SELECT last_hlc FROM sync_state), 'payment_methods', OLD.id, 'delete', json_object('id', OLD.id));
END;

-- Users: only the columns that travel are journalled; login throttling stays on the counter.
CREATE TRIGGER users_log_insert AFTER INSERT ON users
WHEN NOT EXISTS (SELECT 1 FROM change_log_suppression)
BEGIN
    INSERT INTO change_log (hlc, entity, entity_id, operation, payload) VALUES (NEW.hlc, 'users', NEW.id, 'insert',
        json_object('id', NEW.id, 'name', NEW.name, 'email', NEW.email, 'phone', NEW.phone,
            'password_hash', NEW.password_hash, 'role', NEW.role, 'cinema_id', NEW.cinema_id,
            'verified_at', NEW.verified_at, 'created_at', NEW.created_at, 'updated_at', NEW.updated_at,
            'hlc', NEW.hlc));
END;

CREATE TRIGGER users_log_update AFTER UPDATE OF name, email, phone, password_hash, role, cinema_id, verified_at ON users
WHEN NOT EXISTS (SELECT 1 FROM change_log_suppression)
BEGIN
    INSERT INTO change_log (hlc, entity, entity_id, operation, payload) VALUES (NEW.hlc, 'users', NEW.id, 'update',
        json_object('id', NEW.id, 'name', NEW.name, 'email', NEW.email, 'phone', NEW.phone,
            'password_hash', NEW.password_hash, 'role', NEW.role, 'cinema_id', NEW.cinema_id,
            'verified_at', NEW.verified_at, 'created_at', NEW.created_at, 'updated_at', NEW.updated_at,
            'hlc', NEW.hlc));
END;

CREATE TRIGGER users_log_delete AFTER DELETE ON users
WHEN NOT EXISTS (SELECT 1 FROM change_log_suppression)
BEGIN
    INSERT INTO change_log (hlc, entity, entity_id, operation, payload)
    VALUES ((SELECT last_hlc FROM sync_state), 'users', OLD.id, 'delete', json_object('id', OLD.id));
END;

CREATE TRIGGER seat_blocks_log_insert AFTER INSERT ON seat_blocks
WHEN NOT EXISTS (SELECT 1 FROM change_log_suppression)
BEGIN
    INSERT INTO change_log (hlc, entity, entity_id, operation, payload)
    VALUES (NEW.hlc, 'seat_blocks', NEW.showtime_id || '/' || NEW.seat_id, 'insert',
        json_object('showtime_id', NEW.showtime_id, 'seat_id', NEW.seat_id, 'reason', NEW.reason, 'hlc', NEW.hlc));
END;

CREATE TRIGGER seat_blocks_log_delete AFTER DELETE ON seat_blocks
WHEN NOT EXISTS (SELECT 1 FROM change_log_suppression)
BEGIN
    INSERT INTO change_log (hlc, entity, entity_id, operation, payload)
    VALUES ((SELECT last_hlc FROM sync_state), 'seat_blocks', OLD.showtime_id || '/' || OLD.seat_id, 'delete',
        json_object('showtime_id', OLD.showtime_id, 'seat_id', OLD.seat_id));
END;

CREATE TRIGGER bookings_log_insert AFTER INSERT ON bookings
WHEN NOT EXISTS (SELECT 1 FROM change_log_suppression)
BEGIN
    INSERT INTO change_log (hlc, entity, entity_id, operation, payload) VALUES (NEW.hlc, 'bookings', NEW.id, 'insert',
        json_object('id', NEW.id, 'code', NEW.code, 'showtime_id', NEW.showtime_id, 'user_id', NEW.user_id,
            'customer_name', NEW.customer_name, 'customer_email', NEW.customer_email, 'node_id', NEW.node_id,
            'channel', NEW.channel, 'status', NEW.status, 'total', NEW.total,
            'payment_method_id', NEW.payment_method_id, 'payment_reference', NEW.payment_reference,
            'refund_amount', NEW.refund_amount, 'hold_expires_at', NEW.hold_expires_at, 'sold_at', NEW.sold_at,
            'sold_hlc', NEW.sold_hlc, 'created_by', NEW.created_by, 'created_at', NEW.created_at,
            'updated_at', NEW.updated_at, 'hlc', NEW.hlc));
END;

CREATE TRIGGER bookings_log_update AFTER UPDATE ON bookings
WHEN NOT EXISTS (SELECT 1 FROM change_log_suppression)
BEGIN
    INSERT INTO change_log (hlc, entity, entity_id, operation, payload) VALUES (NEW.hlc, 'bookings', NEW.id, 'update',
        json_object('id', NEW.id, 'code', NEW.code, 'showtime_id', NEW.showtime_id, 'user_id', NEW.user_id,
            'customer_name', NEW.customer_name, 'customer_email', NEW.customer_email, 'node_id', NEW.node_id,
            'channel', NEW.channel, 'status', NEW.status, 'total', NEW.total,
            'payment_method_id', NEW.payment_method_id, 'payment_reference', NEW.payment_reference,
            'refund_amount', NEW.refund_amount, 'hold_expires_at', NEW.hold_expires_at, 'sold_at', NEW.sold_at,
            'sold_hlc', NEW.sold_hlc, 'created_by', NEW.created_by, 'created_at', NEW.created_at,
            'updated_at', NEW.updated_at, 'hlc', NEW.hlc));
END;

CREATE TRIGGER bookings_log_delete AFTER DELETE ON bookings
WHEN NOT EXISTS (SELECT 1 FROM change_log_suppression)
BEGIN
    INSERT INTO change_log (hlc, entity, entity_id, operation, payload)
    VALUES ((SELECT last_hlc FROM sync_state), 'bookings', OLD.id, 'delete', json_object('id', OLD.id));
END;

CREATE TRIGGER tickets_log_insert AFTER INSERT ON tickets
WHEN NOT EXISTS (SELECT 1 FROM change_log_suppression)
BEGIN
    INSERT INTO change_log (hlc, entity, entity_id, operation, payload) VALUES (NEW.hlc, 'tickets', NEW.id, 'insert',
        json_object('id', NEW.id, 'booking_id', NEW.booking_id, 'showtime_id', NEW.showtime_id,
            'seat_id', NEW.seat_id, 'price', NEW.price, 'status', NEW.status, 'created_at', NEW.created_at,
            'updated_at', NEW.updated_at, 'hlc', NEW.hlc));
END;

CREATE TRIGGER tickets_log_update AFTER UPDATE ON tickets
WHEN NOT EXISTS (SELECT 1 FROM change_log_suppression)
BEGIN
    INSERT INTO change_log (hlc, entity, entity_id, operation, payload) VALUES (NEW.hlc, 'tickets', NEW.id, 'update',
        json_object('id', NEW.id, 'booking_id', NEW.booking_id, 'showtime_id', NEW.showtime_id,
            'seat_id', NEW.seat_id, 'price', NEW.price, 'status', NEW.status, 'created_at', NEW.created_at,
            'updated_at', NEW.updated_at, 'hlc', NEW.hlc));
END;

CREATE TRIGGER tickets_log_delete AFTER DELETE ON tickets
WHEN NOT EXISTS (SELECT 1 FROM change_log_suppression)
BEGIN
    INSERT INTO change_log (hlc, entity, entity_id, operation, payload)
    VALUES ((SELECT last_hlc FROM sync_state), 'tickets', OLD.id, 'delete', json_object('id', OLD.id));
END;
