//! A scanner for the plain subset of YAML that catalogs are written in: block mappings and
//! lists indented with spaces, one-line plain, single- and double-quoted scalars, one-line
//! flow lists and mappings (`[a, b]`, `{id: x, name: "Y"}`), comments and blank lines.
//!
//! It builds the same tree, with the same positions, as the full parser, borrowing the text
//! of every scalar from the source; it is several times faster and keeps no copies. It gives
//! up (`None`) on anything outside that subset and on anything that might be a mistake, and
//! the caller then reads the file with the full parser, so that a file with an error is
//! always reported in the full parser's terms, explained by [`super::syntax`]. Giving up is
//! therefore always safe; what the scanner accepts it must read exactly as the full parser
//! does, which the tests below and `tests/scan_differential.rs` check on generated catalogs,
//! mutations of them and every fixture.

use std::borrow::Cow;

use super::yaml::{Key, Location, Node, Spanned};

/// Reads `source` into a node tree, or `None` when the full parser must read it.
pub(crate) fn scan(source: &str) -> Option<Spanned<Node<'_>>> {
    if !plain_text(source) || source.len() >= u32::MAX as usize {
        return None;
    }
    let mut scanner = Scanner {
        src: source,
        b: source.as_bytes(),
        pos: 0,
        line: 1,
        line_start: 0,
        // The full parser's limits (see `Document::parse_fully`), counted as it counts them
        // (every scalar, key and collection is a node), less a margin: a file near them is
        // left to it.
        nodes_left: super::yaml::max_nodes(source.len()) - 64,
        scalar_bytes_left: super::syntax::MAX_SCALAR_BYTES - 64,
        counted: (0, 0),
        entries: Vec::new(),
        peeked: None,
    };
    let indent = scanner.next_content_line()?;
    if indent != 0 {
        return None;
    }
    let root = scanner.block_mapping(0, 1)?;
    // Everything must have been read: a line less indented than the root cannot exist, so
    // the mapping stops only at the end of the file or at something it could not read.
    if scanner.next_content_line().is_some() {
        return None;
    }
    Some(root)
}

/// Whether the whole file is free of what the scanner leaves to the full parser wherever
/// it appears: tabs, carriage returns, control characters, byte-order marks, line
/// separators, and the characters YAML does not allow in a file.
fn plain_text(source: &str) -> bool {
    let bytes = source.as_bytes();
    // Without early exits, so that the compiler checks many bytes at a time.
    #[allow(clippy::needless_bitwise_bool)]
    let control = bytes.iter().fold(false, |found, &b| {
        found | ((b < 0x20) & (b != b'\n')) | (b == 0x7f)
    });
    if control {
        return false;
    }
    if bytes.is_ascii() {
        return true;
    }
    source.chars().all(|c| match c {
        '\n' => true,
        '\u{0}'..='\u{1f}'
        | '\u{7f}'..='\u{9f}'
        | '\u{2028}'
        | '\u{2029}'
        | '\u{feff}'
        | '\u{fffe}'
        | '\u{ffff}' => false,
        _ => true,
    })
}

const MAX_DEPTH: usize = 16;

/// What a line holds from where the scanner is.
enum Ahead {
    /// `key:`, the colon this many bytes on.
    Key(usize),
    /// Something else.
    Other,
}

struct Scanner<'s> {
    src: &'s str,
    b: &'s [u8],
    pos: usize,
    /// The 1-based line of `pos`.
    line: u32,
    /// Where the line of `pos` starts.
    line_start: usize,
    nodes_left: usize,
    scalar_bytes_left: usize,
    /// A byte offset and its 0-based column, on the current line or before it.
    counted: (usize, usize),
    /// The entries of the block mappings being read, innermost last: each mapping's
    /// entries are gathered here and moved into a vector of their exact number at its end,
    /// rather than each mapping's own vector growing (and moving) as it is read.
    entries: Vec<(Key<'s>, Spanned<Node<'s>>)>,
    /// The last [`Self::peek_indent`]: from where, and the position, line, line start and
    /// indentation it found, so that moving there next does not scan the lines again.
    peeked: Option<(usize, Peeked)>,
}

/// Where [`Scanner::next_content_line`] ended and what it gave.
#[derive(Clone, Copy)]
struct Peeked {
    pos: usize,
    line: u32,
    line_start: usize,
    indent: Option<usize>,
}

