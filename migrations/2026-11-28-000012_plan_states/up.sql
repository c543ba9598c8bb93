-- A plan's year: drafted by the coordination, adopted by the board (CA) with a resolution,
-- closed at the end of the year (read only; its reports stay available).
ALTER TABLE plans
    ADD COLUMN state TEXT NOT NULL DEFAULT 'draft' CONSTRAINT plans_state_check CHECK (state IN ('draft', 'adopted', 'closed')),
    ADD COLUMN adopted_on DATE,
    ADD COLUMN adoption_resolution TEXT CONSTRAINT plans_adoption_resolution_check
        CHECK (char_length(adoption_resolution) BETWEEN 1 AND 200),
    ADD COLUMN closed_on DATE,
    -- Adopted and closed plans were adopted: the date and the resolution are known.
    ADD CONSTRAINT plans_adoption_check
        CHECK (state = 'draft' OR (adopted_on IS NOT NULL AND adoption_resolution IS NOT NULL)),
    ADD CONSTRAINT plans_closing_check CHECK ((state = 'closed') = (closed_on IS NOT NULL)),
    ADD CONSTRAINT plans_closing_order_check CHECK (closed_on IS NULL OR closed_on >= adopted_on);
