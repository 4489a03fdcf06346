-- socctl journal on PostgreSQL, schema 3. Never edit a shipped migration: add the next
-- numbered file.

-- Who was assigned the occurrence when a `done` (or `skipped`) was recorded, beside
-- `by_whom` (who recorded it). NULL: nobody in particular, or a record from before schema 3.
ALTER TABLE socctl.records ADD COLUMN assignee text COLLATE "C";

-- Cover records: leave (`away`: a person away from `from_date` to `to_date`, with an
-- optional `cover`), swaps (`swap`: one team's occurrence of a task handed to `person`) and
-- their cancellations (`cancel`, naming the record in `cancels`). Append-only, like
-- `records`. Recording holds a transaction-scoped advisory lock while it reads every cover
-- record and inserts, so two conflicting recordings at once end as one of them after the
-- other would.
CREATE TABLE socctl.covers (
    id          text COLLATE "C" PRIMARY KEY,
    kind        text NOT NULL CHECK (kind IN ('away', 'swap', 'cancel')),
    person      text COLLATE "C",
    from_date   date,
    to_date     date,
    cover       text COLLATE "C",
    task        text COLLATE "C",
    occurrence  date,
    team        text COLLATE "C",
    cancels     text COLLATE "C",
    by_whom     text NOT NULL,
    recorded_at text COLLATE "C" NOT NULL,
    note        text
);

-- The cancellation in force of each cover record: at most one, by the primary key.
CREATE TABLE socctl.cancellations (
    cancels   text COLLATE "C" PRIMARY KEY,
    record_id text COLLATE "C" NOT NULL
);
