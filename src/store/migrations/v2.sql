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

CREATE TABLE tier_periods (
    period     TEXT NOT NULL,
    tier       TEXT NOT NULL,
    customers  INTEGER NOT NULL DEFAULT 0,
    revenue    INTEGER NOT NULL DEFAULT 0,
    returns    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (period, tier)
) WITHOUT ROWID;

-- Per year × customer: the months (bit 0 for January … bit 11 for December) in which it has a counting
-- order, so that a customer's first month in a quarter or a year is known when it comes.
CREATE TABLE customer_years (
    year      TEXT NOT NULL,
    customer  TEXT NOT NULL,
    months    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (year, customer)
) WITHOUT ROWID;

INSERT INTO customer_years (year, customer, months)
SELECT substr(month, 1, 4), customer, SUM(1 << (CAST(substr(month, 6, 2) AS INTEGER) - 1))
FROM customer_monthly WHERE orders > 0 GROUP BY 1, 2;

-- Customers count once per period they bought in: per month, and per quarter and year from their months.
INSERT INTO tier_periods (period, tier, customers, revenue, returns)
SELECT period, tier, SUM(active), SUM(revenue), SUM(returns) FROM (
    SELECT CASE g.grain WHEN 0 THEN m.month
                        WHEN 1 THEN substr(m.month, 1, 4) || '-Q' || ((CAST(substr(m.month, 6, 2) AS INTEGER) + 2) / 3)
                        ELSE substr(m.month, 1, 4) END AS period,
           c.tier, m.customer, SUM(m.orders) > 0 AS active, SUM(m.revenue) AS revenue, SUM(m.returns) AS returns
    FROM customer_monthly m JOIN customers c ON c.code = m.customer
    JOIN (SELECT 0 AS grain UNION ALL SELECT 1 UNION ALL SELECT 2) AS g
    GROUP BY 1, c.tier, m.customer)
GROUP BY period, tier;

CREATE TRIGGER customers_tier_moves AFTER UPDATE OF tier ON customers WHEN old.tier <> new.tier
BEGIN
    INSERT INTO tier_periods (period, tier, customers, revenue, returns)
    SELECT CASE g.grain WHEN 0 THEN x.month
                        WHEN 1 THEN substr(x.month, 1, 4) || '-Q' || ((CAST(substr(x.month, 6, 2) AS INTEGER) + 2) / 3)
                        ELSE substr(x.month, 1, 4) END AS period,
           s.tier, s.sign * (SUM(x.orders) > 0), s.sign * SUM(x.revenue), s.sign * SUM(x.returns)
    FROM (SELECT substr(o.order_date, 1, 7) AS month, 1 AS orders, o.amount AS revenue, 0 AS returns
          FROM orders o WHERE o.customer = new.code AND o.status NOT IN ('cancelled', 'pending_approval')
          UNION ALL
          SELECT substr(r.date, 1, 7), 0, 0, r.amount FROM orders o JOIN returns r ON r.order_id = o.id
          WHERE o.customer = new.code AND o.status NOT IN ('cancelled', 'pending_approval')) AS x
    JOIN (SELECT 0 AS grain UNION ALL SELECT 1 UNION ALL SELECT 2) AS g
    JOIN (SELECT old.tier AS tier, -1 AS sign UNION ALL SELECT new.tier, 1) AS s
    GROUP BY 1, s.tier
    ON CONFLICT (period, tier) DO UPDATE SET customers = customers + excluded.customers,
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
