-- The PostgreSQL versions of schema.sql's triggers, written by hand: PL/pgSQL has no SQLite trigger
-- syntax. `store::sql::dialect::postgres_schema` skips each SQLite CREATE TRIGGER and appends the
-- section of the same name from this file (a section starts with `-- trigger NAME on TABLE`). A change
-- to a trigger in schema.sql is made here too, with the same meaning.

-- trigger customers_tier_moves on customers
-- When a customer's tier changes its periods move from the old tier to the new one in tier_periods,
-- read from its orders. The same statement as the SQLite trigger, except: a customer counts once per
-- period through CASE (PostgreSQL has no arithmetic on booleans), the joins without a condition are
-- CROSS JOINs, s.sign is grouped by (one per tier here), and the upsert names the target row's
-- columns through the alias t.
CREATE OR REPLACE FUNCTION customers_tier_moves() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO tier_periods AS t (period, tier, customers, revenue, returns)
    SELECT CASE g.grain WHEN 0 THEN x.month
                        WHEN 1 THEN substr(x.month, 1, 4) || '-Q' || ((CAST(substr(x.month, 6, 2) AS BIGINT) + 2) / 3)
                        ELSE substr(x.month, 1, 4) END AS period,
           s.tier, s.sign * CASE WHEN SUM(x.orders) > 0 THEN 1 ELSE 0 END, s.sign * SUM(x.revenue),
           s.sign * SUM(x.returns)
    FROM (SELECT substr(o.order_date, 1, 7) AS month, 1 AS orders, o.amount AS revenue, 0 AS returns
          FROM orders o WHERE o.customer = NEW.code AND o.status NOT IN ('cancelled', 'pending_approval')
          UNION ALL
          SELECT substr(r.date, 1, 7), 0, 0, r.amount FROM orders o JOIN returns r ON r.order_id = o.id
          WHERE o.customer = NEW.code AND o.status NOT IN ('cancelled', 'pending_approval')) AS x
    CROSS JOIN (SELECT 0 AS grain UNION ALL SELECT 1 UNION ALL SELECT 2) AS g
    CROSS JOIN (SELECT OLD.tier AS tier, -1 AS sign UNION ALL SELECT NEW.tier, 1) AS s
    GROUP BY 1, s.tier, s.sign
    ON CONFLICT (period, tier) DO UPDATE SET customers = t.customers + excluded.customers,
        revenue = t.revenue + excluded.revenue, returns = t.returns + excluded.returns;
    RETURN NULL;
END
$$;
CREATE TRIGGER customers_tier_moves AFTER UPDATE OF tier ON customers
    FOR EACH ROW WHEN (OLD.tier <> NEW.tier) EXECUTE FUNCTION customers_tier_moves();
