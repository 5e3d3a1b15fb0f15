-- Version 5, campaigns and carriers: promotion spend, attribution, freight (see schema.sql).
CREATE TABLE campaigns (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    channel     TEXT NOT NULL CHECK (channel IN ('search', 'social', 'platform', 'email', 'offline', 'other')),
    region      TEXT REFERENCES regions (code),
    start_date  TEXT NOT NULL,
    end_date    TEXT NOT NULL CHECK (end_date >= start_date),
    budget      INTEGER CHECK (budget >= 0)
);
CREATE TABLE campaign_records (
    campaign     TEXT NOT NULL REFERENCES campaigns (code),
    date         TEXT NOT NULL,
    spend        INTEGER NOT NULL DEFAULT 0 CHECK (spend >= 0),
    impressions  INTEGER NOT NULL DEFAULT 0 CHECK (impressions >= 0),
    clicks       INTEGER NOT NULL DEFAULT 0 CHECK (clicks >= 0),
    visits       INTEGER NOT NULL DEFAULT 0 CHECK (visits >= 0),
    PRIMARY KEY (campaign, date)
) WITHOUT ROWID;
CREATE TABLE campaign_daily (
    campaign       TEXT NOT NULL,
    date           TEXT NOT NULL,
    orders         INTEGER NOT NULL DEFAULT 0,
    revenue        INTEGER NOT NULL DEFAULT 0,
    cost           INTEGER NOT NULL DEFAULT 0,
    returns        INTEGER NOT NULL DEFAULT 0,
    returns_cost   INTEGER NOT NULL DEFAULT 0,
    new_customers  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign, date)
) WITHOUT ROWID;
CREATE TABLE carriers (
    code          TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    promise_days  INTEGER NOT NULL CHECK (promise_days >= 0)
);
CREATE TABLE carrier_daily (
    carrier          TEXT NOT NULL,
    ship_date        TEXT NOT NULL,
    days             INTEGER NOT NULL,
    shipments        INTEGER NOT NULL DEFAULT 0,
    freight          INTEGER NOT NULL DEFAULT 0,
    net_revenue      INTEGER NOT NULL DEFAULT 0,
    quality_returns  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (carrier, ship_date, days)
) WITHOUT ROWID;
ALTER TABLE orders ADD COLUMN campaign TEXT REFERENCES campaigns (code);
ALTER TABLE orders ADD COLUMN freight INTEGER CHECK (freight >= 0);
ALTER TABLE customers ADD COLUMN campaign TEXT REFERENCES campaigns (code);
CREATE INDEX orders_campaign ON orders (campaign, order_date) WHERE campaign IS NOT NULL;
CREATE INDEX customers_campaign ON customers (campaign) WHERE campaign IS NOT NULL;
-- The carrier rollup of the shipments already recorded (no order names a campaign yet).
INSERT INTO carrier_daily (carrier, ship_date, days, shipments, freight, net_revenue, quality_returns)
SELECT COALESCE(o.carrier, ''), o.ship_date,
       CASE WHEN o.delivered_date IS NOT NULL
            THEN CAST(julianday(o.delivered_date) - julianday(o.ship_date) AS INTEGER)
            WHEN o.status = 'shipped' THEN -1 ELSE -2 END,
       COUNT(*), SUM(COALESCE(o.freight, 0)), SUM(o.amount - o.returned),
       SUM((SELECT COUNT(*) FROM returns r WHERE r.order_id = o.id AND r.kind = 'quality'))
FROM orders o WHERE o.ship_date IS NOT NULL AND o.status NOT IN ('cancelled', 'pending_approval')
GROUP BY 1, 2, 3;
