-- version: 1
-- Tickets: a ticket's showtime is its booking's, and its seat is one of that showtime's studio.
-- (One active ticket per seat of a showtime is the unique index tickets_one_active_per_seat, in
-- the migrations; which seats count as taken is Sales/SeatStates.swift.)

CREATE TRIGGER tickets_seat_of_showtime_studio BEFORE INSERT ON tickets
WHEN NEW.showtime_id IS NOT (SELECT showtime_id FROM bookings WHERE id = NEW.booking_id)
  OR (SELECT studio_id FROM seats WHERE id = NEW.seat_id)
     IS NOT (SELECT studio_id FROM showtimes WHERE id = NEW.showtime_id)
BEGIN
    SELECT RAISE(ABORT, 'tickets_seat_of_showtime_studio');
END;
