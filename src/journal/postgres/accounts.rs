//! The board's accounts, sessions and tokens in a PostgreSQL journal (see
//! [`crate::journal::accounts`]). Every exchange runs within the statement limit, as
//! recording does.

use jiff::{SignedDuration, Timestamp};
use postgres::Row;

use super::PostgresStore;
use crate::journal::JournalError;
use crate::journal::accounts::{
    AccountRows, Attempt, Policy, StoredAccount, StoredSession, StoredToken,
};

const ACCOUNT_COLUMNS: &str = "name, password, role, teams, created, disabled";
const TOKEN_COLUMNS: &str = "id, secret_hash, account, label, scopes, created, expires, revoked";

fn account_at(row: &Row, at: usize) -> StoredAccount {
    StoredAccount {
        name: row.get(at),
        password: row.get(at + 1),
        role: row.get(at + 2),
        teams: row.get(at + 3),
        created: row.get(at + 4),
        disabled: row.get(at + 5),
    }
}

fn token_at(row: &Row) -> StoredToken {
    StoredToken {
        id: row.get(0),
        secret_hash: row.get(1),
        account: row.get(2),
        label: row.get(3),
        scopes: row.get(4),
        created: row.get(5),
        expires: row.get(6),
        revoked: row.get(7),
    }
}

fn add(now: Timestamp, span: SignedDuration) -> Timestamp {
    now.saturating_add(span).unwrap_or(Timestamp::MAX)
}

fn sub(now: Timestamp, span: SignedDuration) -> Timestamp {
    now.saturating_sub(span).unwrap_or(Timestamp::MIN)
}

fn limit(max_failures: u32) -> i32 {
    i32::try_from(max_failures).unwrap_or(i32::MAX)
}

impl PostgresStore {
    /// Runs `job` in one transaction on the connection, within the statement limit.
    fn in_transaction<R, F>(&self, job: F) -> Result<R, JournalError>
    where
        R: Send + 'static,
        F: FnOnce(&mut postgres::Transaction<'_>) -> Result<R, postgres::Error> + Send + 'static,
    {
        self.exchange(move |client| {
            let mut transaction = client.transaction()?;
            let result = job(&mut transaction)?;
            transaction.commit()?;
            Ok(result)
        })
    }

    /// Runs `job` on the connection within the statement limit; what fails is the
    /// journal's query error, for every exchange of this module alike.
    fn exchange<R, F>(&self, job: F) -> Result<R, JournalError>
    where
        R: Send + 'static,
        F: FnOnce(&mut postgres::Client) -> Result<R, postgres::Error> + Send + 'static,
    {
        self.run(move |client, target| job(client).map_err(|e| target.query_error(&e)))
    }
}

impl AccountRows for PostgresStore {
    fn insert_account(&mut self, account: &StoredAccount) -> Result<bool, JournalError> {
        let account = account.clone();
        self.exchange(move |client| {
            client
                .execute(
                    "INSERT INTO socctl.accounts (name, password, role, teams, created, disabled)
                     VALUES ($1, $2, $3, $4, $5, NULL) ON CONFLICT (name) DO NOTHING",
                    &[
                        &account.name,
                        &account.password,
                        &account.role,
                        &account.teams,
                        &account.created,
                    ],
                )
                .map(|n| n == 1)
        })
    }

    fn stored_account(&mut self, name: &str) -> Result<Option<StoredAccount>, JournalError> {
        let name = name.to_owned();
        self.exchange(move |client| {
            client
                .query_opt(
                    &format!("SELECT {ACCOUNT_COLUMNS} FROM socctl.accounts WHERE name = $1"),
                    &[&name],
                )
                .map(|row| row.map(|row| account_at(&row, 0)))
        })
    }

    fn stored_accounts(&mut self) -> Result<Vec<StoredAccount>, JournalError> {
        self.exchange(move |client| {
            client
                .query(
                    &format!("SELECT {ACCOUNT_COLUMNS} FROM socctl.accounts ORDER BY name"),
                    &[],
                )
                .map(|rows| rows.iter().map(|row| account_at(row, 0)).collect())
        })
    }

    fn delete_account(&mut self, name: &str) -> Result<bool, JournalError> {
        let name = name.to_owned();
        self.in_transaction(move |transaction| {
            for statement in [
                "DELETE FROM socctl.sessions WHERE account = $1",
                "DELETE FROM socctl.api_tokens WHERE account = $1",
                "DELETE FROM socctl.login_failures WHERE name = $1",
            ] {
                transaction.execute(statement, &[&name])?;
            }
            Ok(transaction.execute("DELETE FROM socctl.accounts WHERE name = $1", &[&name])? == 1)
        })
    }

