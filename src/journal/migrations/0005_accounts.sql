-- socctl journal, schema 5: the board's accounts, login sessions and API tokens
-- (`socctl user`, `socctl token`, `socctl serve`). Schema 4 is the notification state's.
-- Never edit a shipped migration: add the next numbered file.
--
-- No secret is stored: passwords as Argon2id PHC strings, session and token secrets as
-- the hex SHA-256 of the 32 random bytes handed out. Times are RFC 3339 UTC text of fixed
-- width (as records' `recorded_at`), so text order is time order.

-- A board account: its role and the teams (catalog team ids, space-separated) it acts for.
CREATE TABLE accounts (
    name     TEXT NOT NULL PRIMARY KEY,
    password TEXT NOT NULL,   -- Argon2id PHC string ($argon2id$v=19$m=…,t=…,p=…$salt$hash)
    role     TEXT NOT NULL CHECK (role IN ('viewer', 'member', 'lead', 'admin')),
    teams    TEXT NOT NULL DEFAULT '',
    created  TEXT NOT NULL,
    disabled TEXT             -- when it was disabled; NULL: it may log in
) STRICT, WITHOUT ROWID;

-- Failed logins per name tried (known or not, so a lockout does not tell which names
-- exist): the failures since `window_start`, and the end of a lockout. Counted by one
-- upsert, so every server on the database shares the count.
CREATE TABLE login_failures (
    name         TEXT NOT NULL PRIMARY KEY,
    window_start TEXT NOT NULL,
    failures     INTEGER NOT NULL,
    locked_until TEXT
) STRICT, WITHOUT ROWID;

-- Login sessions, by the hash of the cookie's secret. `csrf` is the form token the board
-- embeds in its pages (not a credential on its own, so kept as it is).
CREATE TABLE sessions (
    secret_hash TEXT NOT NULL PRIMARY KEY,
    account     TEXT NOT NULL REFERENCES accounts (name) ON DELETE CASCADE,
    created     TEXT NOT NULL,
    last_seen   TEXT NOT NULL,
    expires     TEXT NOT NULL,
    csrf        TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX sessions_account ON sessions (account);

-- API tokens: `scopes` space-separated (`read`, `record`, `calendar:TEAM`).
CREATE TABLE api_tokens (
    id          TEXT NOT NULL PRIMARY KEY,
    secret_hash TEXT NOT NULL UNIQUE,
    account     TEXT NOT NULL REFERENCES accounts (name) ON DELETE CASCADE,
    label       TEXT,
    scopes      TEXT NOT NULL,
    created     TEXT NOT NULL,
    expires     TEXT,   -- NULL: never
    revoked     TEXT    -- when it was revoked; NULL: in force
) STRICT, WITHOUT ROWID;
CREATE INDEX api_tokens_account ON api_tokens (account);
