-- Version 5, service: after-sales tickets and their timeline (see schema.sql).

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

ALTER TABLE returns ADD COLUMN ticket TEXT REFERENCES tickets (id);
