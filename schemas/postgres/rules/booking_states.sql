-- version: 3
-- Booking states: where a booking may move, and which of two copies of one booking wins.
--
-- The moves form a partial order:
--   held -> pending_payment -> paid -> refund_due -> refunded
--   paid -> refunded                   (staff return the money at once)
--   held, pending_payment -> cancelled (closed before any money was taken)
--   held, pending_payment -> expired   (the hold ran out; only the booking's own node expires it)
-- pending_payment is a submitted payment (a customer's own, not yet confirmed by staff or a
-- provider); refund_due a paid booking its customer cancelled, its money still to be returned.
-- A paid booking ends only by refund. Two copies of one booking merge to the later state in
-- central.booking_status_rank, an order that extends the moves and decides the pairs they leave
-- open so that money wins: paid beats expired and cancelled, and refund_due and refunded beat them too.
--
-- The same rule, in the same words, is BookingStatus.swift (Swift) and rules/booking_states.sql of
-- the counter's store (SQLite); BookingStatesAgreeTests proves the three agree on every pair.

CREATE OR REPLACE FUNCTION central.booking_status_rank(p_status text) RETURNS integer
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE p_status
        WHEN 'held' THEN 1 WHEN 'pending_payment' THEN 2 WHEN 'expired' THEN 3
        WHEN 'cancelled' THEN 4 WHEN 'paid' THEN 5 WHEN 'refund_due' THEN 6 WHEN 'refunded' THEN 7 ELSE 0 END
$$;

CREATE OR REPLACE FUNCTION central.booking_status_may_move(p_from text, p_to text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
    SELECT (p_from, p_to) IN (
        ('held', 'pending_payment'), ('held', 'paid'), ('held', 'cancelled'), ('held', 'expired'),
        ('pending_payment', 'paid'), ('pending_payment', 'cancelled'), ('pending_payment', 'expired'),
        ('paid', 'refund_due'), ('paid', 'refunded'), ('refund_due', 'refunded'))
$$;
