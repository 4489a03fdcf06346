//! A YAML document as a tree of nodes that remember where they were written, so that
//! every problem in a catalog can be reported at once, with its line and column.

use std::fmt;
use std::path::Path;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{Location, Spanned};

use super::diagnostic::{Diagnostic, Severity};

/// A node of a YAML document.
#[derive(Debug)]
pub(crate) enum Node {
    /// A string scalar.
    Text(String),
    /// A scalar YAML read as a number or boolean; its text is recovered from the source.
    Plain,
    /// `~`, `null` or nothing.
    Null,
    /// A sequence.
    Seq(Vec<Spanned<Node>>),
    /// A mapping, in document order.
    Map(Vec<(Spanned<String>, Spanned<Node>)>),
}

impl Node {
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

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_str<E>(self, value: &str) -> Result<Node, E> {
        Ok(Node::Text(value.to_owned()))
    }
    fn visit_string<E>(self, value: String) -> Result<Node, E> {
        Ok(Node::Text(value))
    }
    fn visit_bool<E>(self, _: bool) -> Result<Node, E> {
        Ok(Node::Plain)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Node, E> {
        Ok(Node::Plain)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Node, E> {
        Ok(Node::Plain)
    }
    fn visit_i128<E>(self, _: i128) -> Result<Node, E> {
        Ok(Node::Plain)
    }
    fn visit_u128<E>(self, _: u128) -> Result<Node, E> {
        Ok(Node::Plain)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Node, E> {
        Ok(Node::Plain)
    }
    fn visit_bytes<E>(self, value: &[u8]) -> Result<Node, E> {
        Ok(Node::Text(String::from_utf8_lossy(value).into_owned()))
    }
    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_none<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Node, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key()? {
            let value = map.next_value()?;
            entries.push((key, value));
        }
        Ok(Node::Map(entries))
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
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
    pub(crate) fn parse(&mut self) -> Option<Spanned<Node>> {
        let mut options = serde_saphyr::Options::default();
        options.with_snippet = false;
        let mut budget = serde_saphyr::Budget::default();
        // A real catalog has far fewer nodes than bytes; aliases cannot multiply past this.
        budget.max_nodes = (self.source.len() / 4).clamp(250_000, 8_000_000);
        budget.max_events = budget.max_nodes * 3;
        budget.max_depth = 32;
        budget.max_total_scalar_bytes = super::syntax::MAX_SCALAR_BYTES;
        options.budget = Some(budget);
        match serde_saphyr::from_str_with_options::<Spanned<Node>>(self.source, options) {
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
        match &node.value {
            Node::Text(text) => Some(text.clone()),
            Node::Plain => {
                let span = node.referenced.span();
                let start = usize::try_from(span.byte_offset()?).ok()?;
                let len = usize::try_from(span.byte_len()?).ok()?;
                self.source.get(start..start + len).map(str::to_owned)
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
    pub(crate) fn fields<'n>(&mut self, node: &'n Spanned<Node>, what: &str) -> Option<Fields<'n>> {
        match &node.value {
            Node::Map(entries) => Some(Fields {
                entries,
                used: vec![false; entries.len()],
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
        match &node.value {
            Node::Text(_) | Node::Plain => self.scalar_text(node),
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
        node: &'n Spanned<Node>,
        field: &str,
    ) -> Vec<(String, &'n Spanned<Node>)> {
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
    entries: &'n [(Spanned<String>, Spanned<Node>)],
    used: Vec<bool>,
}

impl<'n> Fields<'n> {
    /// The value of `key`, if present and not null.
    pub(crate) fn get(&mut self, key: &str) -> Option<&'n Spanned<Node>> {
        let index = self.entries.iter().position(|(k, _)| k.value == key)?;
        self.used[index] = true;
        let value = &self.entries[index].1;
        (!matches!(value.value, Node::Null)).then_some(value)
    }

    /// The entries in document order.
    pub(crate) fn entries(&self) -> &'n [(Spanned<String>, Spanned<Node>)] {
        self.entries
    }

    /// Reports every key that was not read, with the nearest known key as a hint.
    pub(crate) fn finish(self, document: &mut Document<'_>, what: &str, known: &[&str]) {
        for ((key, _), used) in self.entries.iter().zip(self.used) {
            if used {
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
