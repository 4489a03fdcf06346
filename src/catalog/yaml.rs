//! A YAML document as a tree of nodes that remember where they were written, so that
//! every problem in a catalog can be reported at once, with its line and column.
//!
//! Catalogs are read by [`super::scan`], a scanner for the plain subset of YAML that
//! catalogs are written in, which builds the same tree without copying the text; anything
//! outside that subset (and every file with a mistake in its syntax) is read again by the
//! full parser, serde-saphyr, whose errors [`super::syntax`] explains.

use std::borrow::Cow;
use std::fmt;
use std::path::Path;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use super::diagnostic::{Diagnostic, Severity};

/// Where a node was written: 1-based line and column (in characters), and its bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Location {
    pub(crate) line: u32,
    pub(crate) column: u32,
    /// Byte offset of the node in the source (meaningful for scalars).
    pub(crate) offset: u32,
    /// Length in bytes of the node's text in the source (meaningful for scalars).
    pub(crate) len: u32,
}

impl Location {
    /// The 1-based line.
    pub(crate) fn line(&self) -> u64 {
        u64::from(self.line)
    }
    /// The 1-based column, in characters.
    pub(crate) fn column(&self) -> u64 {
        u64::from(self.column)
    }
}

impl From<serde_saphyr::Location> for Location {
    fn from(at: serde_saphyr::Location) -> Self {
        let span = at.span();
        Self {
            line: u32::try_from(at.line()).unwrap_or(u32::MAX),
            column: u32::try_from(at.column()).unwrap_or(u32::MAX),
            offset: span
                .byte_offset()
                .and_then(|o| u32::try_from(o).ok())
                .unwrap_or(u32::MAX),
            len: span
                .byte_len()
                .and_then(|l| u32::try_from(l).ok())
                .unwrap_or(0),
        }
    }
}

/// A value with the place it was written.
#[derive(Debug, PartialEq)]
pub(crate) struct Spanned<T> {
    pub(crate) value: T,
    pub(crate) referenced: Location,
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Spanned<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = serde_saphyr::Spanned::<T>::deserialize(deserializer)?;
        Ok(Spanned {
            value: spanned.value,
            referenced: spanned.referenced.into(),
        })
    }
}

/// A mapping key: text, borrowed from the source where it can be.
pub(crate) type Key<'s> = Spanned<Cow<'s, str>>;

/// A node of a YAML document.
#[derive(Debug, PartialEq)]
pub(crate) enum Node<'s> {
    /// A string scalar.
    Text(Cow<'s, str>),
    /// A scalar YAML read as a number or boolean; its text is recovered from the source.
    Plain,
    /// `~`, `null` or nothing.
    Null,
    /// A sequence.
    Seq(Vec<Spanned<Node<'s>>>),
    /// A mapping, in document order.
    Map(Vec<(Key<'s>, Spanned<Node<'s>>)>),
}

impl Node<'_> {
    /// What kind of node this is, for messages.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Node::Text(_) | Node::Plain => "a scalar",
            Node::Null => "nothing",
            Node::Seq(_) => "a list",
            Node::Map(_) => "a mapping",
        }
    }
}

/// A mapping key as serde-saphyr gives it: borrowed where the text is in the source.
struct KeyText<'s>(Cow<'s, str>);