impl<'s> Scanner<'s> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn at(&self, offset: usize) -> Option<u8> {
        self.b.get(self.pos + offset).copied()
    }

    /// The location of byte `start` on the current line, `len` bytes long.
    /// Columns are counted on from the last one worked out on the same line, so that a
    /// long line costs its length once, not once per value.
    fn location(&mut self, start: usize, len: usize) -> Location {
        if self.counted.0 < self.line_start || self.counted.0 > start {
            self.counted = (self.line_start, 0);
        }
        let (from, base) = self.counted;
        let between = &self.b[from..start];
        let column = base
            + if between.is_ascii() {
                between.len()
            } else {
                self.src[from..start].chars().count()
            };
        self.counted = (start, column);
        Location {
            line: self.line,
            column: column as u32 + 1,
            offset: start as u32,
            len: len as u32,
        }
    }

    fn count_node(&mut self) -> Option<()> {
        self.nodes_left = self.nodes_left.checked_sub(1)?;
        Some(())
    }

    fn count_text(&mut self, len: usize) -> Option<()> {
        self.scalar_bytes_left = self.scalar_bytes_left.checked_sub(len)?;
        Some(())
    }

    fn skip_spaces(&mut self) {
        while self.peek() == Some(b' ') {
            self.pos += 1;
        }
    }

    /// After a value on a line: spaces, then the end of the line or a comment. Leaves `pos`
    /// at the start of the next line.
    fn end_of_line(&mut self) -> Option<()> {
        let before = self.pos;
        self.skip_spaces();
        match self.peek() {
            None => Some(()),
            Some(b'\n') => {
                self.pos += 1;
                self.line += 1;
                self.line_start = self.pos;
                Some(())
            }
            Some(b'#') if self.pos > before => {
                self.skip_line();
                Some(())
            }
            _ => None,
        }
    }

    /// Moves to the start of the next line (or the end of the file).
    fn skip_line(&mut self) {
        match memchr(b'\n', &self.b[self.pos..]) {
            Some(at) => {
                self.pos += at + 1;
                self.line += 1;
                self.line_start = self.pos;
            }
            None => self.pos = self.b.len(),
        }
    }

    /// From the start of a line, skips blank and comment lines; leaves `pos` at the first
    /// character of the next line with content and gives its indentation, or `None` at the
    /// end of the file. Gives up on document markers and directives, with `usize::MAX`
    /// meaning "stop" to the callers (they compare it with their own indentation).
    fn next_content_line(&mut self) -> Option<usize> {
        if let Some((from, peeked)) = self.peeked
            && from == self.pos
        {
            self.pos = peeked.pos;
            self.line = peeked.line;
            self.line_start = peeked.line_start;
            return peeked.indent;
        }
        loop {
            let start = self.pos;
            self.skip_spaces();
            match self.peek() {
                None => return None,
                Some(b'\n') => {
                    self.pos += 1;
                    self.line += 1;
                    self.line_start = self.pos;
                }
                Some(b'#') => self.skip_line(),
                Some(c) => {
                    let indent = self.pos - start;
                    if indent == 0
                        && (c == b'%'
                            || self.b[self.pos..].starts_with(b"---")
                            || self.b[self.pos..].starts_with(b"..."))
                    {
                        // A directive or a document marker: the full parser's to read.
                        return Some(usize::MAX);
                    }
                    return Some(indent);
                }
            }
        }
    }

    /// The indentation of the next line with content, without moving.
    fn peek_indent(&mut self) -> Option<usize> {
        let (pos, line, line_start) = (self.pos, self.line, self.line_start);
        let indent = self.next_content_line();
        self.peeked = Some((
            pos,
            Peeked {
                pos: self.pos,
                line: self.line,
                line_start: self.line_start,
                indent,
            },
        ));
        self.pos = pos;
        self.line = line;
        self.line_start = line_start;
        indent
    }

    /// A block node whose first line starts at `pos`, indented by `indent`.
    fn block_node(&mut self, indent: usize, depth: usize) -> Option<Spanned<Node<'s>>> {
        if self.peek() == Some(b'-') && matches!(self.at(1), Some(b' ' | b'\n') | None) {
            return self.block_sequence(indent, depth, false);
        }
        // A scalar alone on the line below its key is valid YAML but never seen in a
        // catalog; only a mapping is read here.
        if matches!(self.key_ahead()?, Ahead::Key(_)) {
            return self.block_mapping(indent, depth);
        }
        None
    }

    /// Whether the line from `pos` on is `key: …`; `None` when it might be but the scanner
    /// does not read it.
    fn key_ahead(&self) -> Option<Ahead> {
        let rest = &self.b[self.pos..];
        let first = *rest.first()?;
        if first == b'"' || first == b'\'' {
            return self.quoted_key_ahead().map(|(_, colon)| Ahead::Key(colon));
        }
        if !(first.is_ascii_alphabetic() || first == b'_') && first < 0x80 {
            // Quoted keys, `? ` complex keys, numbers and indicators: not a plain key, and
            // possibly something the scanner does not read.
            return if is_indicator(first) || first.is_ascii_digit() {
                None
            } else {
                Some(Ahead::Other)
            };
        }
        let mut i = 0;
        while i < rest.len() {
            match rest[i] {
                b'\n' => return Some(Ahead::Other),
                b':' => {
                    return match rest.get(i + 1) {
                        None | Some(b' ' | b'\n') => Some(Ahead::Key(i)),
                        _ => None,
                    };
                }
                b'#' if rest[i - 1] == b' ' => return Some(Ahead::Other),
                _ => i += 1,
            }
        }
        Some(Ahead::Other)
    }

    /// A block mapping whose first key starts at `pos`, in column `indent` + 1.
    fn block_mapping(&mut self, indent: usize, depth: usize) -> Option<Spanned<Node<'s>>> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.count_node()?;
        let at = self.location(self.pos, 0);
        // This mapping's entries are `self.entries[mark..]`.
        let mark = self.entries.len();
        loop {
            let key = self.key(mark)?;
            // `pos` is just past the colon.
            self.skip_spaces();
            let value = match self.peek() {
                None | Some(b'\n' | b'#') => {
                    if self.peek() == Some(b'#') && self.b[self.pos - 1] != b' ' {
                        return None;
                    }
                    let empty = self.pos;
                    self.skip_line();
                    match self.peek_indent() {
                        Some(next) if next > indent && next != usize::MAX => {
                            self.next_content_line();
                            self.block_node(next, depth + 1)?
                        }
                        Some(next)
                            if next == indent
                                && self.peek_after_indent(next) == Some(b'-')
                                && self.peek_after_indent(next + 1) == Some(b' ') =>
                        {
                            self.next_content_line();
                            self.block_sequence(indent, depth + 1, true)?
                        }
                        _ => {
                            // `key:` with nothing: null, placed by the full parser where
                            // the next token starts; left to it.
                            let _ = empty;
                            return None;
                        }
                    }
                }
                Some(_) => {
                    let value = self.inline_value(depth + 1)?;
                    self.end_of_line()?;
                    value
                }
            };
            self.entries.push((key, value));
            match self.peek_indent() {
                None => break,
                Some(next) if next == indent => {
                    self.next_content_line();
                    // A `-` at the mapping's own indentation ends it only where the
                    // mapping is a list item's; the caller decides.
                    if self.peek() == Some(b'-') {
                        self.pos -= indent;
                        break;
                    }
                }
                Some(next) if next < indent => break,
                Some(_) => return None,
            }
        }
        Some(Spanned {
            value: Node::Map(self.entries.drain(mark..).collect()),
            referenced: at,
        })
    }

    /// The byte `offset` past the start of the next content line's indentation, without
    /// moving.
    fn peek_after_indent(&mut self, offset: usize) -> Option<u8> {
        let (pos, line, line_start) = (self.pos, self.line, self.line_start);
        let indent = self.next_content_line();
        let byte = indent.and_then(|_| self.b.get(self.line_start + offset).copied());
        self.pos = pos;
        self.line = line;
        self.line_start = line_start;
        byte
    }

    /// A quoted key at `pos` (`"Weekly SOC": …`), without escapes, on one line: its text
    /// and where its colon is (from `pos`), or `None`.
    fn quoted_key_ahead(&self) -> Option<(&'s str, usize)> {
        let rest = &self.b[self.pos..];
        let quote = rest[0];
        let close = 1 + rest[1..]
            .iter()
            .position(|&c| c == quote || c == b'\n' || c == b'\\')?;
        if rest[close] != quote || rest.get(close + 1) == Some(&quote) {
            return None;
        }
        let mut colon = close + 1;
        while rest.get(colon) == Some(&b' ') {
            colon += 1;
        }
        if rest.get(colon) != Some(&b':')
            || !matches!(rest.get(colon + 1), None | Some(b' ' | b'\n'))
        {
            return None;
        }
        Some((&self.src[self.pos + 1..self.pos + close], colon))
    }

    /// A plain key at `pos` and its colon; `pos` ends just past the colon. Gives up on keys
    /// the full parser might read otherwise (numbers, yes/no words, nulls) and on repeats
    /// of the keys in `self.entries[mark..]`.
    fn key(&mut self, mark: usize) -> Option<Key<'s>> {
        let Ahead::Key(len) = self.key_ahead()? else {
            return None;
        };
        let start = self.pos;
        let (text, written) = if matches!(self.b[start], b'"' | b'\'') {
            let (text, _) = self.quoted_key_ahead()?;
            (text, text.len() + 2)
        } else {
            let text = self.src[start..start + len].trim_end_matches(' ');
            if text.is_empty() || resolves_specially(text) {
                return None;
            }
            (text, text.len())
        };
        if self.entries[mark..]
            .iter()
            .any(|(key, _)| key.value == text)
        {
            return None;
        }
        self.count_node()?;
        self.count_text(text.len())?;
        let referenced = self.location(start, written);
        self.pos = start + len + 1;
        Some(Spanned {
            value: Cow::Borrowed(text),
            referenced,
        })
    }

    /// A block list whose first `-` is at `pos`, in column `indent` + 1.
    /// `indentless`: a list at the indentation of the key it is the value of, which the
    /// full parser places where its first item starts, not at the `-`.
    fn block_sequence(
        &mut self,
        indent: usize,
        depth: usize,
        indentless: bool,
    ) -> Option<Spanned<Node<'s>>> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.count_node()?;
        let mut at = self.location(self.pos, 0);
        if indentless {
            let mut first = self.pos + 1;
            while self.b.get(first) == Some(&b' ') {
                first += 1;
            }
            at = self.location(first, 0);
        }
        let mut items = Vec::new();
        loop {
            // `pos` is at the `-`.
            self.pos += 1;
            match self.peek() {
                Some(b' ') => {}
                // `-` alone: an item on the lines below, or null; left to the full parser.
                _ => return None,
            }
            self.skip_spaces();
            let item_column = self.pos - self.line_start;
            let item = match self.peek() {
                None | Some(b'\n' | b'#') => return None,
                Some(b'-') if matches!(self.at(1), Some(b' ' | b'\n') | None) => return None,
                Some(first) => {
                    let inline = matches!(first, b'[' | b'{' | b'"' | b'\'');
                    if !inline && matches!(self.key_ahead()?, Ahead::Key(_)) {
                        // Only `-` and spaces before the key: bytes are columns.
                        self.block_mapping(item_column, depth + 1)?
                    } else {
                        let value = self.inline_value(depth + 1)?;
                        self.end_of_line()?;
                        match self.peek_indent() {
                            Some(next) if next > indent && next != usize::MAX => return None,
                            _ => {}
                        }
                        value
                    }
                }
            };
            items.push(item);
            match self.peek_indent() {
                Some(next) if next == indent => {
                    self.next_content_line();
                    if self.peek() != Some(b'-') {
                        // The next key of the mapping this list is the value of.
                        self.pos -= indent;
                        break;
                    }
                }
                Some(next) if next > indent && next != usize::MAX => return None,
                _ => break,
            }
        }
        Some(Spanned {
            value: Node::Seq(items),
            referenced: at,
        })
    }

    /// A value that starts and ends on this line: a scalar or a flow collection.
    fn inline_value(&mut self, depth: usize) -> Option<Spanned<Node<'s>>> {
        match self.peek()? {
            b'[' => self.flow_sequence(depth),
            b'{' => self.flow_mapping(depth),
            b'"' => self.double_quoted(),
            b'\'' => self.single_quoted(),
            _ => self.plain(false),
        }
    }

    /// A plain scalar; in a flow collection (`flow`) it also ends at `,`, `]` and `}`.
    fn plain(&mut self, flow: bool) -> Option<Spanned<Node<'s>>> {
        let start = self.pos;
        let first = self.peek()?;
        if is_indicator(first)
            && !(first == b'-' && self.at(1).is_some_and(|c| c.is_ascii_alphanumeric()))
        {
            return None;
        }
        let mut end = start;
        let mut i = start;
        while i < self.b.len() {
            let c = self.b[i];
            match c {
                b'\n' => break,
                b' ' => {
                    if self.b.get(i + 1) == Some(&b'#') {
                        break;
                    }
                }
                b':' => match self.b.get(i + 1) {
                    None | Some(b' ' | b'\n') => return None,
                    Some(b',' | b'[' | b']' | b'{' | b'}') if flow => return None,
                    _ => end = i + 1,
                },
                b',' | b'[' | b']' | b'{' | b'}' if flow => break,
                _ => end = i + 1,
            }
            i += 1;
        }
        let text = &self.src[start..end];
        self.count_node()?;
        self.count_text(text.len())?;
        let referenced = self.location(start, text.len());
        self.pos = end;
        let value = if is_null(text) {
            Node::Null
        } else {
            Node::Text(Cow::Borrowed(text))
        };
        Some(Spanned { value, referenced })
    }

    /// `"…"` on one line, with the common escapes.
    fn double_quoted(&mut self) -> Option<Spanned<Node<'s>>> {
        let start = self.pos;
        let mut i = start + 1;
        let mut owned: Option<String> = None;
        let mut run = i;
        loop {
            match *self.b.get(i)? {
                b'"' => break,
                b'\n' => return None,
                b'\\' => {
                    let text = owned.get_or_insert_with(String::new);
                    text.push_str(&self.src[run..i]);
                    let escaped = match *self.b.get(i + 1)? {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'n' => '\n',
                        b't' => '\t',
                        _ => return None,
                    };
                    text.push(escaped);
                    i += 2;
                    run = i;
                }
                _ => i += 1,
            }
        }
        let value = match owned {
            Some(mut text) => {
                text.push_str(&self.src[run..i]);
                Cow::Owned(text)
            }
            None => Cow::Borrowed(&self.src[start + 1..i]),
        };
        self.finish_quoted(start, i + 1, value)
    }

    /// `'…'` on one line (`''` is a quote).
    fn single_quoted(&mut self) -> Option<Spanned<Node<'s>>> {
        let start = self.pos;
        let mut i = start + 1;
        let mut owned: Option<String> = None;
        let mut run = i;
        loop {
            match *self.b.get(i)? {
                b'\'' if self.b.get(i + 1) == Some(&b'\'') => {
                    let text = owned.get_or_insert_with(String::new);
                    text.push_str(&self.src[run..=i]);
                    i += 2;
                    run = i;
                }
                b'\'' => break,
                b'\n' => return None,
                _ => i += 1,
            }
        }
        let value = match owned {
            Some(mut text) => {
                text.push_str(&self.src[run..i]);
                Cow::Owned(text)
            }
            None => Cow::Borrowed(&self.src[start + 1..i]),
        };
        self.finish_quoted(start, i + 1, value)
    }

    fn finish_quoted(
        &mut self,
        start: usize,
        end: usize,
        value: Cow<'s, str>,
    ) -> Option<Spanned<Node<'s>>> {
        self.count_node()?;
        self.count_text(value.len())?;
        let referenced = self.location(start, end - start);
        self.pos = end;
        // A quoted key (`"a": b`) is the full parser's to read.
        let mut after = end;
        while self.b.get(after) == Some(&b' ') {
            after += 1;
        }
        if self.b.get(after) == Some(&b':') {
            return None;
        }
        Some(Spanned {
            value: Node::Text(value),
            referenced,
        })
    }

    /// `[a, b, …]` on one line.
    fn flow_sequence(&mut self, depth: usize) -> Option<Spanned<Node<'s>>> {
        let mut items = Vec::new();
        let at = self.flow_collection(depth, b']', |scanner| {
            items.push(scanner.flow_item(depth + 1)?);
            Some(())
        })?;
        Some(Spanned {
            value: Node::Seq(items),
            referenced: at,
        })
    }

    /// An item inside `[ ]` or a value inside `{ }`.
    fn flow_item(&mut self, depth: usize) -> Option<Spanned<Node<'s>>> {
        let item = match self.peek()? {
            b'[' => self.flow_sequence(depth)?,
            b'{' => self.flow_mapping(depth)?,
            b'"' => self.double_quoted()?,
            b'\'' => self.single_quoted()?,
            _ => self.plain(true)?,
        };
        if matches!(item.value, Node::Null) {
            return None;
        }
        Some(item)
    }

    /// `{key: value, …}` on one line.
    fn flow_mapping(&mut self, depth: usize) -> Option<Spanned<Node<'s>>> {
        let mut entries: Vec<(Key<'s>, Spanned<Node<'s>>)> = Vec::new();
        let at = self.flow_collection(depth, b'}', |scanner| {
            let entry = scanner.flow_entry(&entries, depth)?;
            entries.push(entry);
            Some(())
        })?;
        Some(Spanned {
            value: Node::Map(entries),
            referenced: at,
        })
    }

    /// One `key: value` of a flow mapping (`earlier` are the entries before it).
    fn flow_entry(
        &mut self,
        earlier: &[(Key<'s>, Spanned<Node<'s>>)],
        depth: usize,
    ) -> Option<(Key<'s>, Spanned<Node<'s>>)> {
        let start = self.pos;
        let first = self.peek()?;
        if !(first.is_ascii_alphabetic() || first == b'_') {
            return None;
        }
        let mut end = start;
        while let Some(&c) = self.b.get(end) {
            if c.is_ascii_alphanumeric() || c == b'_' || c == b'-' {
                end += 1;
            } else {
                break;
            }
        }
        if self.b.get(end) != Some(&b':') || self.b.get(end + 1) != Some(&b' ') {
            return None;
        }
        let text = &self.src[start..end];
        if resolves_specially(text) || earlier.iter().any(|(key, _)| key.value == text) {
            return None;
        }
        self.count_node()?;
        self.count_text(text.len())?;
        let key = Spanned {
            value: Cow::Borrowed(text),
            referenced: self.location(start, text.len()),
        };
        self.pos = end + 1;
        self.skip_spaces();
        let value = self.flow_item(depth + 1)?;
        Some((key, value))
    }

    /// A flow collection opened at `pos` and closed by `close` on the same line, each of its
    /// comma-separated entries read by `entry` (from its first character); gives where it
    /// opened, with `pos` past `close`.
    fn flow_collection(
        &mut self,
        depth: usize,
        close: u8,
        mut entry: impl FnMut(&mut Self) -> Option<()>,
    ) -> Option<Location> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.count_node()?;
        let at = self.location(self.pos, 1);
        self.pos += 1;
        self.skip_spaces();
        if self.peek() == Some(close) {
            self.pos += 1;
            return Some(at);
        }
        loop {
            self.skip_spaces();
            entry(self)?;
            self.skip_spaces();
            match self.peek()? {
                b',' => self.pos += 1,
                c if c == close => {
                    self.pos += 1;
                    return Some(at);
                }
                _ => return None,
            }
        }
    }
}

