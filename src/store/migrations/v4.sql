-- Version 4: the book's gross (see schema.sql), one row, filled by the Rust step from the counting
-- orders' lines, returns and payments.
CREATE TABLE book (
    money     INTEGER NOT NULL DEFAULT 0,
    quantity  INTEGER NOT NULL DEFAULT 0
);
INSERT INTO book (money, quantity) VALUES (0, 0);
