ALTER TABLE plans
    DROP CONSTRAINT plans_closing_order_check,
    DROP CONSTRAINT plans_closing_check,
    DROP CONSTRAINT plans_adoption_check,
    DROP COLUMN closed_on,
    DROP COLUMN adoption_resolution,
    DROP COLUMN adopted_on,
    DROP COLUMN state;
