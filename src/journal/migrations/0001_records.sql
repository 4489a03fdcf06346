-- socctl journal, schema 1. Never edit a shipped migration: add the next numbered file.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- Append-only: socctl inserts rows and never updates or deletes them. Rows are stored in
-- (task, occurrence) order, so the records of an occurrence range are read contiguously.
CREATE TABLE records (
    id          TEXT NOT NULL UNIQUE,  -- UUID, kept across export and import
    task        TEXT NOT NULL,      -- task id
    occurrence  TEXT NOT NULL,      -- the occurrence's due date, YYYY-MM-DD
    action      TEXT NOT NULL CHECK (action IN ('done', 'skipped', 'triggered', 'undone')),
    happened_on TEXT NOT NULL,      -- the day the work was done, skipped or triggered
    by_whom     TEXT NOT NULL,
    recorded_at TEXT NOT NULL,      -- RFC 3339, UTC
    note        TEXT,
    reference   TEXT,
    undoes      TEXT REFERENCES records (id),  -- for `undone`: the record it retracts
    PRIMARY KEY (task, occurrence, id)
) STRICT, WITHOUT ROWID;

CREATE INDEX records_by_time ON records (recorded_at);
