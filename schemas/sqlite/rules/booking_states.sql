-- version: 2
-- Booking states: where a booking may move, and which of two copies of one booking wins.
--
-- The moves (booking_status_moves) form a partial order:
--   held -> pending_payment -> paid -> refund_due -> refunded
--   paid -> refunded                   (staff return the money at once)
--   held, pending_payment -> cancelled (closed before any money was taken)
--   held, pending_payment -> expired   (the hold ran out; only the booking's own node expires it)
-- pending_payment is a submitted payment (a customer's own, not yet confirmed by staff or a
-- provider); refund_due a paid booking its customer cancelled, its money still to be returned.
-- A paid booking ends only by refund. Two copies of one booking (this store's and head office's,
-- or two counters') merge to the later state in booking_status_order, an order that extends the
-- moves and decides the pairs they leave open so that money wins: paid beats expired and
-- cancelled, and refund_due and refunded beat them too.
--
-- The same rule, in the same words, is BookingStatus.swift (Swift) and rules/booking_states.sql of
-- head office (PostgreSQL); BookingStatesAgreeTests proves the three agree on every pair.

CREATE VIEW booking_status_order (status, rank) AS
VALUES ('held', 1), ('pending_payment', 2), ('expired', 3), ('cancelled', 4), ('paid', 5), ('refund_due', 6), ('refunded', 7);

CREATE VIEW booking_status_moves (from_status, to_status) AS
VALUES ('held', 'pending_payment'), ('held', 'paid'), ('held', 'cancelled'), ('held', 'expired'),
       ('pending_payment', 'paid'), ('pending_payment', 'cancelled'), ('pending_payment', 'expired'),
       ('paid', 'refund_due'), ('paid', 'refunded'), ('refund_due', 'refunded');

-- A local change moves only along booking_status_moves; head office's merged state, applied while
-- change_log_suppression holds its row, only never goes back in booking_status_order.
CREATE TRIGGER bookings_status_moves_forward BEFORE UPDATE OF status ON bookings
WHEN NEW.status <> OLD.status AND CASE
    WHEN EXISTS (SELECT 1 FROM change_log_suppression)
        THEN (SELECT rank FROM booking_status_order WHERE status = NEW.status)
             < (SELECT rank FROM booking_status_order WHERE status = OLD.status)
    ELSE NOT EXISTS (SELECT 1 FROM booking_status_moves WHERE from_status = OLD.status AND to_status = NEW.status)
END
BEGIN
    SELECT RAISE(ABORT, 'bookings_status_moves_forward');
END;
