-- version: 1
-- Prices: what a seat of a showtime costs, and which prices a ticket may have been sold at.
--
-- A seat costs the showtime's base price plus its kind's surcharge (none when the showtime names
-- no surcharge for the kind): central.seat_price here, SeatStates.priceSQL in the counter's store;
-- PriceAgreementTests proves the two agree on every case.
--
-- A showtime's prices carry a version, the stamp of the change that set them (`price_version`),
-- and every ticket names the version it was priced from. Head office records every version it took
-- from a sender the ownership table allows (central.showtime_prices), whether or not that change
-- was the latest: a counter that changed a price while offline sold at it honestly. A ticket is
-- placed when its price is its seat's at a recorded version of its showtime; a counter's clock, often
-- wrong, plays no part. Prices the old system charged (`boxoffice import-legacy`) are version
-- `legacy`, whose tickets keep the price the old system recorded.

-- What a seat of kind p_kind costs at base price p_base with surcharges p_modifiers.
CREATE OR REPLACE FUNCTION central.seat_price(p_base bigint, p_modifiers jsonb, p_kind text) RETURNS bigint
LANGUAGE sql IMMUTABLE AS $$
    SELECT p_base + coalesce((p_modifiers->>p_kind)::bigint, 0)
$$;

-- Records the prices of a showtime change head office took (its payload checked), under its version.
CREATE OR REPLACE FUNCTION central.record_price(p_payload jsonb) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO central.showtime_prices (showtime_id, version, base_price, price_modifiers)
    SELECT p_payload->>'id', p_payload->>'price_version', (p_payload->>'base_price')::bigint, p_payload->'price_modifiers'
    WHERE EXISTS (SELECT 1 FROM central.showtimes WHERE id = p_payload->>'id')
    ON CONFLICT (showtime_id, version) DO NOTHING
$$;

-- Whether a ticket of price p_price, priced from version p_version of showtime p_showtime_id, on a
-- seat of kind p_kind, is at a price head office recorded.
CREATE OR REPLACE FUNCTION central.price_places(p_showtime_id text, p_version text, p_kind text, p_price bigint) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (
        SELECT 1 FROM central.showtime_prices p
        WHERE p.showtime_id = p_showtime_id AND p.version = p_version
          AND (p.version = 'legacy' OR central.seat_price(p.base_price, p.price_modifiers, p_kind) = p_price))
$$;
