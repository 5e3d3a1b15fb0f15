-- Version 6, speed: the stock rollup the report's stock section reads per warehouse (see schema.sql),
-- filled from the month rollup it summarises, and the month index through which a period's closing
-- units are read without touching the months before it.
CREATE TABLE stock_warehouse_monthly (
    warehouse  TEXT NOT NULL,
    month      TEXT NOT NULL,
    kind       TEXT NOT NULL,
    quantity   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (warehouse, month, kind)
) WITHOUT ROWID;
INSERT INTO stock_warehouse_monthly (warehouse, month, kind, quantity)
    SELECT warehouse, month, kind, SUM(quantity) FROM stock_monthly
    GROUP BY warehouse, month, kind HAVING SUM(quantity) <> 0;
CREATE INDEX stock_monthly_month ON stock_monthly (month, warehouse, sku);
