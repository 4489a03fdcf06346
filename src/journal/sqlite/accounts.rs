//! The board's accounts, sessions and tokens in a SQLite journal (see
//! [`crate::journal::accounts`]). Times are stored as fixed-width UTC text.

use jiff::Timestamp;
use rusqlite::{OptionalExtension, Row, TransactionBehavior, params};

use super::{SqliteStore, database, timestamp_text, writing};
use crate::journal::JournalError;
use crate::journal::accounts::{
    AccountRows, Attempt, Policy, StoredAccount, StoredSession, StoredToken,
};

const ACCOUNT_COLUMNS: &str = "name, password, role, teams, created, disabled";

fn time(row: &Row<'_>, index: usize) -> rusqlite::Result<Timestamp> {
    let text: String = row.get(index)?;
    text.parse().map_err(|e: jiff::Error| {
        rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, e.into())
    })
}

fn optional_time(row: &Row<'_>, index: usize) -> rusqlite::Result<Option<Timestamp>> {
    match row.get_ref(index)? {
        rusqlite::types::ValueRef::Null => Ok(None),
        _ => time(row, index).map(Some),
    }
}

/// An account from `ACCOUNT_COLUMNS` starting at column `at`.
fn account_at(row: &Row<'_>, at: usize) -> rusqlite::Result<StoredAccount> {
    Ok(StoredAccount {
        name: row.get(at)?,
        password: row.get(at + 1)?,
        role: row.get(at + 2)?,
        teams: row.get(at + 3)?,
        created: time(row, at + 4)?,
        disabled: optional_time(row, at + 5)?,
    })
}

fn token_at(row: &Row<'_>) -> rusqlite::Result<StoredToken> {
    Ok(StoredToken {
        id: row.get(0)?,
        secret_hash: row.get(1)?,
        account: row.get(2)?,
        label: row.get(3)?,
        scopes: row.get(4)?,
        created: time(row, 5)?,
        expires: optional_time(row, 6)?,
        revoked: optional_time(row, 7)?,
    })
}

const TOKEN_COLUMNS: &str = "id, secret_hash, account, label, scopes, created, expires, revoked";

fn text(timestamp: Timestamp) -> String {
    timestamp_text(timestamp)
}

fn add(now: Timestamp, span: jiff::SignedDuration) -> String {
    text(now.saturating_add(span).unwrap_or(Timestamp::MAX))
}

fn sub(now: Timestamp, span: jiff::SignedDuration) -> String {
    text(now.saturating_sub(span).unwrap_or(Timestamp::MIN))
}

impl SqliteStore {
    /// Runs `job` in an immediate transaction (the write lock taken at once).
    fn in_transaction<R>(
        &mut self,
        job: impl FnOnce(&rusqlite::Transaction<'_>) -> rusqlite::Result<R>,
    ) -> Result<R, JournalError> {
        let path = self.path.clone();
        let transaction = self
            .connection
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| writing(&path, &e))?;
        let result = job(&transaction).map_err(|e| writing(&path, &e))?;
        transaction.commit().map_err(|e| writing(&path, &e))?;
        Ok(result)
    }
}

impl AccountRows for SqliteStore {
    fn insert_account(&mut self, account: &StoredAccount) -> Result<bool, JournalError> {
        let added = self
            .connection
            .execute(
                "INSERT INTO accounts (name, password, role, teams, created, disabled)
                 VALUES (?1, ?2, ?3, ?4, ?5, NULL) ON CONFLICT (name) DO NOTHING",
                params![
                    account.name,
                    account.password,
                    account.role,
                    account.teams,
                    text(account.created)
                ],
            )
            .map_err(|e| writing(&self.path, &e))?;
        Ok(added == 1)
    }

    fn stored_account(&mut self, name: &str) -> Result<Option<StoredAccount>, JournalError> {
        self.connection
            .query_row(
                &format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE name = ?1"),
                [name],
                |row| account_at(row, 0),
            )
            .optional()
            .map_err(|e| database(&self.path, e))
    }

    fn stored_accounts(&mut self) -> Result<Vec<StoredAccount>, JournalError> {
        let mut statement = self
            .connection
            .prepare(&format!(
                "SELECT {ACCOUNT_COLUMNS} FROM accounts ORDER BY name"
            ))
            .map_err(|e| database(&self.path, e))?;
        statement
            .query_map([], |row| account_at(row, 0))
            .and_then(Iterator::collect)
            .map_err(|e| database(&self.path, e))
    }

