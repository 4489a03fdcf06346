-- socctl journal on PostgreSQL, schema 2. Never edit a shipped migration: add the next
-- numbered file.

-- A record names the team whose obligation it settles (a team id of roles.yaml). NULL: every
-- team of the task, which is what every record made before schema 2 means, and what
-- `--all-teams` records.
ALTER TABLE socctl.records ADD COLUMN team text COLLATE "C";

-- Settlements are per team: the key gains the team ('' for a record of every team).
-- Recording takes a per-occurrence lock and checks, under it, that a record of every team
-- and a record of one team do not both settle that team's occurrence.
ALTER TABLE socctl.settlements ADD COLUMN team text COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE socctl.settlements DROP CONSTRAINT settlements_pkey;
ALTER TABLE socctl.settlements ADD PRIMARY KEY (task, occurrence, team, kind);

-- The retraction in force of each record: at most one, enforced by the primary key, so
-- that two `undo`s of one record at once append one retraction between them. Filled from
-- the retractions already recorded: the earliest of each record's wins (a journal from
-- before schema 2 may hold several, which still mean the same).
CREATE TABLE socctl.retractions (
    undoes    text COLLATE "C" PRIMARY KEY,   -- the record retracted
    record_id text COLLATE "C" NOT NULL       -- the `undone` record retracting it
);
INSERT INTO socctl.retractions (undoes, record_id)
SELECT DISTINCT ON (undoes) undoes, id FROM socctl.records
 WHERE action = 'undone' AND undoes IS NOT NULL
 ORDER BY undoes, recorded_at, id;