impl<'de> Deserialize<'de> for KeyText<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = KeyText<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, value: &'de str) -> Result<Self::Value, E> {
                Ok(KeyText(Cow::Borrowed(value)))
            }
            fn visit_str<E>(self, value: &str) -> Result<Self::Value, E> {
                Ok(KeyText(Cow::Owned(value.to_owned())))
            }
            fn visit_string<E>(self, value: String) -> Result<Self::Value, E> {
                Ok(KeyText(Cow::Owned(value)))
            }
        }
        deserializer.deserialize_string(KeyVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_borrowed_str<E>(self, value: &'de str) -> Result<Node<'de>, E> {
        Ok(Node::Text(Cow::Borrowed(value)))
    }
    fn visit_str<E>(self, value: &str) -> Result<Node<'de>, E> {
        Ok(Node::Text(Cow::Owned(value.to_owned())))
    }
    fn visit_string<E>(self, value: String) -> Result<Node<'de>, E> {
        Ok(Node::Text(Cow::Owned(value)))
    }
    fn visit_bool<E>(self, _: bool) -> Result<Node<'de>, E> {
        Ok(Node::Plain)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Node<'de>, E> {
        Ok(Node::Plain)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Node<'de>, E> {
        Ok(Node::Plain)
    }
    fn visit_i128<E>(self, _: i128) -> Result<Node<'de>, E> {
        Ok(Node::Plain)
    }
    fn visit_u128<E>(self, _: u128) -> Result<Node<'de>, E> {
        Ok(Node::Plain)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Node<'de>, E> {
        Ok(Node::Plain)
    }
    fn visit_bytes<E>(self, value: &[u8]) -> Result<Node<'de>, E> {
        Ok(Node::Text(Cow::Owned(
            String::from_utf8_lossy(value).into_owned(),
        )))
    }
    fn visit_unit<E>(self) -> Result<Node<'de>, E> {
        Ok(Node::Null)
    }
    fn visit_none<E>(self) -> Result<Node<'de>, E> {
        Ok(Node::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Node<'de>, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node<'de>, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node<'de>, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Spanned<KeyText<'de>>>()? {
            let value = map.next_value()?;
            entries.push((
                Spanned {
                    value: key.value.0,
                    referenced: key.referenced,
                },
                value,
            ));
        }
        Ok(Node::Map(entries))
    }
}

impl<'de> Deserialize<'de> for Node<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

/// The most nodes (scalars, keys, lists and mappings, aliases expanded) a file of `len`
/// bytes may hold: a real catalog has far fewer nodes than bytes; aliases cannot multiply
/// past this.
pub(crate) fn max_nodes(len: usize) -> usize {
    (len / 4).clamp(250_000, 8_000_000)
}

/// A parsed YAML file with its source, for recovering scalar text and reporting problems.
pub(crate) struct Document<'a> {
    pub(crate) path: &'a Path,
    pub(crate) source: &'a str,
    pub(crate) diagnostics: Vec<Diagnostic>,
}

impl<'a> Document<'a> {
    pub(crate) fn new(path: &'a Path, source: &'a str) -> Self {
        Self {
            path,
            source,
            diagnostics: Vec::new(),
        }
    }

