//! Output bound for a terminal: whatever the format, catalog, journal and server text
//! cannot drive it.
//!
//! Tables and plain text escape catalog text themselves ([`super::safe`]), but CSV, HTML,
//! iCalendar and e-mail must carry the real bytes to the files and programs they are for.
//! On a terminal the same bytes would run: `ESC ] 52` writes the clipboard, `ESC [ 2 J`
//! clears the screen, U+009B is a one-byte CSI, and U+202E turns the rest of a line
//! around. [`TerminalSafe`] sits between every renderer and a terminal and shows each such
//! character as its escape (`\u{1b}`, `\u{202e}`), the convention of [`super::safe`] and
//! of diagnostics.

use std::borrow::Cow;
use std::io::{self, Write};

/// Whether `c` must not reach a terminal as itself: C0 controls but line feed and tab,
/// DEL, C1 controls (U+0080 to U+009F), and the bidirectional embeddings, overrides and
/// isolates (U+202A to U+202E, U+2066 to U+2069).
pub fn is_unsafe_for_terminal(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || is_bidi_control(c)
}

/// The bidirectional embeddings, overrides and isolates, which reorder what follows them.
pub(super) fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every character [`is_unsafe_for_terminal`] shown as its escape, line feeds
/// and tabs kept: for messages printed to standard error. Borrowed when nothing changes.
pub fn terminal_text(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe_for_terminal) {
        return Cow::Borrowed(text);
    }
    let mut shown = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe_for_terminal(c) {
            shown.extend(c.escape_unicode());
        } else {
            shown.push(c);
        }
    }
    Cow::Owned(shown)
}

/// The longest SGR sequence (`ESC [ 1 ; 36 m`) let through, in bytes: anything longer is
/// not one of socctl's.
const MAX_SGR: usize = 16;

/// A writer for a terminal: passes text through, showing every character
/// [`is_unsafe_for_terminal`] as its escape. A carriage return right before a line feed
/// (CSV, iCalendar and e-mail end lines so) is kept: it cannot overwrite anything.
/// `colours` lets SGR sequences (`ESC [ digits ; … m`) through, for the table format, whose
/// renderer escapes catalog text itself and colours its own headings.
///
/// Characters split between two writes are put together first; what is still held when the
/// writer is dropped (or [`TerminalSafe::finish`]ed) is written then, escaped.
pub struct TerminalSafe<W: Write> {
    inner: W,
    colours: bool,
    /// The start of a sequence not complete yet: part of a UTF-8 character, an ESC, a CR.
    held: Vec<u8>,
}

impl<W: Write> TerminalSafe<W> {
    /// A terminal-safe writer into `inner`.
    pub fn new(inner: W, colours: bool) -> Self {
        Self {
            inner,
            colours,
            held: Vec::new(),
        }
    }

    /// Writes what is held, then flushes.
    pub fn finish(mut self) -> io::Result<()> {
        self.drain()?;
        self.inner.flush()
    }

    fn drain(&mut self) -> io::Result<()> {
        let held = std::mem::take(&mut self.held);
        let used = self.process(&held, true)?;
        debug_assert_eq!(used, held.len());
        Ok(())
    }

    /// Writes `bytes`, escaping; returns how many were used: all of them when `last`, else
    /// up to the start of an unfinished sequence at the end.
    fn process(&mut self, bytes: &[u8], last: bool) -> io::Result<usize> {
        let mut start = 0;
        let mut index = 0;
        while index < bytes.len() {
            let byte = bytes[index];
            // Everything printable in ASCII, line feed, tab, and UTF-8 lead bytes that
            // cannot start a C1 control or a bidirectional control pass in bulk.
            if (0x20..0x7f).contains(&byte)
                || byte == b'\n'
                || byte == b'\t'
                || (byte >= 0x80 && byte != 0xc2 && byte != 0xe2)
            {
                index += 1;
                continue;
            }
            let rest = &bytes[index..];
            let (length, escape) = match classify(rest, self.colours) {
                Some(found) => found,
                None if last => (1, true),
                None => {
                    self.inner.write_all(&bytes[start..index])?;
                    return Ok(index);
                }
            };
            if escape {
                self.inner.write_all(&bytes[start..index])?;
                match std::str::from_utf8(&rest[..length]) {
                    Ok(text) => {
                        for c in text.chars() {
                            write!(self.inner, "{}", c.escape_unicode())?;
                        }
                    }
                    Err(_) => self.inner.write_all(&rest[..length])?,
                }
                start = index + length;
            }
            index += length;
        }
        self.inner.write_all(&bytes[start..])?;
        Ok(bytes.len())
    }
}