    fn update_password(&mut self, name: &str, password: &str) -> Result<bool, JournalError> {
        let (name, password) = (name.to_owned(), password.to_owned());
        self.in_transaction(move |transaction| {
            transaction.execute("DELETE FROM socctl.sessions WHERE account = $1", &[&name])?;
            Ok(transaction.execute(
                "UPDATE socctl.accounts SET password = $2 WHERE name = $1",
                &[&name, &password],
            )? == 1)
        })
    }

    fn update_disabled(
        &mut self,
        name: &str,
        disabled: Option<Timestamp>,
    ) -> Result<bool, JournalError> {
        let name = name.to_owned();
        self.in_transaction(move |transaction| {
            if let Some(when) = disabled {
                transaction.execute("DELETE FROM socctl.sessions WHERE account = $1", &[&name])?;
                transaction.execute(
                    "UPDATE socctl.api_tokens SET revoked = $2 WHERE account = $1 AND revoked IS NULL",
                    &[&name, &when],
                )?;
            }
            Ok(transaction.execute(
                "UPDATE socctl.accounts SET disabled = $2 WHERE name = $1",
                &[&name, &disabled],
            )? == 1)
        })
    }

    fn count_attempt(
        &mut self,
        name: &str,
        now: Timestamp,
        policy: &Policy,
    ) -> Result<Attempt, JournalError> {
        let name = name.to_owned();
        let (cutoff, lock, max) = (
            sub(now, policy.window),
            add(now, policy.lockout),
            limit(policy.max_failures),
        );
        // Every expression of the SET reads the row as it was before the update; the
        // conflicting row is locked, so concurrent attempts count one after the other.
        self.exchange(move |client| {
            client
                .query_one(
                    "INSERT INTO socctl.login_failures AS f (name, window_start, failures, locked_until)
                     VALUES ($1, $2, 1, NULL)
                     ON CONFLICT (name) DO UPDATE SET
                       window_start = CASE
                         WHEN f.locked_until > $2 THEN f.window_start
                         WHEN f.window_start <= $3 OR f.locked_until <= $2 THEN $2
                         ELSE f.window_start END,
                       failures = CASE
                         WHEN f.locked_until > $2 THEN f.failures
                         WHEN f.window_start <= $3 OR f.locked_until <= $2 THEN 1
                         ELSE f.failures + 1 END,
                       locked_until = CASE
                         WHEN f.locked_until > $2 THEN f.locked_until
                         WHEN f.window_start <= $3 OR f.locked_until <= $2 THEN NULL
                         WHEN f.failures + 1 > $4 THEN $5
                         ELSE f.locked_until END
                     RETURNING locked_until",
                    &[&name, &now, &cutoff, &max, &lock],
                )
                .map(|row| Attempt {
                    locked_until: row.get(0),
                })
        })
    }

    fn count_failure(
        &mut self,
        name: &str,
        now: Timestamp,
        policy: &Policy,
    ) -> Result<Attempt, JournalError> {
        let name = name.to_owned();
        let (cutoff, lock, max) = (
            sub(now, policy.window),
            add(now, policy.lockout),
            limit(policy.max_failures),
        );
        self.in_transaction(move |transaction| {
            transaction.execute(
                "UPDATE socctl.login_failures SET locked_until = $3
                 WHERE name = $1 AND failures >= $4
                   AND (locked_until IS NULL OR locked_until <= $2)",
                &[&name, &now, &lock, &max],
            )?;
            transaction.execute(
                "DELETE FROM socctl.login_failures
                 WHERE window_start <= $1 AND (locked_until IS NULL OR locked_until <= $2)",
                &[&cutoff, &now],
            )?;
            let locked_until: Option<Timestamp> = transaction
                .query_opt(
                    "SELECT locked_until FROM socctl.login_failures WHERE name = $1",
                    &[&name],
                )?
                .and_then(|row| row.get(0));
            Ok(Attempt { locked_until })
        })
    }

    fn clear_failures(&mut self, name: &str) -> Result<(), JournalError> {
        let name = name.to_owned();
        self.exchange(move |client| {
            client
                .execute(
                    "DELETE FROM socctl.login_failures WHERE name = $1",
                    &[&name],
                )
                .map(drop)
        })
    }

