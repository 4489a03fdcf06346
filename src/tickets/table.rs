//! The Table API calls `socctl tickets` makes: look records up by correlation id
//! (`GET /api/now/table/{table}?sysparm_query=correlation_id=…`) and create one
//! (`POST /api/now/table/{table}`). Every error names the call and what to do, and never
//! holds a credential.

use serde_json::{Map, Value};

use super::shape::{self, Created, Found, READ_FIELDS, Ticket};
use super::transport::{Method, Request, Transport};
use super::{Credentials, Occurrence};
use crate::catalog::ServiceNow;

/// How many correlation ids one query asks for at most (`correlation_idIN…`).
pub const BATCH: usize = 50;

/// A Table API call that failed.
#[derive(Debug, thiserror::Error)]
pub enum TableError {
    /// No answer at all.
    #[error("{what}: {reason}")]
    Unreachable {
        /// The call (`looking up SCTASK records in sc_task at https://…`).
        what: String,
        /// Why, in the HTTP client's words (redacted).
        reason: String,
    },
    /// 401: the credentials were refused.
    #[error(
        "{what}: ServiceNow answered 401 Unauthorized{said}; check the account in SOCCTL_SERVICENOW_USER and SOCCTL_SERVICENOW_PASSWORD (or the token in SOCCTL_SERVICENOW_TOKEN)"
    )]
    Unauthorized {
        /// The call.
        what: String,
        /// `: ServiceNow's message`, or nothing.
        said: String,
    },
    /// 403: the account may not use the table.
    #[error(
        "{what}: ServiceNow answered 403 Forbidden{said}; the account needs a role that can read and create records in this table"
    )]
    Forbidden {
        /// The call.
        what: String,
        /// `: ServiceNow's message`, or nothing.
        said: String,
    },
    /// Any other status.
    #[error("{what}: ServiceNow answered {status}{said}")]
    Status {
        /// The call.
        what: String,
        /// The HTTP status.
        status: u16,
        /// `: ServiceNow's message`, or nothing.
        said: String,
    },
    /// A body that is not the Table API's JSON.
    #[error(
        "{what}: the answer is not the Table API's JSON ({reason}); is `instance` in roles.yaml a ServiceNow instance?"
    )]
    Garbled {
        /// The call.
        what: String,
        /// What did not parse.
        reason: String,
    },
}

/// One ServiceNow table, reached through `transport` as `credentials`.
pub struct Table<'a> {
    servicenow: &'a ServiceNow,
    credentials: &'a Credentials,
    transport: &'a dyn Transport,
}

/// Percent-encodes a query value (RFC 3986: everything but the unreserved characters).
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            const HEX: &[u8; 16] = b"0123456789ABCDEF";
            out.push('%');
            out.push(HEX[usize::from(byte >> 4)] as char);
            out.push(HEX[usize::from(byte & 15)] as char);
        }
    }
    out
}

impl<'a> Table<'a> {
    /// The table `servicenow` names.
    pub fn new(
        servicenow: &'a ServiceNow,
        credentials: &'a Credentials,
        transport: &'a dyn Transport,
    ) -> Self {
        Self {
            servicenow,
            credentials,
            transport,
        }
    }

    /// `https://…/api/now/table/{table}`.
    pub fn url(&self) -> String {
        format!(
            "{}/api/now/table/{}",
            self.servicenow.instance, self.servicenow.table
        )
    }

    /// The URL of a query for the records with these correlation ids.
    pub fn query_url(&self, ids: &[String]) -> String {
        let query = match ids {
            [one] => format!("correlation_id={one}"),
            many => format!("correlation_idIN{}", many.join(",")),
        };
        format!(
            "{}?sysparm_query={}&sysparm_fields={}&sysparm_limit={}&sysparm_exclude_reference_link=true",
            self.url(),
            encode(&query),
            encode(&READ_FIELDS.join(",")),
            ids.len().max(1)
        )
    }

    fn headers(&self, json_body: bool) -> Vec<(&'static str, String)> {
        let mut headers = vec![
            ("Accept", "application/json".to_owned()),
            ("Authorization", self.credentials.authorization()),
        ];
        if json_body {
            headers.push(("Content-Type", "application/json".to_owned()));
        }
        headers
    }

    /// Text from the server, without any secret and without terminal controls, cut short.
    fn scrub(&self, text: &str) -> String {
        let mut text = text.to_owned();
        for secret in self.credentials.secrets() {
            if !secret.is_empty() {
                text = text.replace(&secret, "[redacted]");
            }
            // The client quotes only the beginning of a refusal: a secret cut off at its
            // end is still a secret.
            let kept = text.trim_end_matches(['…', '.', ' ']);
            if let Some(cut) = (4..secret.len())
                .rev()
                .filter(|&n| secret.is_char_boundary(n))
                .find(|&n| kept.ends_with(&secret[..n]))
            {
                let at = kept.len() - cut;
                text = format!("{}[redacted]…", &text[..at]);
            }
        }
        let mut text = crate::catalog::escape_controls(&text);
        if text.chars().count() > 300 {
            text = text.chars().take(300).collect::<String>() + "…";
        }
        text
    }

