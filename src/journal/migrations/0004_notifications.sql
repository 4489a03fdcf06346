-- socctl journal, schema 4. Never edit a shipped migration: add the next numbered file.

-- What `socctl notify` sent: one row per occurrence (task, due date, team), reminder kind
-- and channel, so that a reminder goes out once however often cron runs it, on however many
-- hosts. A run claims the row before it sends (state `claimed`, with a claim id of its
-- own), then marks it `sent` or `failed`. The primary key makes the claim exclusive; the
-- claim is made under the write lock (BEGIN IMMEDIATE), so two runs at once claim a row
-- once between them. A row left `claimed` (the run died between claim and send) is shown by
-- `notify --dry-run` and taken over by a later run once it is older than the claim's
-- time-out; a `failed` row is retried by the next run.
CREATE TABLE notifications (
    task        TEXT NOT NULL,  -- the task id ('' for a digest, which is of a team's week)
    occurrence  TEXT NOT NULL,  -- the occurrence's due date (a digest: its week's first day), YYYY-MM-DD
    team        TEXT NOT NULL,  -- the team id
    kind        TEXT NOT NULL CHECK (kind IN ('due', 'heads-up', 'overdue', 'escalation', 'digest')),
    channel     TEXT NOT NULL,  -- the channel id (`mail:ADDRESS` for mail)
    state       TEXT NOT NULL CHECK (state IN ('claimed', 'sent', 'failed')),
    claim       TEXT NOT NULL,  -- UUID of the claim in force
    claimed_by  TEXT NOT NULL,  -- host and process that claimed it
    claimed_at  TEXT NOT NULL,  -- RFC 3339, UTC
    finished_at TEXT,           -- when it was marked sent or failed
    attempts    INTEGER NOT NULL DEFAULT 1,
    error       TEXT,           -- why the last attempt failed (never a URL's secret parts)
    PRIMARY KEY (task, occurrence, team, kind, channel)
) STRICT, WITHOUT ROWID;
