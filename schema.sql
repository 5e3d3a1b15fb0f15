-- salesops schema, version 5 (the whole current schema: a new database is created from it; an older
-- one is brought here by the migrations in src/store/migrations/).
--
-- Conventions for anyone reading this file with sqlite3, Python or a BI tool:
--   * money columns are INTEGER in ten-thousandths of the currency unit (12.5 yuan = 125000), so sums are
--     exact; the views v_order_lines and v_monthly also show them as decimal yuan;
--   * rates (discounts) are INTEGER in millionths (15% = 150000);
--   * dates are TEXT 'YYYY-MM-DD'; months are TEXT 'YYYY-MM';
--   * codes (region, rep, customer, SKU, order id) are the keys users type, and are the primary keys.
-- The version lives in PRAGMA user_version. A change to this file comes with a migration that brings a
-- database of the version before to the same shape; a released migration is never edited.

-- Provinces or states. `region` is the region that holds the area: keeping it on the area itself makes
-- "an area in two regions" impossible to store. `excluded` marks an area the company does not sell in
-- (a mainland company and 香港, 澳门, 台湾): it is no gap, and no region may hold it.
CREATE TABLE areas (
    code      TEXT PRIMARY KEY,                 -- '44' (GB/T 2260), 'AK' (USPS) or a custom code
    name      TEXT NOT NULL UNIQUE,             -- short display name: '广东', 'Alaska'
    official  TEXT NOT NULL,                    -- '广东省'
    universe  TEXT NOT NULL CHECK (universe IN ('cn', 'us', 'custom')),
    region    TEXT REFERENCES regions (code) ON UPDATE CASCADE,
    excluded  INTEGER NOT NULL DEFAULT 0 CHECK (excluded IN (0, 1) AND (excluded = 0 OR region IS NULL))
);
CREATE INDEX areas_region ON areas (region);

-- Every normalised name an area answers to (name, official name, suffixed and traditional forms,
-- pinyin, English, codes). One key names one area, so matching is never ambiguous.
CREATE TABLE area_keys (
    key   TEXT PRIMARY KEY,
    area  TEXT NOT NULL REFERENCES areas (code) ON DELETE CASCADE ON UPDATE CASCADE
) WITHOUT ROWID;

-- Sales regions; `parent` subdivides them. `manager` is a rep (deferred: regions and their reps are
-- usually created together).
CREATE TABLE regions (
    code     TEXT PRIMARY KEY,
    name     TEXT NOT NULL,
    parent   TEXT REFERENCES regions (code),
    manager  TEXT REFERENCES reps (code) DEFERRABLE INITIALLY DEFERRED,
    CHECK (parent IS NULL OR parent <> code)
);

-- Salespeople. `left` is stored; suspension comes from the suspensions table, so a suspension ends by
-- itself on its date.
CREATE TABLE reps (
    code     TEXT PRIMARY KEY,
    name     TEXT NOT NULL,
    region   TEXT NOT NULL REFERENCES regions (code),
    role     TEXT NOT NULL DEFAULT 'rep' CHECK (role IN ('rep', 'supervisor', 'manager')),
    manager  TEXT REFERENCES reps (code) DEFERRABLE INITIALLY DEFERRED,
    phone    TEXT,
    email    TEXT,
    left_on  TEXT,                               -- set when the rep left; status 'left'
    CHECK (manager IS NULL OR manager <> code)
);
CREATE INDEX reps_region ON reps (region);

-- A rep may not sell from `start_date` through `until` (inclusive), unless lifted earlier by
-- `reps reinstate` (then not from `lifted_on` on).
CREATE TABLE suspensions (
    id          INTEGER PRIMARY KEY,
    rep         TEXT NOT NULL REFERENCES reps (code) ON DELETE CASCADE,
    start_date  TEXT NOT NULL,
    until       TEXT NOT NULL,
    reason      TEXT NOT NULL,
    lifted_on   TEXT,
    violation   INTEGER REFERENCES violations (id),
    CHECK (until >= start_date)
);
CREATE INDEX suspensions_rep ON suspensions (rep, until);

