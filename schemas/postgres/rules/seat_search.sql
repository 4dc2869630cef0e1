-- version: 2
-- The free-seat search: the best free seats of one kind near a seat, a group kept together.
--
-- Up to p_count free seats of p_kind in a showtime near (p_row, p_column): a run of adjacent seats
-- in one row when one exists (nearest first), otherwise the nearest single seats; fewer when fewer
-- are free. It chooses from pg_temp.free_seat, which central.fill_free_seats (seats.sql) fills from
-- the seat rule, so every reseat searches the same free seats the same way. Ties between equally
-- near runs go to the nearer row, then the first in the row.
CREATE OR REPLACE FUNCTION central.best_free_seats(
    p_showtime_id text, p_kind text, p_count integer, p_row integer, p_column integer
) RETURNS text[]
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_seats text[];
BEGIN
    WITH free AS (
        SELECT seat_id AS id, grid_row, grid_column
        FROM pg_temp.free_seat
        WHERE showtime_id = p_showtime_id AND kind = p_kind
    ), runs AS (
        SELECT id, grid_row, grid_column,
               grid_column - row_number() OVER (PARTITION BY grid_row ORDER BY grid_column) AS run
        FROM free
    ), windows AS (
        SELECT grid_row, array_agg(id ORDER BY grid_column) AS ids, min(grid_column) AS first_column, count(*) AS length
        FROM runs GROUP BY grid_row, run HAVING count(*) >= p_count
    ), placed AS (
        SELECT ids, grid_row,
               greatest(0, least(length - p_count, p_column - (p_count - 1) / 2 - first_column))::integer AS offset_in_run,
               first_column
        FROM windows
    ), best_run AS (
        -- A run of adjacent seats in one row, nearest first…
        SELECT ids[offset_in_run + 1 : offset_in_run + p_count] AS ids
        FROM placed
        ORDER BY abs(grid_row - p_row) * 100 + abs(first_column + offset_in_run - (p_column - (p_count - 1) / 2)), grid_row
        LIMIT 1
    ), nearest AS (
        -- …otherwise the nearest single seats.
        SELECT array_agg(id) AS ids FROM (
            SELECT id FROM free
            ORDER BY abs(grid_row - p_row) * 100 + abs(grid_column - p_column), grid_row, grid_column
            LIMIT p_count) chosen
    )
    SELECT coalesce((SELECT ids FROM best_run), (SELECT ids FROM nearest), '{}') INTO v_seats;
    RETURN v_seats;
END
$$;