    fn send(&self, what: &str, request: &Request, expected: u16) -> Result<Vec<u8>, TableError> {
        let what = what.to_owned();
        let response = self
            .transport
            .send(request)
            .map_err(|e| TableError::Unreachable {
                what: what.clone(),
                reason: self.scrub(&e.0),
            })?;
        if response.status == expected {
            return Ok(response.body);
        }
        // ServiceNow's own words, else the beginning of whatever the body was.
        let said = shape::error_message(&response.body)
            .or_else(|| {
                let text = String::from_utf8_lossy(&response.body).trim().to_owned();
                (!text.is_empty()).then_some(text)
            })
            .map(|m| format!(" ({})", self.scrub(&m)))
            .unwrap_or_default();
        Err(match response.status {
            401 => TableError::Unauthorized { what, said },
            403 => TableError::Forbidden { what, said },
            status => TableError::Status { what, status, said },
        })
    }

    /// The records whose correlation id is one of `occurrences`' (at most [`BATCH`]).
    pub fn find(&self, occurrences: &[Occurrence]) -> Result<Vec<Ticket>, TableError> {
        let ids: Vec<String> = occurrences.iter().map(Occurrence::correlation_id).collect();
        let what = format!(
            "looking up {} in {} at {}",
            match &ids[..] {
                [one] => one.clone(),
                many => format!("{} occurrences", many.len()),
            },
            self.servicenow.table,
            self.servicenow.instance
        );
        let request = Request {
            method: Method::Get,
            url: self.query_url(&ids),
            headers: self.headers(false),
            body: None,
        };
        let body = self.send(&what, &request, 200)?;
        let found: Found = serde_json::from_slice(&body).map_err(|e| TableError::Garbled {
            what,
            reason: e.to_string(),
        })?;
        Ok(found.result)
    }

    /// Creates the record `fields` describe (201 Created).
    pub fn create(&self, fields: &Map<String, Value>) -> Result<Ticket, TableError> {
        let id = fields
            .get("correlation_id")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let what = format!(
            "creating the record of {id} in {} at {}",
            self.servicenow.table, self.servicenow.instance
        );
        let body = serde_json::to_vec(fields).map_err(|e| TableError::Garbled {
            what: what.clone(),
            reason: e.to_string(),
        })?;
        let request = Request {
            method: Method::Post,
            url: format!(
                "{}?sysparm_fields={}&sysparm_exclude_reference_link=true",
                self.url(),
                encode(&READ_FIELDS.join(","))
            ),
            headers: self.headers(true),
            body: Some(body),
        };
        let body = self.send(&what, &request, 201)?;
        let created: Created = serde_json::from_slice(&body).map_err(|e| TableError::Garbled {
            what,
            reason: e.to_string(),
        })?;
        Ok(created.result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tickets::transport::{Response, TransportError};

    /// Answers every request with one status and body.
    struct Answer(u16, String);

    impl Transport for Answer {
        fn send(&self, _: &Request) -> Result<Response, TransportError> {
            Ok(Response {
                status: self.0,
                body: self.1.as_bytes().to_vec(),
            })
        }
    }

    fn servicenow() -> ServiceNow {
        ServiceNow {
            instance: "https://acme.service-now.com".to_owned(),
            table: "sc_task".to_owned(),
            closed_states: vec!["3".to_owned()],
            fields: Vec::new(),
            assignment_groups: std::collections::BTreeMap::new(),
            line: 1,
        }
    }

    #[test]
    fn a_refusal_never_repeats_a_secret_even_cut_short() {
        let credentials = Credentials::Basic {
            user: "bot".to_owned(),
            password: "correct-horse-battery".to_owned(),
        };
        let servicenow = servicenow();
        let occurrence = Occurrence {
            task: "t".to_owned(),
            due: jiff::civil::date(2026, 11, 23),
            team: "ops".to_owned(),
        };
        // Whole, and cut off (as the HTTP client quotes only a refusal's beginning).
        for body in [
            "{\"error\":{\"message\":\"bad password correct-horse-battery\"}}",
            "not JSON, the password was correct-horse-bat…",
        ] {
            let answer = Answer(401, body.to_owned());
            let table = Table::new(&servicenow, &credentials, &answer);
            let error = table.find(std::slice::from_ref(&occurrence)).unwrap_err();
            let text = error.to_string();
            assert!(text.contains("401 Unauthorized"), "{text}");
            assert!(!text.contains("correct-horse"), "{text}");
            assert!(text.contains("[redacted]"), "{text}");
        }
    }

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(
            encode("correlation_id=socctl:a:2026-11-23:ops"),
            "correlation_id%3Dsocctl%3Aa%3A2026-11-23%3Aops"
        );
        assert_eq!(encode("a,b ^c"), "a%2Cb%20%5Ec");
        assert_eq!(encode("é"), "%C3%A9");
    }
}