    fn delete_account(&mut self, name: &str) -> Result<bool, JournalError> {
        self.in_transaction(|transaction| {
            transaction.execute("DELETE FROM sessions WHERE account = ?1", [name])?;
            transaction.execute("DELETE FROM api_tokens WHERE account = ?1", [name])?;
            transaction.execute("DELETE FROM login_failures WHERE name = ?1", [name])?;
            Ok(transaction.execute("DELETE FROM accounts WHERE name = ?1", [name])? == 1)
        })
    }

    fn update_password(&mut self, name: &str, password: &str) -> Result<bool, JournalError> {
        self.in_transaction(|transaction| {
            transaction.execute("DELETE FROM sessions WHERE account = ?1", [name])?;
            Ok(transaction.execute(
                "UPDATE accounts SET password = ?2 WHERE name = ?1",
                [name, password],
            )? == 1)
        })
    }

    fn update_disabled(
        &mut self,
        name: &str,
        disabled: Option<Timestamp>,
    ) -> Result<bool, JournalError> {
        let when = disabled.map(text);
        self.in_transaction(|transaction| {
            if let Some(when) = &when {
                transaction.execute("DELETE FROM sessions WHERE account = ?1", [name])?;
                transaction.execute(
                    "UPDATE api_tokens SET revoked = ?2 WHERE account = ?1 AND revoked IS NULL",
                    [name, when],
                )?;
            }
            Ok(transaction.execute(
                "UPDATE accounts SET disabled = ?2 WHERE name = ?1",
                params![name, when],
            )? == 1)
        })
    }

    fn count_attempt(
        &mut self,
        name: &str,
        now: Timestamp,
        policy: &Policy,
    ) -> Result<Attempt, JournalError> {
        // Every expression of the SET reads the row as it was before the update.
        let locked_until: Option<String> = self
            .connection
            .query_row(
                "INSERT INTO login_failures (name, window_start, failures, locked_until)
                 VALUES (?1, ?2, 1, NULL)
                 ON CONFLICT (name) DO UPDATE SET
                   window_start = CASE
                     WHEN locked_until > ?2 THEN window_start
                     WHEN window_start <= ?3 OR locked_until <= ?2 THEN ?2
                     ELSE window_start END,
                   failures = CASE
                     WHEN locked_until > ?2 THEN failures
                     WHEN window_start <= ?3 OR locked_until <= ?2 THEN 1
                     ELSE failures + 1 END,
                   locked_until = CASE
                     WHEN locked_until > ?2 THEN locked_until
                     WHEN window_start <= ?3 OR locked_until <= ?2 THEN NULL
                     WHEN failures + 1 > ?4 THEN ?5
                     ELSE locked_until END
                 RETURNING locked_until",
                params![
                    name,
                    text(now),
                    sub(now, policy.window),
                    policy.max_failures,
                    add(now, policy.lockout)
                ],
                |row| row.get(0),
            )
            .map_err(|e| writing(&self.path, &e))?;
        attempt(locked_until)
    }

    fn count_failure(
        &mut self,
        name: &str,
        now: Timestamp,
        policy: &Policy,
    ) -> Result<Attempt, JournalError> {
        let (now_text, cutoff) = (text(now), sub(now, policy.window));
        let lock = add(now, policy.lockout);
        let max = policy.max_failures;
        let locked_until = self.in_transaction(|transaction| {
            transaction.execute(
                "UPDATE login_failures SET locked_until = ?3
                 WHERE name = ?1 AND failures >= ?4
                   AND (locked_until IS NULL OR locked_until <= ?2)",
                params![name, now_text, lock, max],
            )?;
            transaction.execute(
                "DELETE FROM login_failures
                 WHERE window_start <= ?1 AND (locked_until IS NULL OR locked_until <= ?2)",
                params![cutoff, now_text],
            )?;
            transaction
                .query_row(
                    "SELECT locked_until FROM login_failures WHERE name = ?1",
                    [name],
                    |row| row.get::<_, Option<String>>(0),
                )
                .optional()
                .map(Option::flatten)
        })?;
        attempt(locked_until)
    }

    fn clear_failures(&mut self, name: &str) -> Result<(), JournalError> {
        self.connection
            .execute("DELETE FROM login_failures WHERE name = ?1", [name])
            .map_err(|e| writing(&self.path, &e))?;
        Ok(())
    }

