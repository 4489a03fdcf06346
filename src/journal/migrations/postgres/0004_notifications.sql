-- socctl journal on PostgreSQL, schema 4. Never edit a shipped migration: add the next
-- numbered file.

-- What `socctl notify` sent: one row per occurrence (task, due date, team), reminder kind
-- and channel, so that a reminder goes out once however often cron runs it, on however many
-- hosts. A run claims the row before it sends (state `claimed`, with a claim id of its
-- own), then marks it `sent` or `failed`. The primary key makes the claim exclusive:
-- claiming inserts with ON CONFLICT DO NOTHING, then locks the row (FOR UPDATE) to decide,
-- so two runs at once claim a row once between them. A row left `claimed` (the run died
-- between claim and send) is shown by `notify --dry-run` and taken over by a later run once
-- it is older than the claim's time-out; a `failed` row is retried by the next run.
CREATE TABLE socctl.notifications (
    task        text COLLATE "C" NOT NULL,
    occurrence  date NOT NULL,
    team        text COLLATE "C" NOT NULL,
    kind        text COLLATE "C" NOT NULL CHECK (kind IN ('due', 'heads-up', 'overdue', 'escalation', 'digest')),
    channel     text COLLATE "C" NOT NULL,
    state       text COLLATE "C" NOT NULL CHECK (state IN ('claimed', 'sent', 'failed')),
    claim       text COLLATE "C" NOT NULL,
    claimed_by  text NOT NULL,
    claimed_at  text COLLATE "C" NOT NULL,
    finished_at text COLLATE "C",
    attempts    integer NOT NULL DEFAULT 1,
    error       text,
    PRIMARY KEY (task, occurrence, team, kind, channel)
);