-- One customer database for every channel. Tier comes from `customers regrade` unless locked by hand.
CREATE TABLE customers (
    code         TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    area         TEXT REFERENCES areas (code),
    city         TEXT,
    company      TEXT,
    phone        TEXT,
    email        TEXT,
    channel      TEXT NOT NULL DEFAULT 'offline' CHECK (channel IN ('online', 'offline', 'agent')),
    segment      TEXT,
    owner        TEXT REFERENCES reps (code),
    tier         TEXT NOT NULL DEFAULT 'normal' CHECK (tier IN ('normal', 'important', 'key')),
    tier_locked  INTEGER NOT NULL DEFAULT 0 CHECK (tier_locked IN (0, 1)),
    status       TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('lead', 'active', 'inactive')),
    terms_days   INTEGER CHECK (terms_days >= 0),
    created      TEXT NOT NULL,
    phone_key    TEXT,                           -- phone without spaces, dashes and a leading +86
    email_key    TEXT,                           -- email in lower case
    first_order  TEXT                            -- date of the first counting order (new customers)
    -- Added in version 5: the campaign that brought the customer or lead.
    , campaign TEXT REFERENCES campaigns (code));
CREATE INDEX customers_owner ON customers (owner);
CREATE INDEX customers_area ON customers (area);
CREATE INDEX customers_phone_key ON customers (phone_key);
CREATE INDEX customers_email_key ON customers (email_key);
CREATE INDEX customers_first_order ON customers (first_order);

-- Follow-ups (call, visit, email, message) and tier changes, in date order per customer.
CREATE TABLE customer_events (
    id        INTEGER PRIMARY KEY,
    customer  TEXT NOT NULL REFERENCES customers (code) ON DELETE CASCADE,
    date      TEXT NOT NULL,
    kind      TEXT NOT NULL CHECK (kind IN ('call', 'visit', 'email', 'message', 'tier')),
    note      TEXT,
    old_tier  TEXT,
    new_tier  TEXT
);
CREATE INDEX customer_events_customer ON customer_events (customer, date);

-- The catalogue. Prices live in `prices`, dated.
CREATE TABLE products (
    sku       TEXT PRIMARY KEY,
    name      TEXT NOT NULL,
    category  TEXT,
    unit      TEXT
);

-- Price history: the row with the latest `effective` on or before a date is in force on that date.
-- The first row of a product is effective from '0001-01-01' (always).
CREATE TABLE prices (
    id           INTEGER PRIMARY KEY,
    sku          TEXT NOT NULL REFERENCES products (sku) ON DELETE CASCADE,
    effective    TEXT NOT NULL,
    list_price   INTEGER NOT NULL CHECK (list_price >= 0),
    floor_price  INTEGER CHECK (floor_price >= 0),
    cost         INTEGER NOT NULL CHECK (cost >= 0),
    reason       TEXT,
    UNIQUE (sku, effective)
);

