-- socctl journal, schema 3. Never edit a shipped migration: add the next numbered file.

-- Who was assigned the occurrence when a `done` (or `skipped`) was recorded, beside
-- `by_whom` (who recorded it). NULL: nobody in particular, or a record from before schema 3.
ALTER TABLE records ADD COLUMN assignee TEXT;

-- Cover records: leave (`away`: a person away from `from_date` to `to_date`, with an
-- optional `cover`), swaps (`swap`: one team's occurrence of a task handed to `person`) and
-- their cancellations (`cancel`, naming the record in `cancels`). Append-only, like
-- `records`. Recording reads every cover record and inserts under the write lock, so two
-- conflicting recordings at once end as one of them after the other would.
CREATE TABLE covers (
    id          TEXT NOT NULL PRIMARY KEY,  -- UUID, kept across export and import
    kind        TEXT NOT NULL CHECK (kind IN ('away', 'swap', 'cancel')),
    person      TEXT,   -- away: who is away; swap: who takes the occurrence
    from_date   TEXT,   -- away: the first day away, YYYY-MM-DD
    to_date     TEXT,   -- away: the last day away
    cover       TEXT,   -- away: who covers (NULL: the next available member)
    task        TEXT,   -- swap: the task id
    occurrence  TEXT,   -- swap: the occurrence's due date
    team        TEXT,   -- swap: the team id
    cancels     TEXT,   -- cancel: the cover record cancelled
    by_whom     TEXT NOT NULL,
    recorded_at TEXT NOT NULL,  -- RFC 3339, UTC
    note        TEXT            -- the reason
) STRICT, WITHOUT ROWID;

-- The cancellation in force of each cover record: at most one, by the primary key.
CREATE TABLE cancellations (
    cancels   TEXT NOT NULL PRIMARY KEY,
    record_id TEXT NOT NULL
) STRICT, WITHOUT ROWID;
