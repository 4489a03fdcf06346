//! Slack: an incoming webhook takes Block Kit blocks and a `text` fallback (the
//! notification's words). Catalog text goes in `plain_text` objects, so `*bold*`,
//! `<!channel>` or `<https://…|x>` in a title stay text; the fallback escapes `&`, `<` and
//! `>` as Slack asks. Block Kit's limits are kept: at most 50 blocks, a header's text at
//! most 150 characters, a section's 3,000, a button's 75 and its URL 3,000.

use serde_json::{Value, json};

use super::{Message, clip};

/// The most blocks one message may have.
pub const MAX_BLOCKS: usize = 50;
/// The longest header text.
pub const MAX_HEADER: usize = 150;
/// The longest section text.
pub const MAX_SECTION: usize = 3000;
/// The longest button text.
pub const MAX_BUTTON: usize = 75;
/// The longest URL in a button.
pub const MAX_URL: usize = 3000;

/// `text` with Slack's three control characters escaped, for `mrkdwn` text.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn plain(text: &str, max: usize) -> Value {
    json!({"type": "plain_text", "text": clip(text, max), "emoji": false})
}

/// The body posted to the incoming webhook.
pub fn payload(message: &Message) -> Value {
    let mut blocks = vec![json!({"type": "header", "text": plain(&message.title, MAX_HEADER)})];
    // The header, the items, a "more" line and the button fit in 50.
    let room = MAX_BLOCKS - 3;
    for item in message.items.iter().take(room) {
        let mut section = json!({
            "type": "section",
            "text": plain(&format!("{}\n{} · {}", item.title, item.task, item.note), MAX_SECTION),
        });
        // A button to the task's page on the board, when its address fits a button's.
        if let Some(url) = &item.url
            && url.chars().count() <= MAX_URL
        {
            section["accessory"] = json!({
                "type": "button",
                "text": plain(&message.open_task, MAX_BUTTON),
                "url": url,
            });
        }
        blocks.push(section);
    }
    if message.items.len() > room {
        let more = message.items.len() - room;
        blocks.push(
            json!({"type": "context", "elements": [plain(&format!("… +{more}"), MAX_SECTION)]}),
        );
    }
    if let Some(empty) = &message.empty {
        blocks.push(json!({"type": "section", "text": plain(empty, MAX_SECTION)}));
    }
    if let Some((url, words)) = &message.board
        && url.chars().count() <= MAX_URL
    {
        blocks.push(json!({
            "type": "actions",
            "elements": [{"type": "button", "text": plain(words, MAX_BUTTON), "url": url}]
        }));
    }
    json!({
        "text": escape(&clip(&message.title, MAX_SECTION)),
        "blocks": blocks,
        "unfurl_links": false,
        "unfurl_media": false,
    })
}