-- Orders. Area, region, rep and due date are fixed when the order is recorded, so redrawing regions or
-- moving customers does not rewrite history. amount/cost/quantity/lines are stored totals of the lines.
CREATE TABLE orders (
    id              TEXT PRIMARY KEY,
    order_date      TEXT NOT NULL,
    customer        TEXT NOT NULL REFERENCES customers (code),
    rep             TEXT REFERENCES reps (code),
    area            TEXT REFERENCES areas (code),
    region          TEXT REFERENCES regions (code),
    province        TEXT REFERENCES areas (code),   -- the ship-to area when given
    channel         TEXT NOT NULL CHECK (channel IN ('online', 'offline', 'agent')),
    status          TEXT NOT NULL CHECK (status IN ('pending_approval', 'confirmed', 'shipped',
                                                    'delivered', 'completed', 'cancelled')),
    due_date        TEXT NOT NULL,
    approved_by     TEXT REFERENCES reps (code),
    ship_date       TEXT,
    carrier         TEXT,
    tracking        TEXT,
    delivered_date  TEXT,
    completed_date  TEXT,
    cancel_reason   TEXT,
    lines           INTEGER NOT NULL DEFAULT 0,
    quantity        INTEGER NOT NULL DEFAULT 0,
    amount          INTEGER NOT NULL DEFAULT 0,
    cost            INTEGER NOT NULL DEFAULT 0,
    returned        INTEGER NOT NULL DEFAULT 0,     -- value of its returns
    paid            INTEGER NOT NULL DEFAULT 0,     -- sum of its payments
    settled_on      TEXT                            -- when amount - returned - paid reached 0; NULL while open
    -- Added in version 5 (written as the migration's ALTER TABLE leaves them, so both files are one):
    -- the warehouse it ships from (stock), the campaign it is attributed to, and what the company
    -- paid to ship it.
    , warehouse TEXT REFERENCES warehouses (code), campaign TEXT REFERENCES campaigns (code),
    freight INTEGER CHECK (freight >= 0));
CREATE INDEX orders_date ON orders (order_date);
-- Covers the receivables scan (open balances as of a date) so it never reads the orders themselves.
CREATE INDEX orders_settled ON orders (settled_on, order_date, status, customer, due_date, amount, paid, returned, id);
CREATE INDEX orders_customer ON orders (customer, order_date);
-- No index by rep or region: each would cost an import a third of its time, and every question by
-- rep or region reads the report rollups or a date range instead.

-- Order lines. `amount` is the line's net amount after discount; `unit_cost` × quantity is its cost
-- unless `cost` was imported as amount − profit.
CREATE TABLE order_lines (
    order_id    TEXT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    line_no     INTEGER NOT NULL CHECK (line_no >= 1),
    sku         TEXT NOT NULL REFERENCES products (sku),
    quantity    INTEGER NOT NULL CHECK (quantity > 0),
    unit_price  INTEGER NOT NULL CHECK (unit_price >= 0),
    discount    INTEGER CHECK (discount >= 0 AND discount <= 1000000),
    amount      INTEGER NOT NULL CHECK (amount >= 0),
    unit_cost   INTEGER CHECK (unit_cost >= 0),
    profit      INTEGER,                             -- as imported, when cost came from profit
    cost        INTEGER NOT NULL,
    PRIMARY KEY (order_id, line_no)
) WITHOUT ROWID;
-- No index on sku: one per line would slow every import, and only `products remove` asks by SKU.

-- Returns of delivered goods, valued at the line's amount / quantity × returned quantity.
CREATE TABLE returns (
    id        INTEGER PRIMARY KEY,
    order_id  TEXT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    line_no   INTEGER NOT NULL,
    quantity  INTEGER NOT NULL CHECK (quantity > 0),
    amount    INTEGER NOT NULL CHECK (amount >= 0),
    cost      INTEGER NOT NULL,
    date      TEXT NOT NULL,
    reason    TEXT NOT NULL,
    kind      TEXT NOT NULL DEFAULT 'customer' CHECK (kind IN ('quality', 'customer')),
    ticket    TEXT REFERENCES tickets (id),       -- the service ticket the return answers, if any
    FOREIGN KEY (order_id, line_no) REFERENCES order_lines (order_id, line_no) ON DELETE CASCADE
);
CREATE INDEX returns_order ON returns (order_id, line_no);
CREATE INDEX returns_date ON returns (date);

CREATE TABLE payments (
    id         INTEGER PRIMARY KEY,
    order_id   TEXT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    date       TEXT NOT NULL,
    amount     INTEGER NOT NULL,
    method     TEXT NOT NULL DEFAULT 'transfer'
               CHECK (method IN ('alipay', 'wechat', 'card', 'transfer', 'cheque', 'cash', 'other')),
    reference  TEXT UNIQUE
);
CREATE INDEX payments_order ON payments (order_id);

-- Targets per region or rep and period ('2026', '2026-Q3', '2026-10'); start/end bound the period.
CREATE TABLE targets (
    scope       TEXT NOT NULL CHECK (scope IN ('region', 'rep')),
    code        TEXT NOT NULL,
    period      TEXT NOT NULL,
    start_date  TEXT NOT NULL,
    end_date    TEXT NOT NULL,
    revenue     INTEGER,
    quantity    INTEGER,
    profit      INTEGER,
    PRIMARY KEY (scope, code, period)
);

-- Market prices seen on platforms.
CREATE TABLE observations (
    id        INTEGER PRIMARY KEY,
    date      TEXT NOT NULL,
    sku       TEXT NOT NULL REFERENCES products (sku),
    price     INTEGER NOT NULL,
    platform  TEXT,
    seller    TEXT,
    area      TEXT REFERENCES areas (code),
    url       TEXT,
    UNIQUE (date, sku, price, platform, seller, area, url)
);

-- The violations ledger. `key` identifies a finding so a check records it once:
-- kind|order|line, kind|region|sku|period, or kind|observation.
CREATE TABLE violations (
    id           INTEGER PRIMARY KEY,
    key          TEXT NOT NULL UNIQUE,
    kind         TEXT NOT NULL,
    order_id     TEXT,
    line_no      INTEGER,
    sku          TEXT,
    rep          TEXT,
    region       TEXT,
    date         TEXT NOT NULL,
    detail       TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
    action       TEXT CHECK (action IN ('dismiss', 'warning', 'fine', 'suspend')),
    fine         INTEGER,
    days         INTEGER,
    note         TEXT,
    resolved_on  TEXT
);
CREATE INDEX violations_rep ON violations (rep, date);
CREATE INDEX violations_date ON violations (date);
-- The rep's confirmed violations, for the escalation ladder's count (a few, among many open ones).
CREATE INDEX violations_confirmed ON violations (rep, date)
    WHERE status = 'resolved' AND action IN ('warning', 'fine', 'suspend');
-- Findings resolved in the ledger leave the report's counts; they are few among many open ones.
CREATE INDEX violations_resolved ON violations (date) WHERE status = 'resolved';

-- Policy values set by `policy set`; keys not here have their defaults.
CREATE TABLE policy (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);

-- Every command that wrote: when (UTC), who, the command line, what changed.
CREATE TABLE audit (
    id       INTEGER PRIMARY KEY,
    at       TEXT NOT NULL,
    user     TEXT NOT NULL,
    command  TEXT NOT NULL,
    summary  TEXT NOT NULL
);

-- Report rollups, kept current in the same transaction as every order, status, return, payment and
-- import write, so a report reads a few thousand rows however many lines there are. `db check`
-- recomputes them all from the lines. Only counting orders (not cancelled, not pending approval) are in
-- them. Sales count in the month of the order date, returns in the month of the return date, under the
-- order's customer, region, rep and channel ('' when the order has no region or rep).

-- The book's gross, one row: the magnitudes of every figure of counting orders added up (`money`: the
-- lines' amounts and costs, the returns' amounts and costs, the payments; `quantity`: pieces sold and
-- returned). Every sum a report or a check takes of those figures is at most this, so a write that
-- would take either past 10^18 (10^14 in the currency; pieces: 10^14) is refused and no sum overflows.
CREATE TABLE book (
    money     INTEGER NOT NULL DEFAULT 0,
    quantity  INTEGER NOT NULL DEFAULT 0
);
INSERT INTO book (money, quantity) VALUES (0, 0);

