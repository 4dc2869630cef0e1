-- version: 1
-- Booking states: which of two copies of one booking wins.

-- Booking states only move forward; of two copies, the later state in this order wins.
CREATE OR REPLACE FUNCTION central.booking_status_rank(p_status text) RETURNS integer
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE p_status
        WHEN 'held' THEN 1 WHEN 'pending_payment' THEN 2 WHEN 'paid' THEN 3
        WHEN 'expired' THEN 4 WHEN 'cancelled' THEN 5 WHEN 'refunded' THEN 6 ELSE 0 END
$$;
