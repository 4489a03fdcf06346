//! Content lines (RFC 5545 section 3.1): folded at 75 octets, CRLF-terminated.

/// The longest line, in octets, before it is folded (RFC 5545 section 3.1).
pub(super) const MAX_LINE_OCTETS: usize = 75;

/// Writes `NAME;params:v1,v2,…` properties, as many values to a line as fit in 75 octets
/// (at least one), so long lists need no folding. `values` are `;params:value` strings;
/// consecutive ones with the same parameters share a line.
pub(super) fn write_date_list(lines: &mut Lines, name: &str, values: impl Iterator<Item = String>) {
    let mut line = String::new();
    let mut params = String::new();
    for item in values {
        let (item_params, item_value) = item.split_at(item.rfind(':').unwrap_or(0));
        let item_value = &item_value[1..];
        let same = !line.is_empty() && item_params == params;
        if same && line.len() + 1 + item_value.len() <= MAX_LINE_OCTETS {
            line.push(',');
            line.push_str(item_value);
            continue;
        }
        if !line.is_empty() {
            lines.push(&line);
        }
        item_params.clone_into(&mut params);
        line = format!("{name}{item_params}:{item_value}");
    }
    if !line.is_empty() {
        lines.push(&line);
    }
}

/// Folds one content line (RFC 5545 section 3.1): physical lines of at most 75 octets,
/// each ending in CRLF, continuation lines starting with a space, never splitting a UTF-8
/// character.
pub(super) fn fold_line(line: &str, out: &mut Vec<u8>) {
    let mut rest = line;
    let mut limit = MAX_LINE_OCTETS;
    loop {
        if rest.len() <= limit {
            out.extend_from_slice(rest.as_bytes());
            out.extend_from_slice(b"\r\n");
            return;
        }
        let mut cut = limit;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        out.extend_from_slice(&rest.as_bytes()[..cut]);
        out.extend_from_slice(b"\r\n ");
        rest = &rest[cut..];
        // The leading space counts towards the 75 octets.
        limit = MAX_LINE_OCTETS - 1;
    }
}

/// Content lines, folded and CRLF-terminated as they are added.
#[derive(Default)]
pub(super) struct Lines {
    /// The folded lines written so far.
    pub(super) bytes: Vec<u8>,
}

impl Lines {
    pub(super) fn push(&mut self, line: &str) {
        fold_line(line, &mut self.bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::ics::value::escape_text;

    fn folded(line: &str) -> String {
        let mut out = Vec::new();
        fold_line(line, &mut out);
        String::from_utf8(out).expect("folding keeps UTF-8 whole")
    }

    fn unfold(text: &str) -> String {
        text.replace("\r\n ", "")
            .trim_end_matches("\r\n")
            .to_owned()
    }

    #[test]
    fn short_lines_are_not_folded() {
        assert_eq!(folded("UID:a@socctl"), "UID:a@socctl\r\n");
        let exact = "X".repeat(75);
        assert_eq!(folded(&exact), format!("{exact}\r\n"));
    }

    #[test]
    fn long_lines_fold_at_75_octets() {
        let line = format!("DESCRIPTION:{}", "a".repeat(200));
        let text = folded(&line);
        for physical in text.split_terminator("\r\n") {
            assert!(physical.len() <= 75, "{physical:?}");
        }
        let physical: Vec<&str> = text.split_terminator("\r\n").collect();
        assert_eq!(physical[0].len(), 75);
        assert_eq!(physical[1].len(), 75);
        assert!(physical[1].starts_with(' '));
        assert_eq!(unfold(&text), line);
    }

    #[test]
    fn japanese_titles_fold_between_characters() {
        // Three octets a character: 75 octets would fall inside one with a 4-byte prefix.
        let title = "フィッシング対策とデータ損失防止キャンペーンを更新する".repeat(3);
        let line = format!("SUMMARY:{}", escape_text(&title));
        let text = folded(&line);
        for physical in text.split_terminator("\r\n") {
            assert!(
                physical.len() <= 75,
                "{} octets: {physical:?}",
                physical.len()
            );
            // Each physical line is valid UTF-8 on its own.
            assert!(std::str::from_utf8(physical.as_bytes()).is_ok());
        }
        assert!(text.lines().count() > 2);
        assert_eq!(unfold(&text), line);
    }

    #[test]
    fn four_octet_characters_are_never_split() {
        for prefix in 0..4 {
            let line = format!("SUMMARY:{}{}", "x".repeat(prefix), "🛡".repeat(40));
            let text = folded(&line);
            assert!(
                text.split_terminator("\r\n").all(|l| l.len() <= 75),
                "{text}"
            );
            assert_eq!(unfold(&text), line);
        }
    }

    #[test]
    fn hostile_text_stays_inside_its_property() {
        let title = "Evil\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:x\nSUMMARY:forged";
        let mut lines = Lines::default();
        lines.push(&format!("SUMMARY:{}", escape_text(title)));
        let text = String::from_utf8(lines.bytes).unwrap();
        // One content line: no CRLF except the final one and fold breaks.
        let unfolded = unfold(&text);
        assert!(!unfolded.contains(['\r', '\n']), "{unfolded:?}");
        assert!(
            text.split_terminator("\r\n")
                .all(|l| !l.starts_with("END:") && !l.starts_with("BEGIN:")),
            "{text:?}"
        );
        assert_eq!(
            unfolded,
            "SUMMARY:Evil\\nEND:VEVENT\\nBEGIN:VEVENT\\nUID:x\\nSUMMARY:forged"
        );
    }
}
