//! The field checks both catalog documents share: the version, ids, text, dates, time zones
//! and translations. Each reports its problem in the document and reads on.

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};

use super::yaml::{Location, Spanned};
use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::model::FORMAT_VERSION;
use super::yaml::{Document, Node, nearest};

/// Reports a missing `version`, or one this socctl does not read.
pub(super) fn check_version(
    doc: &mut Document<'_>,
    version: Option<&Spanned<Node>>,
    at: &Location,
) {
    let Some(node) = version else {
        doc.error(
            at,
            "missing `version`",
            Some(format!(
                "add `version: {FORMAT_VERSION}` at the top of the file"
            )),
        );
        return;
    };
    let text = doc.text_str(node, "version").unwrap_or_default();
    if text.trim() != FORMAT_VERSION.to_string() {
        doc.error(
            &node.referenced,
            format!("unsupported catalog version `{text}`"),
            Some(format!(
                "this socctl reads version {FORMAT_VERSION}; a newer file needs a newer socctl"
            )),
        );
    }
}

/// Lowercase letters and digits in parts joined by single hyphens.
fn is_identifier(id: &str) -> bool {
    let mut previous = b'-';
    for &b in id.as_bytes() {
        let allowed =
            b.is_ascii_lowercase() || b.is_ascii_digit() || (b == b'-' && previous != b'-');
        if !allowed {
            return false;
        }
        previous = b;
    }
    // Not empty, and not ending in a hyphen (nor starting with one: `previous` began as one).
    previous != b'-'
}

/// Whether `id` is a kebab-case id not yet in `seen`; reports it otherwise, and records it.
pub(super) fn check_identifier(
    doc: &mut Document<'_>,
    id: &str,
    node: &Spanned<Node>,
    seen: &mut HashMap<String, u64>,
    what: &str,
) -> bool {
    if !is_identifier(id) {
        let suggestion: String = id
            .to_lowercase()
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join("-");
        doc.error(
            &node.referenced,
            format!("{what} id `{id}` is not kebab-case"),
            Some(format!(
                "ids are lowercase letters, digits and single hyphens, e.g. `{suggestion}`"
            )),
        );
        return false;
    }
    match seen.entry(id.to_owned()) {
        Entry::Occupied(first) => {
            doc.error(
                &node.referenced,
                format!("duplicate {what} id `{id}`"),
                Some(format!(
                    "first defined on line {}; ids must be unique",
                    first.get()
                )),
            );
            false
        }
        Entry::Vacant(place) => {
            place.insert(node.referenced.line());
            true
        }
    }
}

/// The non-empty text of `key` and where it is; reports it missing or empty.
pub(super) fn required_text(
    doc: &mut Document<'_>,
    fields: &mut super::yaml::Fields<'_>,
    key: &str,
    at: &Location,
    what: &str,
) -> Option<(String, Location)> {
    match fields.get(key) {
        Some(node) => {
            let text = doc.text(node, key)?;
            if text.trim().is_empty() {
                doc.error(
                    &node.referenced,
                    format!("`{key}` of {what} is empty"),
                    None,
                );
                return None;
            }
            Some((text, node.referenced))
        }
        None => {
            doc.error(at, format!("{what} has no `{key}`"), None);
            None
        }
    }
}

/// The text of `key`, when present.
pub(super) fn optional_text(
    doc: &mut Document<'_>,
    fields: &mut super::yaml::Fields<'_>,
    key: &str,
) -> Option<String> {
    fields.get(key).and_then(|node| doc.text(node, key))
}

/// `key` as `true` or `false` (`false` when absent); anything else is reported, with
/// `hint`, and read as `false`.
pub(super) fn flag(
    doc: &mut Document<'_>,
    fields: &mut super::yaml::Fields<'_>,
    key: &str,
    label: &str,
    hint: &str,
) -> bool {
    let Some(node) = fields.get(key) else {
        return false;
    };
    match doc.text_str(node, key).map(str::trim) {
        Some("true") => true,
        Some("false") => false,
        other => {
            doc.error(
                &node.referenced,
                format!(
                    "`{key}` of {label} must be `true` or `false`, not `{}`",
                    other.unwrap_or_default()
                ),
                Some(hint.to_owned()),
            );
            false
        }
    }
}