    /// Parses the source into a node tree, with limits that stop alias bombs and deep
    /// nesting long before they cost noticeable time or memory.
    pub(crate) fn parse(&mut self) -> Option<Spanned<Node<'a>>> {
        if let Some(root) = super::scan::scan(self.source) {
            return Some(root);
        }
        self.parse_fully()
    }

    /// Parses the source with the full YAML parser (what [`Self::parse`] falls back to).
    pub(crate) fn parse_fully(&mut self) -> Option<Spanned<Node<'a>>> {
        let mut options = serde_saphyr::Options::default();
        options.with_snippet = false;
        let mut budget = serde_saphyr::Budget::default();
        budget.max_nodes = max_nodes(self.source.len());
        budget.max_events = budget.max_nodes * 3;
        budget.max_depth = 32;
        budget.max_total_scalar_bytes = super::syntax::MAX_SCALAR_BYTES;
        options.budget = Some(budget);
        match serde_saphyr::from_str_with_options::<Spanned<Node<'a>>>(self.source, options) {
            Ok(node) => Some(node),
            Err(error) => {
                let explained = super::syntax::explain(&error, self.source);
                self.diagnostics.push(Diagnostic {
                    severity: Severity::Error,
                    file: self.path.to_owned(),
                    line: explained.line,
                    column: explained.column,
                    message: explained.message,
                    hint: Some(explained.hint),
                });
                None
            }
        }
    }

    /// The text of a scalar node, or `None` for null, lists and mappings.
    pub(crate) fn scalar_text(&self, node: &Spanned<Node>) -> Option<String> {
        self.scalar_str(node).map(str::to_owned)
    }

    /// [`Self::scalar_text`] borrowed from the tree or the source.
    pub(crate) fn scalar_str<'n>(&self, node: &'n Spanned<Node<'_>>) -> Option<&'n str>
    where
        'a: 'n,
    {
        match &node.value {
            Node::Text(text) => Some(text),
            Node::Plain => {
                let start = node.referenced.offset as usize;
                let len = node.referenced.len as usize;
                self.source.get(start..start + len)
            }
            Node::Null | Node::Seq(_) | Node::Map(_) => None,
        }
    }

    /// Records a problem at a location.
    pub(crate) fn report(
        &mut self,
        severity: Severity,
        at: &Location,
        message: String,
        hint: Option<String>,
    ) {
        self.diagnostics.push(Diagnostic {
            severity,
            file: self.path.to_owned(),
            line: at.line(),
            column: at.column(),
            message,
            hint,
        });
    }

    /// Records an error at a location.
    pub(crate) fn error(
        &mut self,
        at: &Location,
        message: impl Into<String>,
        hint: Option<String>,
    ) {
        self.report(Severity::Error, at, message.into(), hint);
    }

    /// Opens a mapping's fields for reading; reports anything that is not a mapping.
    pub(crate) fn fields<'n>(
        &mut self,
        node: &'n Spanned<Node<'_>>,
        what: &str,
    ) -> Option<Fields<'n>> {
        match &node.value {
            Node::Map(entries) => Some(Fields {
                entries,
                used: Used::new(entries.len()),
            }),
            other => {
                self.error(
                    &node.referenced,
                    format!(
                        "{what} must be a mapping (`key: value` lines), found {}",
                        other.kind()
                    ),
                    None,
                );
                None
            }
        }
    }

    /// Reads a scalar as text; reports lists and mappings. Null gives `None` silently.
    pub(crate) fn text(&mut self, node: &Spanned<Node>, field: &str) -> Option<String> {
        self.text_str(node, field).map(str::to_owned)
    }

    /// [`Self::text`] borrowed from the tree or the source, for text that is only checked
    /// or parsed.
    pub(crate) fn text_str<'n>(
        &mut self,
        node: &'n Spanned<Node<'_>>,
        field: &str,
    ) -> Option<&'n str>
    where
        'a: 'n,
    {
        match &node.value {
            Node::Text(_) | Node::Plain => self.scalar_str(node),
            Node::Null => None,
            other => {
                self.error(
                    &node.referenced,
                    format!("`{field}` must be text, found {}", other.kind()),
                    None,
                );
                None
            }
        }
    }

    /// Reads a list of scalars (a single scalar counts as a list of one), each with its node.
    pub(crate) fn text_list<'n>(
        &mut self,
        node: &'n Spanned<Node<'_>>,
        field: &str,
    ) -> Vec<(String, &'n Spanned<Node<'n>>)> {
        match &node.value {
            Node::Seq(items) => items
                .iter()
                .filter_map(|item| self.text(item, field).map(|text| (text, item)))
                .collect(),
            Node::Null => Vec::new(),
            Node::Text(_) | Node::Plain => self
                .scalar_text(node)
                .map(|text| vec![(text, node)])
                .unwrap_or_default(),
            Node::Map(_) => {
                self.error(
                    &node.referenced,
                    format!("`{field}` must be a list, found a mapping"),
                    Some(format!("write `{field}: [a, b]`")),
                );
                Vec::new()
            }
        }
    }
}

/// The entries of a mapping, tracking which keys were read so the rest can be reported.
pub(crate) struct Fields<'n> {
    entries: &'n [(Key<'n>, Spanned<Node<'n>>)],
    used: Used,
}

/// Which entries of a mapping were read: bits for the usual few, a vector past 64.
enum Used {
    Few(u64),
    Many(Vec<bool>),
}

impl Used {
    fn new(len: usize) -> Self {
        if len <= 64 {
            Used::Few(0)
        } else {
            Used::Many(vec![false; len])
        }
    }

    fn set(&mut self, index: usize) {
        match self {
            Used::Few(bits) => *bits |= 1 << index,
            Used::Many(used) => used[index] = true,
        }
    }

    fn get(&self, index: usize) -> bool {
        match self {
            Used::Few(bits) => bits & (1 << index) != 0,
            Used::Many(used) => used[index],
        }
    }
}

impl<'n> Fields<'n> {
    /// The value of `key`, if present and not null.
    pub(crate) fn get(&mut self, key: &str) -> Option<&'n Spanned<Node<'n>>> {
        let index = self.entries.iter().position(|(k, _)| k.value == key)?;
        self.used.set(index);
        let value = &self.entries[index].1;
        (!matches!(value.value, Node::Null)).then_some(value)
    }