    fn insert_session(
        &mut self,
        secret_hash: &str,
        account: &str,
        now: Timestamp,
        expires: Timestamp,
        csrf: &str,
    ) -> Result<(), JournalError> {
        self.connection
            .execute(
                "INSERT INTO sessions (secret_hash, account, created, last_seen, expires, csrf)
                 VALUES (?1, ?2, ?3, ?3, ?4, ?5)",
                params![secret_hash, account, text(now), text(expires), csrf],
            )
            .map_err(|e| writing(&self.path, &e))?;
        Ok(())
    }

    fn stored_session(&mut self, secret_hash: &str) -> Result<Option<StoredSession>, JournalError> {
        self.connection
            .query_row(
                "SELECT s.last_seen, s.expires, s.csrf,
                        a.name, a.password, a.role, a.teams, a.created, a.disabled
                 FROM sessions s JOIN accounts a ON a.name = s.account
                 WHERE s.secret_hash = ?1",
                [secret_hash],
                |row| {
                    Ok(StoredSession {
                        last_seen: time(row, 0)?,
                        expires: time(row, 1)?,
                        csrf: row.get(2)?,
                        account: account_at(row, 3)?,
                    })
                },
            )
            .optional()
            .map_err(|e| database(&self.path, e))
    }

    fn touch_session(&mut self, secret_hash: &str, now: Timestamp) -> Result<(), JournalError> {
        self.connection
            .execute(
                "UPDATE sessions SET last_seen = ?2 WHERE secret_hash = ?1 AND last_seen < ?2",
                params![secret_hash, text(now)],
            )
            .map_err(|e| writing(&self.path, &e))?;
        Ok(())
    }

    fn delete_session(&mut self, secret_hash: &str) -> Result<(), JournalError> {
        self.connection
            .execute("DELETE FROM sessions WHERE secret_hash = ?1", [secret_hash])
            .map_err(|e| writing(&self.path, &e))?;
        Ok(())
    }

    fn insert_token(&mut self, token: &StoredToken) -> Result<(), JournalError> {
        self.connection
            .execute(
                &format!(
                    "INSERT INTO api_tokens ({TOKEN_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, NULL)"
                ),
                params![
                    token.id,
                    token.secret_hash,
                    token.account,
                    token.label,
                    token.scopes,
                    text(token.created),
                    token.expires.map(text)
                ],
            )
            .map_err(|e| writing(&self.path, &e))?;
        Ok(())
    }

    fn stored_token(
        &mut self,
        secret_hash: &str,
    ) -> Result<Option<(StoredToken, StoredAccount)>, JournalError> {
        self.connection
            .query_row(
                "SELECT t.id, t.secret_hash, t.account, t.label, t.scopes, t.created, t.expires,
                        t.revoked, a.name, a.password, a.role, a.teams, a.created, a.disabled
                 FROM api_tokens t JOIN accounts a ON a.name = t.account
                 WHERE t.secret_hash = ?1",
                [secret_hash],
                |row| Ok((token_at(row)?, account_at(row, 8)?)),
            )
            .optional()
            .map_err(|e| database(&self.path, e))
    }

    fn stored_tokens(&mut self) -> Result<Vec<StoredToken>, JournalError> {
        let mut statement = self
            .connection
            .prepare(&format!(
                "SELECT {TOKEN_COLUMNS} FROM api_tokens ORDER BY created, id"
            ))
            .map_err(|e| database(&self.path, e))?;
        statement
            .query_map([], token_at)
            .and_then(Iterator::collect)
            .map_err(|e| database(&self.path, e))
    }

    fn revoke(&mut self, id: &str, now: Timestamp) -> Result<bool, JournalError> {
        self.in_transaction(|transaction| {
            transaction.execute(
                "UPDATE api_tokens SET revoked = ?2 WHERE id = ?1 AND revoked IS NULL",
                [id, &text(now)],
            )?;
            transaction
                .query_row(
                    "SELECT count(*) FROM api_tokens WHERE id = ?1",
                    [id],
                    |row| row.get::<_, i64>(0),
                )
                .map(|n| n == 1)
        })
    }
}

fn attempt(locked_until: Option<String>) -> Result<Attempt, JournalError> {
    Ok(Attempt {
        locked_until: locked_until
            .map(|text| {
                text.parse().map_err(|e| {
                    JournalError::Invalid(format!("a lockout time `{text}` in the journal: {e}"))
                })
            })
            .transpose()?,
    })
}