/// The texts of `key`, a string or a list of strings (none when absent).
pub(super) fn text_list(
    doc: &mut Document<'_>,
    fields: &mut super::yaml::Fields<'_>,
    key: &str,
) -> Vec<String> {
    fields
        .get(key)
        .map(|node| {
            doc.text_list(node, key)
                .into_iter()
                .map(|(text, _)| text)
                .collect()
        })
        .unwrap_or_default()
}

/// The IANA time zone `name`; reports an unknown one with the nearest known name.
pub(super) fn parse_time_zone(
    doc: &mut Document<'_>,
    node: &Spanned<Node>,
    name: &str,
) -> Option<TimeZone> {
    match crate::calendar::time_zone(name) {
        Some(zone) => Some(zone),
        None => {
            let names: Vec<String> = crate::calendar::time_zone_database()
                .available()
                .map(|n| n.as_str().to_owned())
                .collect();
            let hint = match nearest(name, names.iter().map(String::as_str)) {
                Some(suggestion) => format!(
                    "did you mean `{suggestion}`? use an IANA name such as `Europe/Copenhagen`"
                ),
                None => "use an IANA name such as `Europe/Copenhagen`, `America/New_York` or `UTC`"
                    .to_owned(),
            };
            doc.error(
                &node.referenced,
                format!("unknown time zone `{name}`"),
                Some(hint),
            );
            None
        }
    }
}

/// A YYYY-MM-DD date; reports anything else.
pub(super) fn parse_date(
    doc: &mut Document<'_>,
    node: &Spanned<Node>,
    field: &str,
) -> Option<Date> {
    let text = doc.text_str(node, field)?;
    match crate::calendar::parse_date(text.trim()) {
        Some(date) => Some(date),
        None => {
            doc.error(
                &node.referenced,
                format!("`{text}` in `{field}` is not a valid date"),
                Some("write dates as YYYY-MM-DD, e.g. 2026-12-24".to_owned()),
            );
            None
        }
    }
}

/// Reads a `translations:` mapping: language code → mapping of `allowed` text fields.
pub(super) fn read_translations(
    doc: &mut Document<'_>,
    node: &Spanned<Node>,
    what: &str,
    allowed: &[&str],
) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut result = BTreeMap::new();
    let Some(languages) = doc.fields(node, "`translations`") else {
        return result;
    };
    for (language, texts) in languages.entries() {
        if !crate::i18n::is_language_tag(&language.value) {
            doc.error(
                &language.referenced,
                format!("`{}` is not a language code", language.value),
                Some("use a lowercase ISO 639 code such as `da`, `fr` or `ja`".to_owned()),
            );
            continue;
        }
        let Some(mut fields) = doc.fields(
            texts,
            &format!("the `{}` translation of {what}", language.value),
        ) else {
            continue;
        };
        let mut map = BTreeMap::new();
        for key in allowed {
            if let Some(text) = optional_text(doc, &mut fields, key) {
                map.insert((*key).to_owned(), text);
            }
        }
        fields.finish(doc, &format!("a `{}` translation", language.value), allowed);
        result.insert(language.value.to_string(), map);
    }
    result
}

/// The hint for an unknown team or group name: the nearest known one, and the list.
pub(super) fn unknown_name_hint<'a>(
    name: &str,
    known: impl Iterator<Item = &'a str> + Clone,
) -> String {
    let list = known.clone().collect::<Vec<_>>().join(", ");
    match nearest(name, known) {
        Some(suggestion) => format!("did you mean `{suggestion}`? known: {list}"),
        None => format!("known: {list}"),
    }
}

#[cfg(test)]
mod tests {
    use super::is_identifier;

    /// The byte-wise check accepts exactly what "non-empty parts of lowercase letters and
    /// digits, joined by single hyphens" does, over every string of up to five characters
    /// from letters, digits, hyphens and near misses.
    #[test]
    fn identifiers_are_kebab_case_parts() {
        let by_parts = |id: &str| {
            id.split('-').all(|part| {
                !part.is_empty()
                    && part
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
            })
        };
        let alphabet = ['a', 'z', '0', '9', '-', 'A', '_', 'é', ' '];
        let mut ids = vec![String::new()];
        let mut accepted = 0;
        for _ in 0..5 {
            ids = ids
                .iter()
                .flat_map(|id| alphabet.iter().map(move |c| format!("{id}{c}")))
                .collect();
            for id in &ids {
                assert_eq!(is_identifier(id), by_parts(id), "{id:?}");
                accepted += usize::from(by_parts(id));
            }
        }
        assert!(!is_identifier(""));
        assert!(accepted > 1000, "{accepted}");
    }
}