/// What the sequence at the start of `bytes` is: its length and whether it is escaped, or
/// `None` when more bytes are needed to tell.
fn classify(bytes: &[u8], colours: bool) -> Option<(usize, bool)> {
    match bytes[0] {
        b'\r' => match bytes.get(1) {
            Some(b'\n') => Some((1, false)),
            Some(_) => Some((1, true)),
            None => None,
        },
        0x1b if colours => {
            let mut length = 1;
            loop {
                match bytes.get(length) {
                    None if length < MAX_SGR => return None,
                    Some(b'[') if length == 1 => {}
                    Some(b'0'..=b'9' | b';') if length > 1 && length < MAX_SGR => {}
                    Some(b'm') if length > 1 => return Some((length + 1, false)),
                    _ => return Some((1, true)),
                }
                length += 1;
            }
        }
        // U+0080 to U+009F are C2 80 to C2 9F.
        0xc2 => match bytes.get(1) {
            Some(0x80..=0x9f) => Some((2, true)),
            Some(_) => Some((1, false)),
            None => None,
        },
        // U+202A to U+202E are E2 80 AA to E2 80 AE; U+2066 to U+2069 are E2 81 A6 to A9.
        0xe2 => match (bytes.get(1), bytes.get(2)) {
            (Some(0x80), Some(0xaa..=0xae)) | (Some(0x81), Some(0xa6..=0xa9)) => Some((3, true)),
            (Some(0x80 | 0x81), None) | (None, _) => None,
            _ => Some((1, false)),
        },
        _ => Some((1, true)),
    }
}

impl<W: Write> Write for TerminalSafe<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.held.is_empty() {
            let used = self.process(buf, false)?;
            self.held.extend_from_slice(&buf[used..]);
        } else {
            let mut joined = std::mem::take(&mut self.held);
            joined.extend_from_slice(buf);
            let used = self.process(&joined, false)?;
            self.held = joined.split_off(used);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl<W: Write> Drop for TerminalSafe<W> {
    fn drop(&mut self) {
        // As `BufWriter` does: what is left is written; an error here has nowhere to go.
        let _ = self.drain();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(pieces: &[&[u8]], colours: bool) -> String {
        let mut out = Vec::new();
        let mut writer = TerminalSafe::new(&mut out, colours);
        for piece in pieces {
            writer.write_all(piece).expect("writing");
        }
        writer.finish().expect("finishing");
        String::from_utf8(out).expect("UTF-8")
    }

    #[test]
    fn controls_and_bidi_overrides_are_shown_as_escapes() {
        let hostile = "a\u{1b}[31mb\u{1b}]0;title\u{7}c\u{9b}2Jd\u{202e}e\u{2066}f\u{7f}g\rh\0";
        assert_eq!(
            shown(&[hostile.as_bytes()], false),
            r"a\u{1b}[31mb\u{1b}]0;title\u{7}c\u{9b}2Jd\u{202e}e\u{2066}f\u{7f}g\u{d}h\u{0}"
        );
    }

    #[test]
    fn ordinary_text_line_ends_and_tabs_pass_unchanged() {
        let text = "date,task\r\n2026-11-23,\"x\ty\"\r\næøå 日本語 — \u{2028}\u{2069}\u{2065}\u{202f} \u{a0}ok\n";
        let expected = text.replace('\u{2069}', r"\u{2069}");
        assert_eq!(shown(&[text.as_bytes()], false), expected);
    }

    #[test]
    fn sequences_split_between_writes_are_still_caught() {
        let hostile = "x\u{9b}y\u{202e}z\r\u{1b}[1;36mw\r\n".as_bytes();
        for split in 0..hostile.len() {
            let (first, second) = hostile.split_at(split);
            assert_eq!(
                shown(&[first, second], false),
                r"x\u{9b}y\u{202e}z\u{d}\u{1b}[1;36mw".to_owned() + "\r\n",
                "split at {split}"
            );
            assert_eq!(
                shown(&[first, second], true),
                "x\\u{9b}y\\u{202e}z\\u{d}\u{1b}[1;36mw\r\n",
                "split at {split}, colours"
            );
        }
    }

    #[test]
    fn only_sgr_sequences_pass_with_colours() {
        assert_eq!(
            shown(
                &[b"\x1b[1;36mOps\x1b[0m \x1b[2J \x1b]52;c;x\x07 \x1b[m \x1b"],
                true
            ),
            "\u{1b}[1;36mOps\u{1b}[0m \\u{1b}[2J \\u{1b}]52;c;x\\u{7} \u{1b}[m \\u{1b}"
        );
    }

    #[test]
    fn messages_keep_their_lines() {
        assert_eq!(
            terminal_text("550 \u{1b}[2Jno\n\tsuch \u{202e}user"),
            "550 \\u{1b}[2Jno\n\tsuch \\u{202e}user"
        );
        assert!(matches!(terminal_text("plain"), Cow::Borrowed("plain")));
    }
}
