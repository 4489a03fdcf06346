-- socctl journal on PostgreSQL, schema 1. Never edit a shipped migration: add the next
-- numbered file. Everything lives in the `socctl` schema, so the journal can share a
-- database with other programs; the migration runner creates that schema and
-- socctl.schema_migrations before the first file runs.

CREATE TABLE socctl.meta (
    key   text PRIMARY KEY,
    value text NOT NULL
);

-- Append-only: socctl inserts rows and never updates or deletes them. Text compares
-- byte by byte ("C"), as in SQLite, so both stores list records in the same order.
CREATE TABLE socctl.records (
    id          text COLLATE "C" PRIMARY KEY,   -- UUID, kept across export, import and copy
    task        text COLLATE "C" NOT NULL,
    occurrence  date NOT NULL,      -- the occurrence's due date
    action      text NOT NULL CHECK (action IN ('done', 'skipped', 'triggered', 'undone')),
    happened_on date NOT NULL,      -- the day the work was done, skipped or triggered
    by_whom     text NOT NULL,
    recorded_at text COLLATE "C" NOT NULL,     -- RFC 3339, UTC, fixed width (nanoseconds survive)
    note        text,
    reference   text,
    undoes      text COLLATE "C"    -- for `undone`: the record it retracts
);

-- `due`, `week`, `overdue` and recording read by task and occurrence range; with every
-- team's tasks, `due` reads by occurrence range alone. socctl sorts what it reads itself, so
-- no index has to match ORDER BY.
CREATE INDEX records_by_occurrence ON socctl.records (task, occurrence);
CREATE INDEX records_by_occurrence_alone ON socctl.records (occurrence);
-- History and export read in time order.
CREATE INDEX records_by_time ON socctl.records (recorded_at, id);
-- Which records are retracted (settlements are recomputed from this).
CREATE INDEX records_by_undoes ON socctl.records (undoes) WHERE undoes IS NOT NULL;

-- The records in force that settle (`done`/`skipped`) or trigger an occurrence: at most
-- one of each per occurrence, enforced by the primary key. A record takes its settlement
-- in the transaction that inserts it; a retraction releases it. Two hosts recording the
-- same occurrence at once: the second INSERT waits for the first transaction and then
-- finds the key taken.
CREATE TABLE socctl.settlements (
    task       text COLLATE "C" NOT NULL,
    occurrence date NOT NULL,
    kind       text NOT NULL CHECK (kind IN ('settled', 'triggered')),
    record_id  text COLLATE "C" NOT NULL,
    PRIMARY KEY (task, occurrence, kind)
);
CREATE INDEX settlements_by_record ON socctl.settlements (record_id);
