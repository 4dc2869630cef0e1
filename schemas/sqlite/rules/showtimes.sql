-- version: 2
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

-- Each scheduled showtime with every other scheduled showtime of its studio that it overlaps.
CREATE VIEW showtime_clashes (showtime_id, clashes_with, clash_starts_at) AS
SELECT mine.id, other.id, other.starts_at
FROM showtimes mine
JOIN showtimes other ON other.studio_id = mine.studio_id AND other.id <> mine.id
WHERE mine.status = 'scheduled' AND other.status = 'scheduled'
  AND other.starts_at < mine.ends_at AND other.ends_at > mine.starts_at;

CREATE TRIGGER showtimes_no_overlap_insert AFTER INSERT ON showtimes
WHEN NOT EXISTS (SELECT 1 FROM change_log_suppression)
 AND EXISTS (SELECT 1 FROM showtime_clashes WHERE showtime_id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'showtimes_no_overlap');
END;

CREATE TRIGGER showtimes_no_overlap_update AFTER UPDATE OF studio_id, starts_at, ends_at, status ON showtimes
WHEN NOT EXISTS (SELECT 1 FROM change_log_suppression)
 AND EXISTS (SELECT 1 FROM showtime_clashes WHERE showtime_id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'showtimes_no_overlap');
END;
