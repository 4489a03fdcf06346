//! `socctl user list` and `socctl token list`: one row an account, one row a token
//! (never its secret).

use jiff::Timestamp;
use serde::Serialize;

use super::{Cell, Column, Note, Row, Rows};
use crate::i18n::Locale;
use crate::journal::accounts::{AccountInfo, TokenInfo, scope_text};

fn time(timestamp: Timestamp) -> String {
    timestamp.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// A board account.
#[derive(Debug, Clone, Serialize)]
pub struct AccountRow {
    /// The login name.
    pub name: String,
    /// `viewer`, `member`, `lead` or `admin`.
    pub role: &'static str,
    /// The team ids it acts for.
    pub teams: Vec<String>,
    /// When it was added (RFC 3339, UTC).
    pub created: String,
    /// When it was disabled, if it is.
    pub disabled: Option<String>,
}

impl Row for AccountRow {
    const COLUMNS: &'static [Column] = &[
        Column::new("name", "column_name"),
        Column::new("role", "column_role"),
        Column::new("teams", "column_teams"),
        Column::new("created", "column_created"),
        Column::optional("disabled", "column_disabled"),
    ];

    fn cells(&self, _locale: &Locale) -> Vec<Cell> {
        vec![
            Cell::text(&self.name),
            Cell::text(self.role),
            Cell::text(self.teams.join(", ")),
            Cell::text(&self.created),
            Cell::text(self.disabled.as_deref().unwrap_or("")),
        ]
    }

    fn csv_cells(&self, locale: &Locale) -> Vec<Cell> {
        let mut cells = self.cells(locale);
        cells[2] = Cell::list(&self.teams);
        cells
    }
}

/// Every account, by name.
pub fn account_rows(accounts: &[AccountInfo]) -> Rows<AccountRow> {
    Rows::new(
        accounts
            .iter()
            .map(|info| AccountRow {
                name: info.account.name.clone(),
                role: info.account.role.as_str(),
                teams: info.account.teams.clone(),
                created: time(info.created),
                disabled: info.disabled.map(time),
            })
            .collect(),
    )
    .or_else(Note::new("accounts_empty"))
}

/// An API token, without its secret.
#[derive(Debug, Clone, Serialize)]
pub struct TokenRow {
    /// Its id (for `socctl token revoke`).
    pub id: String,
    /// The account it acts as.
    pub account: String,
    /// Its label.
    pub label: Option<String>,
    /// What it may be used for: `read`, `record`, `calendar:TEAM`, `calendar-person:MEMBER`.
    pub scopes: Vec<String>,
    /// When it was made (RFC 3339, UTC).
    pub created: String,
    /// When it stops working; `null`: never.
    pub expires: Option<String>,
    /// When it was revoked, if it was.
    pub revoked: Option<String>,
    /// `active`, `expired` or `revoked`, now.
    pub state: &'static str,
}

impl Row for TokenRow {
    const COLUMNS: &'static [Column] = &[
        Column::new("id", "column_token"),
        Column::new("account", "column_account"),
        Column::optional("label", "column_label"),
        Column::new("scopes", "column_scopes"),
        Column::new("created", "column_created"),
        Column::new("expires", "column_expires"),
        Column::new("state", "column_state"),
    ];

    fn cells(&self, locale: &Locale) -> Vec<Cell> {
        vec![
            Cell::text(&self.id),
            Cell::text(&self.account),
            Cell::text(self.label.as_deref().unwrap_or("")),
            Cell::text(self.scopes.join(", ")),
            Cell::text(&self.created),
            Cell::text(
                self.expires
                    .clone()
                    .unwrap_or_else(|| locale.format("token_never", &[])),
            ),
            Cell::text(self.state),
        ]
    }

    fn csv_cells(&self, locale: &Locale) -> Vec<Cell> {
        let mut cells = self.cells(locale);
        cells[3] = Cell::list(&self.scopes);
        cells[5] = Cell::text(self.expires.as_deref().unwrap_or(""));
        cells
    }
}

/// Every token, oldest first, with its state at `now`.
pub fn token_rows(tokens: &[TokenInfo], now: Timestamp) -> Rows<TokenRow> {
    Rows::new(
        tokens
            .iter()
            .map(|token| TokenRow {
                id: token.id.clone(),
                account: token.account.clone(),
                label: token.label.clone(),
                scopes: token.scopes.iter().map(scope_text).collect(),
                created: time(token.created),
                expires: token.expires.map(time),
                revoked: token.revoked.map(time),
                state: if token.revoked.is_some() {
                    "revoked"
                } else if token.expires.is_some_and(|expires| expires <= now) {
                    "expired"
                } else {
                    "active"
                },
            })
            .collect(),
    )
    .or_else(Note::new("tokens_empty"))
}
