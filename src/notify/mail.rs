//! The plain-text body of a reminder mailed to a lead (escalations, the digest).

use std::fmt::Write as _;

use super::Message;

/// The mail's body: a line per item (title, task id, how it stands), each item's link under
/// it, the empty message, and the board's link. Catalog text may hold control characters
/// (ESC, CR, …): each becomes a space, so a title cannot recolour a terminal mail reader or
/// forge lines of its own, as in `socctl mail`'s text.
pub fn body(message: &Message) -> String {
    let mut body = String::new();
    for item in &message.items {
        let _ = writeln!(
            body,
            "- {} ({}): {}",
            clean(&item.title),
            clean(&item.task),
            clean(&item.note)
        );
        if let Some(url) = &item.url {
            let _ = writeln!(body, "  {}", clean(url));
        }
    }
    if let Some(empty) = &message.empty {
        body.push_str(&clean(empty));
        body.push('\n');
    }
    if let Some((url, words)) = &message.board {
        let _ = write!(body, "\n{}: {}\n", clean(words), clean(url));
    }
    body
}

/// `text` with each control character a space.
fn clean(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notify::{Item, Kind};

    #[test]
    fn catalog_text_cannot_put_controls_or_lines_into_the_body() {
        let message = Message {
            kind: Kind::Escalation,
            team: "monitoring".to_owned(),
            team_name: "Monitoring".to_owned(),
            person: None,
            title: "Monitoring: overdue".to_owned(),
            date: jiff::civil::date(2026, 11, 23),
            language: "en".to_owned(),
            items: vec![Item {
                task: "t1".to_owned(),
                title: "Red \u{1b}[31malert\r\nBcc: x@example.org\u{7}".to_owned(),
                occurrence: jiff::civil::date(2026, 11, 20),
                note: "overdue since Fri 20 Nov".to_owned(),
                url: Some("https://board.example.org/task/t1".to_owned()),
            }],
            empty: None,
            board: Some((
                "https://board.example.org".to_owned(),
                "Open the board".to_owned(),
            )),
            open_task: "Open the task".to_owned(),
        };
        assert_eq!(
            body(&message),
            "- Red  [31malert  Bcc: x@example.org  (t1): overdue since Fri 20 Nov\n\
             \x20 https://board.example.org/task/t1\n\
             \n\
             Open the board: https://board.example.org\n"
        );
    }
}
