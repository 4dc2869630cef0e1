-- version: 1
-- Seats: when a seat of a showtime is taken for a node.

-- Whether a seat of a showtime is taken for p_node: sold or held, blocked, or allotted elsewhere.
CREATE OR REPLACE FUNCTION central.seat_is_taken(p_showtime_id text, p_seat_id text, p_node text, p_except_ticket text)
RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM central.tickets t
                   WHERE t.showtime_id = p_showtime_id AND t.seat_id = p_seat_id AND t.status = 'active'
                     AND t.id <> p_except_ticket)
        OR EXISTS (SELECT 1 FROM central.seat_blocks b WHERE b.showtime_id = p_showtime_id AND b.seat_id = p_seat_id)
        OR EXISTS (SELECT 1 FROM central.seat_allotments a
                   WHERE a.showtime_id = p_showtime_id AND a.seat_id = p_seat_id AND a.node_name <> p_node)
$$;
