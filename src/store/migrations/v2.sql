-- Version 2: rollups that make a monthly report independent of how many lines the database holds.
-- Every table here is also in schema.sql (the whole current schema, for new databases); this file
-- brings a version 1 database to the same shape, filling the new rollups from what is stored.
-- The price-finding rollup is filled afterwards by the program (it needs the pricing rules).

-- Customers per month: replaces the month × region × rep × customer × channel rollup, which only the
-- customer counts and the tier section read.
CREATE TABLE customer_monthly (
    month     TEXT NOT NULL,
    customer  TEXT NOT NULL,
    revenue   INTEGER NOT NULL DEFAULT 0,
    returns   INTEGER NOT NULL DEFAULT 0,
    orders    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (month, customer)
) WITHOUT ROWID;
INSERT INTO customer_monthly (month, customer, revenue, returns, orders)
SELECT month, customer, SUM(revenue), SUM(returns), SUM(orders) FROM sales_monthly GROUP BY month, customer;

CREATE TABLE tier_monthly (
    month      TEXT NOT NULL,
    tier       TEXT NOT NULL,
    customers  INTEGER NOT NULL DEFAULT 0,
    revenue    INTEGER NOT NULL DEFAULT 0,
    returns    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (month, tier)
) WITHOUT ROWID;
INSERT INTO tier_monthly (month, tier, customers, revenue, returns)
SELECT m.month, c.tier, SUM(m.orders > 0), SUM(m.revenue), SUM(m.returns)
FROM customer_monthly m JOIN customers c ON c.code = m.customer GROUP BY m.month, c.tier;

CREATE TRIGGER customers_tier_moves AFTER UPDATE OF tier ON customers WHEN old.tier <> new.tier
BEGIN
    INSERT INTO tier_monthly (month, tier, customers, revenue, returns)
    SELECT month, tier, sign * (SUM(orders) > 0), sign * SUM(revenue), sign * SUM(returns) FROM (
        SELECT substr(o.order_date, 1, 7) AS month, 1 AS orders, o.amount AS revenue, 0 AS returns
        FROM orders o WHERE o.customer = new.code AND o.status NOT IN ('cancelled', 'pending_approval')
        UNION ALL
        SELECT substr(r.date, 1, 7), 0, 0, r.amount FROM orders o JOIN returns r ON r.order_id = o.id
        WHERE o.customer = new.code AND o.status NOT IN ('cancelled', 'pending_approval'))
    JOIN (SELECT old.tier AS tier, -1 AS sign UNION ALL SELECT new.tier, 1)
    GROUP BY month, tier
    ON CONFLICT (month, tier) DO UPDATE SET customers = customers + excluded.customers,
        revenue = revenue + excluded.revenue, returns = returns + excluded.returns;
END;

DROP VIEW v_monthly;
DROP TABLE sales_monthly;
CREATE VIEW v_monthly AS
SELECT month, NULLIF(region, '') AS region, NULLIF(rep, '') AS rep,
       SUM(revenue - returns) / 10000.0 AS net_revenue, SUM(quantity) AS quantity,
       SUM(revenue - returns - cost) / 10000.0 AS profit
FROM sales_monthly_groups GROUP BY month, region, rep;

-- The quantity of the lines before returns, for the regional price spread (Σ amount / Σ quantity).
ALTER TABLE product_monthly ADD COLUMN sold INTEGER NOT NULL DEFAULT 0;
UPDATE product_monthly SET sold = s.sold
FROM (SELECT substr(o.order_date, 1, 7) AS month, l.sku, COALESCE(o.region, '') AS region,
             SUM(l.quantity) AS sold
      FROM order_lines l JOIN orders o ON o.id = l.order_id
      WHERE o.status NOT IN ('cancelled', 'pending_approval')
      GROUP BY 1, 2, 3) AS s
WHERE product_monthly.month = s.month AND product_monthly.sku = s.sku AND product_monthly.region = s.region;

CREATE TABLE receivables_daily (
    due_date    TEXT NOT NULL,
    event_date  TEXT NOT NULL,
    amount      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (due_date, event_date)
) WITHOUT ROWID;
INSERT INTO receivables_daily (due_date, event_date, amount)
SELECT due_date, event_date, SUM(amount) FROM (
    SELECT due_date, order_date AS event_date, amount FROM orders
    WHERE status NOT IN ('cancelled', 'pending_approval')
    UNION ALL
    SELECT o.due_date, MAX(o.order_date, r.date), -r.amount FROM returns r JOIN orders o ON o.id = r.order_id
    WHERE o.status NOT IN ('cancelled', 'pending_approval')
    UNION ALL
    SELECT o.due_date, MAX(o.order_date, p.date), -p.amount FROM payments p JOIN orders o ON o.id = p.order_id
    WHERE o.status NOT IN ('cancelled', 'pending_approval'))
GROUP BY due_date, event_date;

CREATE TABLE receivables_events (
    event_date  TEXT PRIMARY KEY,
    amount      INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
INSERT INTO receivables_events (event_date, amount)
SELECT event_date, SUM(amount) FROM receivables_daily GROUP BY event_date;

CREATE TABLE price_marks_monthly (
    month  TEXT NOT NULL,
    mark   TEXT NOT NULL CHECK (mark IN ('below_floor', 'below_cost', 'discount', 'unapproved_discount', 'off_list')),
    value  INTEGER NOT NULL,
    lines  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (month, mark, value)
) WITHOUT ROWID;

-- Findings resolved in the ledger leave the report's counts; they are few among many open ones.
CREATE INDEX violations_resolved ON violations (date) WHERE status = 'resolved';