    fn insert_session(
        &mut self,
        secret_hash: &str,
        account: &str,
        now: Timestamp,
        expires: Timestamp,
        csrf: &str,
    ) -> Result<(), JournalError> {
        let (hash, account, csrf) = (secret_hash.to_owned(), account.to_owned(), csrf.to_owned());
        self.exchange(move |client| {
            client
                .execute(
                    "INSERT INTO socctl.sessions (secret_hash, account, created, last_seen, expires, csrf)
                     VALUES ($1, $2, $3, $3, $4, $5)",
                    &[&hash, &account, &now, &expires, &csrf],
                )
                .map(drop)
        })
    }

    fn stored_session(&mut self, secret_hash: &str) -> Result<Option<StoredSession>, JournalError> {
        let hash = secret_hash.to_owned();
        self.exchange(move |client| {
            client
                .query_opt(
                    "SELECT s.last_seen, s.expires, s.csrf,
                            a.name, a.password, a.role, a.teams, a.created, a.disabled
                     FROM socctl.sessions s JOIN socctl.accounts a ON a.name = s.account
                     WHERE s.secret_hash = $1",
                    &[&hash],
                )
                .map(|row| {
                    row.map(|row| StoredSession {
                        last_seen: row.get(0),
                        expires: row.get(1),
                        csrf: row.get(2),
                        account: account_at(&row, 3),
                    })
                })
        })
    }

    fn touch_session(&mut self, secret_hash: &str, now: Timestamp) -> Result<(), JournalError> {
        let hash = secret_hash.to_owned();
        self.exchange(move |client| {
            client
                .execute(
                    "UPDATE socctl.sessions SET last_seen = $2 WHERE secret_hash = $1 AND last_seen < $2",
                    &[&hash, &now],
                )
                .map(drop)
        })
    }

    fn delete_session(&mut self, secret_hash: &str) -> Result<(), JournalError> {
        let hash = secret_hash.to_owned();
        self.exchange(move |client| {
            client
                .execute(
                    "DELETE FROM socctl.sessions WHERE secret_hash = $1",
                    &[&hash],
                )
                .map(drop)
        })
    }

    fn insert_token(&mut self, token: &StoredToken) -> Result<(), JournalError> {
        let token = token.clone();
        self.exchange(move |client| {
            client
                .execute(
                    &format!(
                        "INSERT INTO socctl.api_tokens ({TOKEN_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, NULL)"
                    ),
                    &[
                        &token.id,
                        &token.secret_hash,
                        &token.account,
                        &token.label,
                        &token.scopes,
                        &token.created,
                        &token.expires,
                    ],
                )
                .map(drop)
        })
    }

    fn stored_token(
        &mut self,
        secret_hash: &str,
    ) -> Result<Option<(StoredToken, StoredAccount)>, JournalError> {
        let hash = secret_hash.to_owned();
        self.exchange(move |client| {
            client
                .query_opt(
                    "SELECT t.id, t.secret_hash, t.account, t.label, t.scopes, t.created,
                            t.expires, t.revoked,
                            a.name, a.password, a.role, a.teams, a.created, a.disabled
                     FROM socctl.api_tokens t JOIN socctl.accounts a ON a.name = t.account
                     WHERE t.secret_hash = $1",
                    &[&hash],
                )
                .map(|row| row.map(|row| (token_at(&row), account_at(&row, 8))))
        })
    }

    fn stored_tokens(&mut self) -> Result<Vec<StoredToken>, JournalError> {
        self.exchange(move |client| {
            client
                .query(
                    &format!("SELECT {TOKEN_COLUMNS} FROM socctl.api_tokens ORDER BY created, id"),
                    &[],
                )
                .map(|rows| rows.iter().map(token_at).collect())
        })
    }

    fn revoke(&mut self, id: &str, now: Timestamp) -> Result<bool, JournalError> {
        let id = id.to_owned();
        self.exchange(move |client| {
            client
                .query_one(
                    "WITH revoked AS (
                         UPDATE socctl.api_tokens SET revoked = $2
                         WHERE id = $1 AND revoked IS NULL RETURNING id)
                     SELECT count(*) FROM socctl.api_tokens WHERE id = $1",
                    &[&id, &now],
                )
                .map(|row| row.get::<_, i64>(0) == 1)
        })
    }
}