-- Per month × region × rep × channel: totals, regions, reps, channels, trends and target progress.
CREATE TABLE sales_monthly_groups (
    month     TEXT NOT NULL,
    region    TEXT NOT NULL,
    rep       TEXT NOT NULL,
    channel   TEXT NOT NULL,
    revenue   INTEGER NOT NULL DEFAULT 0,
    returns   INTEGER NOT NULL DEFAULT 0,
    cost      INTEGER NOT NULL DEFAULT 0,   -- line costs less the cost of returns
    quantity  INTEGER NOT NULL DEFAULT 0,   -- net of returns
    orders    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (month, region, rep, channel)
) WITHOUT ROWID;

-- Per month × customer: distinct customers over spans that are not one calendar month, quarter or year
-- (those are counted in tier_periods).
CREATE TABLE customer_monthly (
    month     TEXT NOT NULL,
    customer  TEXT NOT NULL,
    revenue   INTEGER NOT NULL DEFAULT 0,
    returns   INTEGER NOT NULL DEFAULT 0,
    orders    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (month, customer)
) WITHOUT ROWID;

-- Per calendar period (a month 'YYYY-MM', a quarter 'YYYY-Qn', a year 'YYYY') × the customers' current
-- tier: `customers` counts those with a counting order in the period (so a period's customers are the
-- sum over tiers), `revenue` and `returns` are theirs. The trigger below moves a customer's periods when
-- its tier changes, by whatever path, reading them from its orders (orders_customer index): an index on
-- customer_monthly by customer would cost every import a random insert per customer month.
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

