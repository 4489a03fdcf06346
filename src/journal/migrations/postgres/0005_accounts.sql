-- socctl journal on PostgreSQL, schema 5: the board's accounts, login sessions and API
-- tokens (`socctl user`, `socctl token`, `socctl serve`). Schema 4 is the notification
-- state's. Never edit a shipped migration: add the next numbered file.
--
-- No secret is stored: passwords as Argon2id PHC strings, session and token secrets as
-- the hex SHA-256 of the 32 random bytes handed out.

-- A board account: its role and the teams (catalog team ids, space-separated) it acts for.
CREATE TABLE socctl.accounts (
    name     text COLLATE "C" PRIMARY KEY,
    password text NOT NULL,
    role     text NOT NULL CHECK (role IN ('viewer', 'member', 'lead', 'admin')),
    teams    text COLLATE "C" NOT NULL DEFAULT '',
    created  timestamptz NOT NULL,
    disabled timestamptz
);

-- Failed logins per name tried (known or not, so a lockout does not tell which names
-- exist). Counted by one upsert, so every server on the database shares the count.
CREATE TABLE socctl.login_failures (
    name         text COLLATE "C" PRIMARY KEY,
    window_start timestamptz NOT NULL,
    failures     integer NOT NULL,
    locked_until timestamptz
);

-- Login sessions, by the hash of the cookie's secret; `csrf` is the form token.
CREATE TABLE socctl.sessions (
    secret_hash text COLLATE "C" PRIMARY KEY,
    account     text COLLATE "C" NOT NULL REFERENCES socctl.accounts (name) ON DELETE CASCADE,
    created     timestamptz NOT NULL,
    last_seen   timestamptz NOT NULL,
    expires     timestamptz NOT NULL,
    csrf        text NOT NULL
);
CREATE INDEX sessions_account ON socctl.sessions (account);

-- API tokens: `scopes` space-separated (`read`, `record`, `calendar:TEAM`).
CREATE TABLE socctl.api_tokens (
    id          text COLLATE "C" PRIMARY KEY,
    secret_hash text COLLATE "C" NOT NULL UNIQUE,
    account     text COLLATE "C" NOT NULL REFERENCES socctl.accounts (name) ON DELETE CASCADE,
    label       text,
    scopes      text NOT NULL,
    created     timestamptz NOT NULL,
    expires     timestamptz,
    revoked     timestamptz
);
CREATE INDEX api_tokens_account ON socctl.api_tokens (account);
