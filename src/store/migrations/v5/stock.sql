-- Version 5, stock: warehouses, stock moves and their rollup (see schema.sql).
CREATE TABLE warehouses (
    code    TEXT PRIMARY KEY,
    name    TEXT NOT NULL,
    opened  TEXT NOT NULL
);
CREATE TABLE warehouse_regions (
    region     TEXT PRIMARY KEY REFERENCES regions (code) ON DELETE CASCADE,
    warehouse  TEXT NOT NULL REFERENCES warehouses (code) ON DELETE CASCADE
);
CREATE INDEX warehouse_regions_warehouse ON warehouse_regions (warehouse);
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
CREATE TABLE stock_monthly (
    warehouse  TEXT NOT NULL,
    sku        TEXT NOT NULL,
    month      TEXT NOT NULL,
    kind       TEXT NOT NULL,
    quantity   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (warehouse, sku, month, kind)
) WITHOUT ROWID;
CREATE TABLE stock_totals (
    warehouse  TEXT NOT NULL,
    sku        TEXT NOT NULL,
    kind       TEXT NOT NULL,
    quantity   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (warehouse, sku, kind)
) WITHOUT ROWID;
CREATE TABLE stock_reserved (
    warehouse  TEXT NOT NULL,
    sku        TEXT NOT NULL,
    quantity   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (warehouse, sku)
) WITHOUT ROWID;
CREATE TABLE stock_reorder (
    warehouse   TEXT NOT NULL REFERENCES warehouses (code) ON DELETE CASCADE,
    sku         TEXT NOT NULL REFERENCES products (sku) ON DELETE CASCADE,
    reorder_at  INTEGER NOT NULL CHECK (reorder_at >= 0),
    PRIMARY KEY (warehouse, sku)
) WITHOUT ROWID;
ALTER TABLE orders ADD COLUMN warehouse TEXT REFERENCES warehouses (code);