-- Per month × SKU × region: top products, and the regional price spread (Σ revenue / Σ sold).
CREATE TABLE product_monthly (
    month     TEXT NOT NULL,
    sku       TEXT NOT NULL,
    region    TEXT NOT NULL,
    revenue   INTEGER NOT NULL DEFAULT 0,
    returns   INTEGER NOT NULL DEFAULT 0,
    cost      INTEGER NOT NULL DEFAULT 0,
    quantity  INTEGER NOT NULL DEFAULT 0,   -- net of returns
    sold      INTEGER NOT NULL DEFAULT 0,   -- the lines' quantity, before returns
    PRIMARY KEY (month, sku, region)
) WITHOUT ROWID;

-- Receivables: every change to what counting orders owe, by the due date of the order and the date
-- of the change (+amount on the order date, −payments and −returns on their dates, never before the
-- order date). The balance due on D as of A is the sum over event_date <= A; aging as of A reads the
-- due dates of the last 90 days here and the rest as one sum from receivables_events.
CREATE TABLE receivables_daily (
    due_date    TEXT NOT NULL,
    event_date  TEXT NOT NULL,
    amount      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (due_date, event_date)
) WITHOUT ROWID;

-- The same summed over due dates: what all counting orders owe as of a date is the sum up to it.
CREATE TABLE receivables_events (
    event_date  TEXT PRIMARY KEY,
    amount      INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

-- Price marks of the lines of counting orders per month, against the prices in force on each line's
-- order date but independent of the policy, so `policy set` changes nothing here and the report applies
-- today's thresholds: `below_floor` and `below_cost` (value 0) count lines; `discount` and
-- `unapproved_discount` count lines by their effective discount in millionths (above zero only; the
-- second for orders nobody approved); `off_list` counts lines by 2 × floor(|unit − list| / list in
-- millionths), plus 1 when that division is not exact, so "above a tolerance T" is "value > 2T".
-- A price change recomputes the months it reaches.
CREATE TABLE price_marks_monthly (
    month  TEXT NOT NULL,
    mark   TEXT NOT NULL CHECK (mark IN ('below_floor', 'below_cost', 'discount', 'unapproved_discount', 'off_list')),
    value  INTEGER NOT NULL,
    lines  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (month, mark, value)
) WITHOUT ROWID;

-- Report-ready views for other tools (money here in yuan as REAL, for reading only).
CREATE VIEW v_order_lines AS
SELECT l.order_id, l.line_no, o.order_date, substr(o.order_date, 1, 7) AS month, o.region, o.rep,
       o.customer, c.tier, o.channel, o.status, l.sku, l.quantity,
       l.amount / 10000.0 AS amount, l.cost / 10000.0 AS cost, (l.amount - l.cost) / 10000.0 AS profit
FROM order_lines l JOIN orders o ON o.id = l.order_id JOIN customers c ON c.code = o.customer;

CREATE VIEW v_monthly AS
SELECT month, NULLIF(region, '') AS region, NULLIF(rep, '') AS rep,
       SUM(revenue - returns) / 10000.0 AS net_revenue, SUM(quantity) AS quantity,
       SUM(revenue - returns - cost) / 10000.0 AS profit
FROM sales_monthly_groups GROUP BY month, region, rep;

-- Key/value facts about this database (the area universe chosen at init).
CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);

-- ===== Stock: warehouses, stock moves, the stock rollup. =====

