//! Microsoft Teams: a Workflows webhook ("Post to a channel when a webhook request is
//! received") takes a message with an Adaptive Card attachment. The card is version 1.5;
//! catalog text goes in `TextRun`s of `RichTextBlock`s, which Teams shows as plain text
//! (a `TextBlock` would read it as Markdown, so `**` or `[x](…)` in a title would format).

use serde_json::{Value, json};

use super::{Message, clip};

/// The most items one card lists.
pub const MAX_ITEMS: usize = 40;

/// The most bytes of text the items of one card carry: Teams refuses a message over 28 KB.
pub const MAX_ITEM_BYTES: usize = 20 * 1024;

/// The longest title or note a card shows, in characters.
const MAX_TEXT: usize = 500;

/// The Adaptive Card of `message` (what the schema validates).
pub fn card(message: &Message) -> Value {
    let run = |text: &str| json!({"type": "TextRun", "text": clip(text, MAX_TEXT)});
    let mut body = vec![json!({
        "type": "RichTextBlock",
        "inlines": [{
            "type": "TextRun",
            "text": clip(&message.title, MAX_TEXT),
            "weight": "Bolder",
            "size": "Medium"
        }]
    })];
    let mut shown = 0;
    let mut bytes = 0;
    for item in message.items.iter().take(MAX_ITEMS) {
        let title = clip(&item.title, MAX_TEXT);
        let note = format!("{} · {}", item.task, item.note);
        bytes += title.len() + note.len() + 120 + item.url.as_ref().map_or(0, |url| url.len() + 60);
        if bytes > MAX_ITEM_BYTES && shown > 0 {
            break;
        }
        shown += 1;
        let mut heading = json!({"type": "TextRun", "text": title, "weight": "Bolder"});
        // The title links to the task's page on the board (a TextRun's selectAction).
        if let Some(url) = &item.url {
            heading["selectAction"] = json!({"type": "Action.OpenUrl", "url": url});
        }
        body.push(json!({
            "type": "RichTextBlock",
            "separator": true,
            "inlines": [
                heading,
                {"type": "TextRun", "text": "\n"},
                run(&note),
            ]
        }));
    }
    if message.items.len() > shown {
        let more = message.items.len() - shown;
        body.push(json!({
            "type": "RichTextBlock",
            "inlines": [{"type": "TextRun", "text": format!("… +{more}"), "isSubtle": true}]
        }));
    }
    if let Some(empty) = &message.empty {
        body.push(json!({"type": "RichTextBlock", "inlines": [run(empty)]}));
    }
    let mut card = json!({
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.5",
        "lang": message.language.split('-').next().unwrap_or("en"),
        "fallbackText": clip(&message.title, MAX_TEXT),
        "body": body,
    });
    if let Some((url, words)) = &message.board {
        card["actions"] = json!([{"type": "Action.OpenUrl", "title": words, "url": url}]);
    }
    card
}

/// The body posted to the Workflows webhook: the card as the message's one attachment.
pub fn payload(message: &Message) -> Value {
    json!({
        "type": "message",
        "attachments": [{
            "contentType": "application/vnd.microsoft.card.adaptive",
            "contentUrl": null,
            "content": card(message),
        }]
    })
}
