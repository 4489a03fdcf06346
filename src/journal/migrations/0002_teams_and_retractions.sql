-- socctl journal, schema 2. Never edit a shipped migration: add the next numbered file.

-- A record names the team whose obligation it settles (a team id of roles.yaml). NULL: every
-- team of the task, which is what every record made before schema 2 means, and what
-- `--all-teams` records.
ALTER TABLE records ADD COLUMN team TEXT;

-- The retraction in force of each record: at most one, enforced by the primary key, so
-- that two `undo`s of one record at once append one retraction between them. Filled from
-- the retractions already recorded: the earliest of each record's wins (a journal from
-- before schema 2 may hold several, which still mean the same).
CREATE TABLE retractions (
    undoes    TEXT NOT NULL PRIMARY KEY,  -- the record retracted
    record_id TEXT NOT NULL               -- the `undone` record retracting it
) STRICT, WITHOUT ROWID;
INSERT OR IGNORE INTO retractions (undoes, record_id)
SELECT undoes, id FROM records
 WHERE action = 'undone' AND undoes IS NOT NULL
 ORDER BY recorded_at, id;
