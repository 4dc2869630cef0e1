-- version: 1
-- Showtimes: a showtime belongs to the cinema of its studio, and two scheduled showtimes never
-- overlap in one studio (its end includes the cleaning buffer).
--
-- Head office is authoritative for the catalog: while its state is applied (change_log_suppression
-- holds its row), its showtimes are taken even where a local one it rejected would overlap them.
-- Each trigger's message is its name: Store/StoreConstraint.swift turns it into a domain error.

CREATE TRIGGER showtimes_studio_of_cinema_insert BEFORE INSERT ON showtimes
WHEN NEW.cinema_id IS NOT (SELECT cinema_id FROM studios WHERE id = NEW.studio_id)
BEGIN
    SELECT RAISE(ABORT, 'showtimes_studio_of_cinema');
END;

CREATE TRIGGER showtimes_studio_of_cinema_update BEFORE UPDATE OF cinema_id, studio_id ON showtimes
WHEN NEW.cinema_id IS NOT (SELECT cinema_id FROM studios WHERE id = NEW.studio_id)
BEGIN
    SELECT RAISE(ABORT, 'showtimes_studio_of_cinema');
END;

CREATE TRIGGER showtimes_no_overlap_insert BEFORE INSERT ON showtimes
WHEN NEW.status = 'scheduled' AND NOT EXISTS (SELECT 1 FROM change_log_suppression) AND EXISTS (
    SELECT 1 FROM showtimes
    WHERE studio_id = NEW.studio_id AND status = 'scheduled' AND id <> NEW.id
      AND starts_at < NEW.ends_at AND ends_at > NEW.starts_at)
BEGIN
    SELECT RAISE(ABORT, 'showtimes_no_overlap');
END;

CREATE TRIGGER showtimes_no_overlap_update BEFORE UPDATE OF studio_id, starts_at, ends_at, status ON showtimes
WHEN NEW.status = 'scheduled' AND NOT EXISTS (SELECT 1 FROM change_log_suppression) AND EXISTS (
    SELECT 1 FROM showtimes
    WHERE studio_id = NEW.studio_id AND status = 'scheduled' AND id <> NEW.id
      AND starts_at < NEW.ends_at AND ends_at > NEW.starts_at)
BEGIN
    SELECT RAISE(ABORT, 'showtimes_no_overlap');
END;