-- Warehouses. One stock serves online and offline sales; `opened` is the first day its stock counts:
-- orders dated before it never touch stock.
CREATE TABLE warehouses (
    code    TEXT PRIMARY KEY,
    name    TEXT NOT NULL,
    opened  TEXT NOT NULL
);
-- The regions a warehouse serves; a region is served by at most one warehouse. An order's warehouse
-- is resolved from these (its region, else the nearest region above it) when it is recorded.
CREATE TABLE warehouse_regions (
    region     TEXT PRIMARY KEY REFERENCES regions (code) ON DELETE CASCADE,
    warehouse  TEXT NOT NULL REFERENCES warehouses (code) ON DELETE CASCADE
);
CREATE INDEX warehouse_regions_warehouse ON warehouse_regions (warehouse);
-- Stock moves, signed (+ in, − out), dated and kept forever. `ship` and `return` moves carry their
-- order id in `reference`; a transfer is a pair of moves with one reference.
CREATE TABLE stock_moves (
    id         INTEGER PRIMARY KEY,
    date       TEXT NOT NULL,
    warehouse  TEXT NOT NULL REFERENCES warehouses (code),
    sku        TEXT NOT NULL REFERENCES products (sku),
    quantity   INTEGER NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('receive', 'ship', 'return', 'adjust', 'transfer')),
    reference  TEXT,
    note       TEXT
);
CREATE INDEX stock_moves_date ON stock_moves (date);
CREATE INDEX stock_moves_item ON stock_moves (warehouse, sku, date);
CREATE INDEX stock_moves_reference ON stock_moves (reference, kind);
-- Rollup: the moves summed by warehouse × SKU × month × kind, kept with every move (store::stock).
-- The report's stock section reads only this and the moves of a partial month at a period's edge.
CREATE TABLE stock_monthly (
    warehouse  TEXT NOT NULL,
    sku        TEXT NOT NULL,
    month      TEXT NOT NULL,
    kind       TEXT NOT NULL,
    quantity   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (warehouse, sku, month, kind)
) WITHOUT ROWID;
-- Rollup: every move summed by warehouse × SKU × kind, kept with every move: the opening of a period
-- is this less the months from the period on, so a report reads the months since its period, never
-- the whole history.
CREATE TABLE stock_totals (
    warehouse  TEXT NOT NULL,
    sku        TEXT NOT NULL,
    kind       TEXT NOT NULL,
    quantity   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (warehouse, sku, kind)
) WITHOUT ROWID;
-- [v6 speed] Rollup: every move summed by warehouse × month × kind, kept with every move: the
-- report's stock section reads its opening and flows per warehouse here (a few rows per warehouse
-- and month, whatever the SKUs), and only the closing units per SKU (for their value) elsewhere.
CREATE TABLE stock_warehouse_monthly (
    warehouse  TEXT NOT NULL,
    month      TEXT NOT NULL,
    kind       TEXT NOT NULL,
    quantity   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (warehouse, month, kind)
) WITHOUT ROWID;
-- [v6 speed] The months after a period, per SKU, for its closing units (stock_totals less them)
-- without reading the months before it. Not covering: an upsert that changes only the quantity
-- leaves the index as it is (an import adds to these rows all the time).
CREATE INDEX stock_monthly_month ON stock_monthly (month, warehouse, sku);
-- [end v6 speed]
-- Rollup: units of confirmed, not yet shipped orders by warehouse × SKU (orders dated before their
-- warehouse opened are left out), kept by the ledger when an order's status changes.
CREATE TABLE stock_reserved (
    warehouse  TEXT NOT NULL,
    sku        TEXT NOT NULL,
    quantity   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (warehouse, sku)
) WITHOUT ROWID;
-- Reorder points, per warehouse and SKU.
CREATE TABLE stock_reorder (
    warehouse   TEXT NOT NULL REFERENCES warehouses (code) ON DELETE CASCADE,
    sku         TEXT NOT NULL REFERENCES products (sku) ON DELETE CASCADE,
    reorder_at  INTEGER NOT NULL CHECK (reorder_at >= 0),
    PRIMARY KEY (warehouse, sku)
) WITHOUT ROWID;

-- ===== Service: after-sales tickets. =====