    /// The entries in document order.
    pub(crate) fn entries(&self) -> &'n [(Key<'n>, Spanned<Node<'n>>)] {
        self.entries
    }

    /// Reports every key that was not read, with the nearest known key as a hint.
    pub(crate) fn finish(self, document: &mut Document<'_>, what: &str, known: &[&str]) {
        for (index, (key, _)) in self.entries.iter().enumerate() {
            if self.used.get(index) {
                continue;
            }
            let hint = match nearest(&key.value, known.iter().copied()) {
                Some(suggestion) => format!(
                    "did you mean `{suggestion}`? fields of {what}: {}",
                    known.join(", ")
                ),
                None => format!("fields of {what}: {}", known.join(", ")),
            };
            document.error(
                &key.referenced,
                format!("unknown field `{}` in {what}", key.value),
                Some(hint),
            );
        }
    }
}

/// The candidate closest to `word`, if it is close enough to be a likely typo.
pub(crate) fn nearest<'c>(
    word: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    suggestions(word, candidates).into_iter().next()
}

/// The candidates closest to `word` (all those at the least distance, in the order given,
/// without repeats), if close enough to be likely typos: at most two edits (a third of a
/// long name), case aside, and fewer edits than the candidate has characters, so that a
/// two-letter word is never "near" every other two-letter name.
pub(crate) fn suggestions<'c>(
    word: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Vec<&'c str> {
    let word = word.to_lowercase();
    let mut least = usize::MAX;
    let mut best = Vec::new();
    for candidate in candidates {
        let length = candidate.chars().count();
        let distance = strsim::damerau_levenshtein(&word, &candidate.to_lowercase());
        if distance > 2.max(length / 3) || distance >= length || distance > least {
            continue;
        }
        if distance < least {
            least = distance;
            best.clear();
        }
        if !best.contains(&candidate) {
            best.push(candidate);
        }
    }
    best
}

/// The [`suggestions`] for `word` among the names of things, each name paired with what
/// it names (a team's id for its name or an alias): what the nearest names name, without
/// repeats.
pub(crate) fn suggestions_named<'c>(word: &str, names: &[(&'c str, &'c str)]) -> Vec<&'c str> {
    let mut found: Vec<&str> = Vec::new();
    for name in suggestions(word, names.iter().map(|(name, _)| *name)) {
        for (_, what) in names.iter().filter(|(n, _)| *n == name) {
            if !found.contains(what) {
                found.push(what);
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::{nearest, suggestions, suggestions_named};

    #[test]
    fn suggestions_are_the_closest_likely_typos() {
        let languages = ["en", "da", "fr", "ja"];
        // `jp` → `ja`: one substitution; `en`, `da`, `fr` are two away, and two edits of a
        // two-letter name are the whole name.
        assert_eq!(suggestions("jp", languages), ["ja"]);
        assert_eq!(suggestions("xx", languages), Vec::<&str>::new());
        assert_eq!(suggestions("FR", languages), ["fr"]);
        // Ties are all named, in the order given: `ic` is one edit from `ir` and from `it`.
        assert_eq!(suggestions("ic", ["ir", "soc", "it", "ir"]), ["ir", "it"]);
        // Names stand for what they name: `csrit` is one edit from the alias CSIRT of `ir`.
        let names = [
            ("ir", "ir"),
            ("CSIRT", "ir"),
            ("Incident Response", "ir"),
            ("it", "it"),
        ];
        assert_eq!(suggestions_named("csrit", &names), ["ir"]);
        assert_eq!(suggestions_named("iq", &names), ["ir", "it"]);
        // A transposition is one edit; a ten-letter name allows three edits, not four.
        assert_eq!(
            nearest("moniotring", ["monitoring", "csirt"]),
            Some("monitoring")
        );
        assert_eq!(nearest("mxnxtxring", ["monitoring"]), Some("monitoring"));
        assert_eq!(nearest("mxnxtxrxng", ["monitoring"]), None);
        assert_eq!(
            nearest(
                "update-escalation-ticket",
                ["update-escalation-tickets", "soc"]
            ),
            Some("update-escalation-tickets")
        );
    }
}
