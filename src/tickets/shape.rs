//! The shapes of the Table API's requests and answers, after ServiceNow's REST API
//! reference (Table API: `GET /now/table/{tableName}`, `POST /now/table/{tableName}`): a
//! new record is a JSON object of field names and string values; an answer is
//! `{"result": [...]}` for a query and `{"result": {...}}` for a created record; an error
//! is `{"error": {"message": ..., "detail": ...}, "status": "failure"}`.

use serde_json::{Map, Value};

use super::Occurrence;
use crate::catalog::{Catalog, Piece, ServiceNow, Task, parse_template};

/// The fields socctl reads back (`sysparm_fields`): `closed_by.user_name` is dot-walked
/// to the closer's user name.
pub const READ_FIELDS: &[&str] = &[
    "sys_id",
    "number",
    "state",
    "correlation_id",
    "closed_by.user_name",
    "sys_updated_by",
    "closed_at",
];

/// Shown in ServiceNow beside the correlation id (`correlation_display`).
pub const CORRELATION_DISPLAY: &str = "socctl";

/// A record as socctl reads it back.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
pub struct Ticket {
    /// The record's sys_id.
    #[serde(default)]
    pub sys_id: String,
    /// Its number (`SCTASK0010001`, `INC0010001`).
    #[serde(default)]
    pub number: String,
    /// Its state's value (`3`).
    #[serde(default, deserialize_with = "text")]
    pub state: String,
    /// The correlation id.
    #[serde(default)]
    pub correlation_id: String,
    /// The user name of who closed it, when ServiceNow records one.
    #[serde(default, rename = "closed_by.user_name")]
    pub closed_by: String,
    /// The user name of who changed it last.
    #[serde(default)]
    pub sys_updated_by: String,
    /// When it was closed (`YYYY-MM-DD HH:MM:SS`, UTC), if it was.
    #[serde(default)]
    pub closed_at: String,
}

/// A field that is usually a string but may come as a number.
fn text<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    Ok(match Value::deserialize(deserializer)? {
        Value::String(s) => s,
        Value::Null => String::new(),
        other => other.to_string(),
    })
}

use serde::Deserialize as _;

impl Ticket {
    /// Who closed it: the closer's user name, else who changed it last.
    pub fn closer(&self) -> Option<&str> {
        [self.closed_by.as_str(), self.sys_updated_by.as_str()]
            .into_iter()
            .map(str::trim)
            .find(|s| !s.is_empty())
    }

    /// The UTC day it was closed, if ServiceNow says.
    pub fn closed_on(&self) -> Option<jiff::civil::DateTime> {
        let text = self.closed_at.trim();
        let date = crate::calendar::parse_date(text.get(..10)?)?;
        let time = text
            .get(11..)
            .and_then(|t| t.parse::<jiff::civil::Time>().ok())
            .unwrap_or(jiff::civil::Time::midnight());
        Some(date.to_datetime(time))
    }
}

/// The body of the record created for `occurrence` of `task`: the configured fields with
/// their templates filled in, then `correlation_id` and `correlation_display`. Catalog text
/// goes in as JSON strings, whatever it holds.
pub fn new_record(
    servicenow: &ServiceNow,
    catalog: &Catalog,
    task: &Task,
    occurrence: &Occurrence,
) -> Map<String, Value> {
    let team = catalog.teams.iter().find(|t| t.id == occurrence.team);
    let value = |name: &str| -> String {
        match name {
            "task" => task.id.clone(),
            "title" => task.title.clone(),
            "description" => task.description.trim_end().to_owned(),
            "team" => occurrence.team.clone(),
            "team_name" => team.map_or_else(|| occurrence.team.clone(), |t| t.name.clone()),
            "due" => occurrence.due.to_string(),
            "group" => servicenow
                .assignment_groups
                .get(&occurrence.team)
                .cloned()
                .unwrap_or_default(),
            _ => String::new(),
        }
    };
    let mut record = Map::new();
    for (field, template) in &servicenow.fields {
        // Templates were checked when the catalog was loaded.
        let pieces = parse_template(template).unwrap_or_default();
        let text: String = pieces
            .iter()
            .map(|piece| match piece {
                Piece::Text(text) => text.clone(),
                Piece::Placeholder(name) => value(name),
            })
            .collect();
        record.insert(field.clone(), Value::String(text));
    }
    record.insert(
        "correlation_id".to_owned(),
        Value::String(occurrence.correlation_id()),
    );
    record.insert(
        "correlation_display".to_owned(),
        Value::String(CORRELATION_DISPLAY.to_owned()),
    );
    record
}

/// `{"result": [...]}`: the records of a query.
#[derive(serde::Deserialize)]
pub(super) struct Found {
    pub(super) result: Vec<Ticket>,
}

/// `{"result": {...}}`: the record created.
#[derive(serde::Deserialize)]
pub(super) struct Created {
    pub(super) result: Ticket,
}

/// `{"error": {"message": ..., "detail": ...}}`: what ServiceNow says went wrong.
pub(super) fn error_message(body: &[u8]) -> Option<String> {
    let value: Value = serde_json::from_slice(body).ok()?;
    let error = value.get("error")?;
    let message = error.get("message").and_then(Value::as_str).unwrap_or("");
    let detail = error.get("detail").and_then(Value::as_str).unwrap_or("");
    let text = match (message.trim(), detail.trim()) {
        ("", "") => return None,
        (m, "") => m.to_owned(),
        ("", d) => d.to_owned(),
        (m, d) => format!("{m}: {d}"),
    };
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_is_read_back_with_its_closer() {
        let found: Found = serde_json::from_str(
            r#"{"result":[{"sys_id":"abc","number":"SCTASK0010001","state":"3","correlation_id":"socctl:t:2026-11-23:ops","closed_by.user_name":"","sys_updated_by":"beth.anglin","closed_at":"2026-11-23 14:05:09"}]}"#,
        )
        .unwrap();
        let ticket = &found.result[0];
        assert_eq!(ticket.closer(), Some("beth.anglin"));
        assert_eq!(
            ticket.closed_on(),
            Some(jiff::civil::date(2026, 11, 23).at(14, 5, 9, 0))
        );
        let numeric: Ticket = serde_json::from_str(r#"{"state":3}"#).unwrap();
        assert_eq!(numeric.state, "3");
        assert_eq!(
            error_message(br#"{"error":{"message":"User Not Authenticated","detail":"Required to provide Auth information"},"status":"failure"}"#).as_deref(),
            Some("User Not Authenticated: Required to provide Auth information")
        );
    }
}