-- A request for after-sales service (售后工单): an inquiry, complaint, repair, exchange or refund of
-- a customer. Its id is T + the date it was opened + a number of that day (T20260306-001). Times are
-- 'YYYY-MM-DD HH:MM' (minute precision, local time). The region is the customer's region when the
-- ticket was opened, kept so that redrawing regions does not rewrite history (as orders keep theirs).
-- The due times are fixed when it is opened: response_due = opened_at + service.response_hours
-- business hours, resolve_due = + service.resolve_hours (service.complaint_resolve_hours for a
-- complaint), in calendar.hours on working days. first_resolved_at is the first resolution ever (a
-- reopen clears resolved_at and closed_at but not it); reopened counts the reopens. A reopened ticket
-- keeps its satisfaction score until it is closed again with a new one.
CREATE TABLE tickets (
    id                 TEXT PRIMARY KEY,
    customer           TEXT NOT NULL REFERENCES customers (code),
    kind               TEXT NOT NULL CHECK (kind IN ('inquiry', 'complaint', 'repair', 'exchange', 'refund')),
    summary            TEXT NOT NULL,
    order_id           TEXT REFERENCES orders (id),
    channel            TEXT CHECK (channel IN ('phone', 'online', 'email', 'visit', 'platform')),
    assignee           TEXT REFERENCES reps (code),
    region             TEXT REFERENCES regions (code) ON UPDATE CASCADE,
    status             TEXT NOT NULL CHECK (status IN ('open', 'responded', 'resolved', 'closed')),
    opened_at          TEXT NOT NULL,
    response_due       TEXT NOT NULL,
    resolve_due        TEXT NOT NULL,
    responded_at       TEXT,
    resolved_at        TEXT,
    first_resolved_at  TEXT,
    closed_at          TEXT,
    satisfaction       INTEGER CHECK (satisfaction BETWEEN 1 AND 5),
    reopened           INTEGER NOT NULL DEFAULT 0 CHECK (reopened >= 0)
);
CREATE INDEX tickets_opened ON tickets (opened_at);
CREATE INDEX tickets_status ON tickets (status);
CREATE INDEX tickets_customer ON tickets (customer);

-- The timeline of a ticket: every move with its time, who (the assignee named) and its note.
CREATE TABLE ticket_events (
    id      INTEGER PRIMARY KEY,
    ticket  TEXT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    at      TEXT NOT NULL,
    event   TEXT NOT NULL CHECK (event IN ('opened', 'assigned', 'responded', 'resolved', 'closed', 'reopened')),
    rep     TEXT,
    note    TEXT
);
CREATE INDEX ticket_events_ticket ON ticket_events (ticket, at);

-- ===== Campaigns and carriers. =====
-- Promotion campaigns with their daily spend and traffic (one row per campaign and day: a second record
-- of a day replaces the values it gives); orders and customers name the campaign they came through
-- (orders.campaign, customers.campaign). campaign_daily is the rollup of the orders attributed to a
-- campaign: per order date, the counting orders, their amount and cost and the new customers they
-- brought; per return date, the returns of those orders. Carriers with their delivery promise in
-- calendar days; orders.freight is what shipping an order cost. carrier_daily is the rollup of counting
-- shipped orders per carrier as written on the order (orders.carrier), ship date and delivery days
-- (-1 while in transit, -2 delivered without a delivery date): shipments, freight, the orders' amount
-- less all their returns, and their returns of kind quality. The ledger keeps both rollups in the
-- transaction of every write; `salesops db check` recomputes them.
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
CREATE INDEX orders_campaign ON orders (campaign, order_date) WHERE campaign IS NOT NULL;
CREATE INDEX customers_campaign ON customers (campaign) WHERE campaign IS NOT NULL;

-- ===== Scorecard (version 6): the qualitative ratings. =====
-- scorecard_ratings holds a manager's rating (定性评价) of a region or rep for a period: `period` is
-- the period's label as `--period` names it (2026-03, 2026-Q1, 2026, 2026-01-05..2026-02-20), and a
-- scorecard of that exact period uses it; `score` 0 to 100; `note` why; `rated_on` the day it was
-- given (today of the command). Rating the same scope, code and period again replaces the row (the
-- audit log keeps the earlier one). `code` is not a foreign key: a region or rep removed later keeps
-- its history.
CREATE TABLE scorecard_ratings (
    scope     TEXT NOT NULL CHECK (scope IN ('region', 'rep')),
    code      TEXT NOT NULL,
    period    TEXT NOT NULL,
    score     INTEGER NOT NULL CHECK (score BETWEEN 0 AND 100),
    note      TEXT NOT NULL,
    rated_on  TEXT NOT NULL,
    PRIMARY KEY (scope, code, period)
) WITHOUT ROWID;
