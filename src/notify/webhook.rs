//! A generic JSON webhook: the message as JSON, signed as GitHub signs its webhooks: the
//! header `X-Socctl-Signature-256: sha256=HEX`, HEX the HMAC-SHA256 of the exact body
//! bytes under the channel's secret. The receiver computes the same over the bytes it
//! received and compares in constant time.

use std::fmt::Write as _;

use hmac::{KeyInit, Mac};
use serde_json::{Value, json};

use super::Message;

/// The signature header's name.
pub const SIGNATURE_HEADER: &str = "x-socctl-signature-256";
/// The header naming the reminder kind.
pub const EVENT_HEADER: &str = "x-socctl-event";

/// The body: a versioned JSON document.
pub fn payload(message: &Message) -> Value {
    let mut payload = json!({
        "version": 1,
        "kind": message.kind,
        "team": {"id": message.team, "name": message.team_name},
        "title": message.title,
        "date": message.date.to_string(),
        "language": message.language,
        "board_url": message.board.as_ref().map(|(url, _)| url),
        "items": message.items,
    });
    // Only in a person's messages: a team's payload is as it always was.
    if let Some(person) = &message.person {
        payload["person"] = json!(person);
    }
    payload
}

/// `sha256=` and the lower-case hex HMAC-SHA256 of `body` under `secret`.
///
/// # Panics
///
/// Never: HMAC takes a key of any length.
pub fn signature(secret: &[u8], body: &[u8]) -> String {
    let mut mac =
        hmac::Hmac::<sha2::Sha256>::new_from_slice(secret).expect("HMAC takes a key of any length");
    mac.update(body);
    let digest = mac.finalize().into_bytes();
    let mut hex = String::with_capacity(7 + 64);
    hex.push_str("sha256=");
    for byte in digest {
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_like_rfc_4231() {
        // RFC 4231, test case 2: key "Jefe", data "what do ya want for nothing?".
        assert_eq!(
            signature(b"Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
