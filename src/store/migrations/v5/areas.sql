-- Version 5, the scope of the map: areas the company does not sell in (see schema.sql).
ALTER TABLE areas ADD COLUMN excluded INTEGER NOT NULL DEFAULT 0 CHECK (excluded IN (0, 1) AND (excluded = 0 OR region IS NULL));