/// Characters that cannot start a plain scalar (or start something else).
fn is_indicator(c: u8) -> bool {
    matches!(
        c,
        b'-' | b'?'
            | b':'
            | b','
            | b'['
            | b']'
            | b'{'
            | b'}'
            | b'#'
            | b'&'
            | b'*'
            | b'!'
            | b'|'
            | b'>'
            | b'\''
            | b'"'
            | b'%'
            | b'@'
            | b'`'
    )
}

/// A plain scalar the full parser reads as null.
fn is_null(text: &str) -> bool {
    matches!(text, "~" | "null" | "Null" | "NULL")
}

/// Key text that a parser might read as something other than a string (a null, a yes/no
/// word, a number), which the scanner leaves to the full parser.
fn resolves_specially(text: &str) -> bool {
    // None of the words is longer than five letters: most keys are, and skip the list.
    (text.len() <= 5
        && [
            "~", "null", "true", "false", "yes", "no", "on", "off", "y", "n",
        ]
        .iter()
        .any(|word| text.eq_ignore_ascii_case(word)))
        || text.starts_with(|c: char| c.is_ascii_digit() || c == '.' || c == '+')
}

fn memchr(needle: u8, haystack: &[u8]) -> Option<usize> {
    haystack.iter().position(|&b| b == needle)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::scan;
    use crate::catalog::yaml::{Document, Location, Node, Spanned};

    /// Test support: the two trees are the same, node for node, with the same positions and
    /// the same text (a full parser's number or yes/no read from the source, as `check` does).
    pub(super) fn assert_same_tree(
        doc: &Document<'_>,
        fast: &Spanned<Node<'_>>,
        full: &Spanned<Node<'_>>,
        source: &str,
    ) {
        let place = |at: &Location| (at.line, at.column);
        assert_eq!(
            place(&fast.referenced),
            place(&full.referenced),
            "position of {:?} vs {:?} in {source:?}",
            fast.value,
            full.value
        );
        match (&fast.value, &full.value) {
            (Node::Null, Node::Null) => {}
            (Node::Text(_) | Node::Plain, Node::Text(_) | Node::Plain) => assert_eq!(
                doc.scalar_text(fast),
                doc.scalar_text(full),
                "text in {source:?}"
            ),
            (Node::Seq(a), Node::Seq(b)) => {
                assert_eq!(a.len(), b.len(), "list length in {source:?}");
                for (a, b) in a.iter().zip(b) {
                    assert_same_tree(doc, a, b, source);
                }
            }
            (Node::Map(a), Node::Map(b)) => {
                assert_eq!(a.len(), b.len(), "mapping length in {source:?}");
                for ((ka, va), (kb, vb)) in a.iter().zip(b) {
                    assert_eq!(ka.value, kb.value, "key in {source:?}");
                    assert_eq!(
                        place(&ka.referenced),
                        place(&kb.referenced),
                        "position of key {:?} in {source:?}",
                        ka.value
                    );
                    assert_same_tree(doc, va, vb, source);
                }
            }
            (a, b) => panic!("{a:?} vs {b:?} in {source:?}"),
        }
    }

    /// The scanner's tree equals the full parser's, or the scanner gave up.
    fn same_as_full(source: &str) -> bool {
        let Some(fast) = scan(source) else {
            return false;
        };
        let mut doc = Document::new(Path::new("t.yaml"), source);
        let full = doc.parse_fully().unwrap_or_else(|| {
            panic!(
                "the scanner read what the full parser refuses: {source:?}\n{:?}",
                doc.diagnostics
            )
        });
        assert_same_tree(&doc, &fast, &full, source);
        true
    }

    #[test]
    fn reads_the_catalog_subset_as_the_full_parser_does() {
        for source in [
            "version: 1\n",
            "a: b\nc: d # note\n",
            "a: \"x \\\" y\"\nb: 'it''s'\nc: ~\nd: null\ne: 2026-01-01\nf: true\ng: -1.5\n",
            "tasks:\n  - id: a\n    title: \"T\"\n  - id: b\n    team: [x, y]\n",
            "tasks:\n- id: a\n  t: 1\n- id: b\nother: 2\n",
            "teams:\n  - id: t\n    members:\n      - {id: p, name: \"P Q\", lead: true}\n    translations:\n      da: {name: \"Å\"}\n",
            "# c\n\na:   x  \n\n  # indented comment\nb: [ ]\nc: {}\n",
            "a: x # c\nb: # c\n  c: d\n",
            "æ: ja 日本 x\nb: \"日本\"\n",
            "a:\n  b:\n    c: d\n",
            "refs: [https://example.org/a, \"b, c\", 'd']\n",
            "list:\n  - a\n  - \"b\"\n  - [c]\nz: 1",
            "aliases:\n  \"Weekly SOC\": weekly\n  'Patch day' : \"monthly\"\n",
        ] {
            assert!(same_as_full(source), "the scanner gave up on {source:?}");
        }
    }

    #[test]
    fn gives_up_on_what_it_does_not_read() {
        for source in [
            "a: |\n  text\n",
            "a: &x b\nc: *x\n",
            "a: b\n  c\n",
            "a:\n",
            "---\na: b\n",
            "a: b\na: c\n",
            "a:\tb\n",
            "a: b\r\n",
            "\"a\\\"\": b\n",
            "a: [b,\n  c]\n",
            "- a\n",
            "a: !!str b\n",
            "1: b\n",
            "a: \"\\x41\"\n",
            "title: Audit: firewall\n",
            "a: b: c\n",
            "a: [b: c]\n",
            "a: -\n",
            "- a\n",
        ] {
            assert!(scan(source).is_none(), "{source:?}");
        }
    }

    #[test]
    fn leaves_a_file_past_the_full_parser_s_limits_to_it() {
        // 250,002 nodes (the mapping, its key, the list and 249,999 items) in under 1 MB:
        // past the full parser's node limit for a file this size, so it reports it.
        let source = format!("a: [{}1]\n", "1, ".repeat(249_998));
        assert!(scan(&source).is_none());
        let mut doc = Document::new(Path::new("t.yaml"), &source);
        assert!(doc.parse().is_none());
        assert_eq!(
            doc.diagnostics[0].message,
            "YAML syntax: too many values once anchors and aliases are expanded"
        );
        // One node fewer than the margin below the limit is read.
        let source = format!("a: [{}1]\n", "1, ".repeat(249_998 - 70));
        assert!(scan(&source).is_some());
    }

    /// Every catalog file among the fixtures, and the shipped catalog.
    fn catalog_files() -> Vec<(std::path::PathBuf, String)> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = vec![root.join("tasks.yaml"), root.join("roles.yaml")];
        let mut dirs = vec![root.join("tests/fixtures")];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "yaml") {
                    files.push(path);
                }
            }
        }
        files.sort();
        files
            .into_iter()
            .filter_map(|path| {
                let text = std::fs::read_to_string(&path).ok()?;
                Some((path, text))
            })
            .collect()
    }

    #[test]
    fn every_fixture_reads_as_the_full_parser_reads_it() {
        let mut read = Vec::new();
        for (path, source) in catalog_files() {
            let Some(fast) = scan(&source) else {
                continue;
            };
            let mut doc = Document::new(&path, &source);
            let full = doc
                .parse_fully()
                .unwrap_or_else(|| panic!("{} is refused by the full parser", path.display()));
            assert_same_tree(&doc, &fast, &full, &source);
            read.push(path.file_name().unwrap().to_owned());
        }
        // The shipped catalog is in the subset: the scanner, not the fallback, reads it.
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        for file in ["tasks.yaml", "roles.yaml"] {
            let source = std::fs::read_to_string(root.join(file)).unwrap();
            assert!(
                scan(&source).is_some(),
                "the scanner gave up on the shipped {file}"
            );
        }
        assert!(read.len() >= 10, "only {read:?} were read by the scanner");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]

        /// Whatever the scanner reads in a catalog with a few characters changed, the full
        /// parser reads the same way; what it gives up on, the full parser reads (or reports)
        /// alone, as before.
        #[test]
        fn an_edited_catalog_reads_as_the_full_parser_reads_it(
            file in 0usize..1000,
            edits in proptest::collection::vec(
                (0usize..1_000_000, 0usize..3, proptest::sample::select(vec![
                    " ", "  ", ":", ": ", "-", "- ", "#", " #", "'", "\"", "[", "]", "{", "}",
                    ",", "\n", "\n  ", "~", "&a", "*a", "!", "|", ">", "x", "1", "é", "日",
                    "\\", "null", "true", "id", "? ", "%", "@", ".", "---",
                ])),
                1..4,
            ),
        ) {
            let files = catalog_files();
            let (_, original) = &files[file % files.len()];
            let mut source = original.clone();
            for (at, kind, text) in edits {
                let mut at = at % (source.len() + 1);
                while !source.is_char_boundary(at) {
                    at -= 1;
                }
                match kind {
                    0 => source.insert_str(at, text),
                    1 => {
                        let end = (at + text.len()).min(source.len());
                        let mut end = end;
                        while !source.is_char_boundary(end) {
                            end += 1;
                        }
                        source.replace_range(at..end, text);
                    }
                    _ => {
                        let mut end = (at + 1).min(source.len());
                        while !source.is_char_boundary(end) {
                            end += 1;
                        }
                        source.replace_range(at..end, "");
                    }
                }
            }
            if let Some(fast) = scan(&source) {
                let mut doc = Document::new(Path::new("t.yaml"), &source);
                let full = doc.parse_fully();
                proptest::prop_assert!(
                    full.is_some(),
                    "the scanner read what the full parser refuses: {:?}",
                    doc.diagnostics
                );
                assert_same_tree(&doc, &fast, &full.unwrap(), &source);
            }
        }
    }
}
