-- The scorecard's qualitative rating (定性评价): one per scope, code and period, replaced when rated again.
CREATE TABLE scorecard_ratings (
    scope     TEXT NOT NULL CHECK (scope IN ('region', 'rep')),
    code      TEXT NOT NULL,
    period    TEXT NOT NULL,
    score     INTEGER NOT NULL CHECK (score BETWEEN 0 AND 100),
    note      TEXT NOT NULL,
    rated_on  TEXT NOT NULL,
    PRIMARY KEY (scope, code, period)
) WITHOUT ROWID;
