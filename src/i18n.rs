//! Interface words (headings, column names, weekday and month names, date formats, e-mail
//! subjects) in several languages.
//!
//! Each language is one YAML file in `locales/`, built into the binary and registered in
//! [`LANGUAGES`]. A key missing from a language falls back to English, never to an empty
//! string. Catalog text (titles, descriptions, team names) comes from the catalog's own
//! `translations`, not from here.

use std::borrow::Cow;
use std::collections::HashMap;

use jiff::civil::{Date, Weekday};

/// The built-in languages: code and file. Adding a language is adding its file to
/// `locales/` and one line here.
pub const LANGUAGES: &[(&str, &str)] = &[
    ("en", include_str!("../locales/en.yaml")),
    ("da", include_str!("../locales/da.yaml")),
    ("fr", include_str!("../locales/fr.yaml")),
    ("ja", include_str!("../locales/ja.yaml")),
];

/// What people may type for each built-in language besides its code, so that `--lang
/// japanese` can be told "did you mean `ja`?".
const NAMES: &[(&str, &[&str])] = &[
    ("en", &["english"]),
    ("da", &["danish", "dansk"]),
    ("fr", &["french", "français", "francais"]),
    ("ja", &["japanese", "日本語", "nihongo"]),
];

/// Whether `code` is shaped like a language tag: a lowercase ISO 639 code of two or three
/// letters, then any `-` subtags of one to eight letters or digits (`da`, `fr-ca`).
pub fn is_language_tag(code: &str) -> bool {
    let mut parts = code.split('-');
    let primary = parts.next().unwrap_or_default();
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// The language code a language or locale name stands for: `ja` for `ja`, `JA`, `ja-JP` as
/// `ja-jp`, `ja_JP`, `ja_JP.UTF-8` or `ja_JP@euro`; `en` for `C` and `POSIX` (and
/// `C.UTF-8`); `None` for anything not shaped like one.
pub fn language_code(name: &str) -> Option<String> {
    let base = name.trim().split(['.', '@']).next().unwrap_or_default();
    if base.eq_ignore_ascii_case("c") || base.eq_ignore_ascii_case("posix") {
        return Some("en".to_owned());
    }
    let code = base.replace('_', "-").to_ascii_lowercase();
    is_language_tag(&code).then_some(code)
}

/// Whether socctl has interface words for the language of `code` (its primary subtag).
pub fn is_built_in(code: &str) -> bool {
    let primary = code.split('-').next().unwrap_or_default();
    LANGUAGES.iter().any(|(known, _)| *known == primary)
}

/// The codes of the built-in languages, in [`LANGUAGES`] order.
pub fn built_in_codes() -> Vec<&'static str> {
    LANGUAGES.iter().map(|(code, _)| *code).collect()
}

/// The language codes nearest to what was typed (`given`: a code, a locale or a name such
/// as `japanese`), among the built-in languages and `others` (codes known elsewhere).
pub fn nearest_languages<'a>(given: &str, others: &[&'a str]) -> Vec<&'a str> {
    let typed = language_code(given).unwrap_or_else(|| given.trim().to_lowercase());
    let primary = typed.split('-').next().unwrap_or_default().to_owned();
    let mut forms: Vec<(&str, &str)> = Vec::new();
    for (code, names) in NAMES {
        forms.push((code, code));
        forms.extend(names.iter().map(|name| (*name, *code)));
    }
    forms.extend(others.iter().map(|code| (*code, *code)));
    // The whole of `jp_JP.UTF-8` first, then its language part alone.
    let near = crate::catalog::suggestions_named(&typed, &forms);
    if near.is_empty() {
        crate::catalog::suggestions_named(&primary, &forms)
    } else {
        near
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(untagged)]
enum Value {
    Text(Cow<'static, str>),
    List(Vec<Cow<'static, str>>),
}

/// A language's messages by key. The quick reading borrows its keys and values from the
/// file built into the binary: no copy of each, and a hash map, make the first message of a
/// run (which reads the whole file) cost half as much.
type Messages = HashMap<Cow<'static, str>, Value>;

fn messages(code: &str) -> Option<Messages> {
    let (_, source) = LANGUAGES.iter().find(|(c, _)| *c == code)?;
    // The files are part of the binary and checked by tests; a broken one falls back to English.
    flat_messages(source).or_else(|| serde_saphyr::from_str(source).ok())
}

/// Reads a message file written in the plain subset of YAML the shipped files use (one
/// `key: value` per line; values plain, double-quoted without escapes, or `[a, b]` lists),
/// or `None` for anything else, which the full YAML parser then reads. Every command
/// reads two message files, and this takes a hundredth of the full parser's time; a test
/// checks that both readings of every shipped file agree.
fn flat_messages(source: &'static str) -> Option<Messages> {
    // A plain scalar; `in_list` when it is an item of a `[a, b]` list, where commas split.
    let plain = |text: &'static str, in_list: bool| {
        let special = text.is_empty()
            || text.starts_with([
                '"', '\'', '[', '{', '&', '*', '!', '|', '>', '%', '@', '`', '-', '?',
            ])
            || text.contains(": ")
            || text.contains(" #")
            || text.contains(['"', '\\', '[', ']', '{', '}'])
            || (in_list && text.contains(','))
            || text.ends_with(':')
            || (text.starts_with(|c: char| c.is_ascii_digit() || "+-.".contains(c))
                && text.parse::<f64>().is_ok())
            || (text.len() <= 5
                && [
                    "y", "n", "yes", "no", "on", "off", "true", "false", "null", "~",
                ]
                .iter()
                .any(|word| text.eq_ignore_ascii_case(word)));
        (!special).then_some(Cow::Borrowed(text))
    };
    let mut messages = Messages::with_capacity(source.len() / 32);
    for line in source.lines() {
        let line = line.trim_end();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        // The first `: ` (as `split_once`, without its searcher's set-up on every line).
        let colon = line.as_bytes().windows(2).position(|pair| pair == b": ")?;
        let (key, value) = (&line[..colon], &line[colon + 2..]);
        if key.is_empty() || !key.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
            return None;
        }
        let value = if let Some(list) = value.strip_prefix('[') {
            let items = list.strip_suffix(']')?;
            Value::List(
                items
                    .split(", ")
                    .map(|item| plain(item, true))
                    .collect::<Option<_>>()?,
            )
        } else if let Some(quoted) = value.strip_prefix('"') {
            let text = quoted.strip_suffix('"')?;
            if text.contains(['"', '\\']) {
                return None;
            }
            Value::Text(Cow::Borrowed(text))
        } else {
            Value::Text(plain(value, false)?)
        };
        if messages.insert(Cow::Borrowed(key), value).is_some() {
            return None;
        }
    }
    Some(messages)
}

/// The messages of the built-in language at `index` in [`LANGUAGES`], read from its file
/// the first time a message of it is asked for (a run that writes JSON or CSV never reads
/// one) and kept for the rest of the process.
fn parsed(index: usize) -> &'static Messages {
    static PARSED: [std::sync::OnceLock<Messages>; LANGUAGES.len()] =
        [const { std::sync::OnceLock::new() }; LANGUAGES.len()];
    PARSED[index].get_or_init(|| messages(LANGUAGES[index].0).unwrap_or_default())
}

/// Where `code` is in [`LANGUAGES`].
fn language_index(code: &str) -> Option<usize> {
    LANGUAGES.iter().position(|(c, _)| *c == code)
}

/// The interface words of one language, with English behind every missing key.
#[derive(Debug, Clone)]
pub struct Locale {
    code: String,
    /// The language's own messages (none for English, or a language without a file).
    own: Option<usize>,
    /// English, behind every missing key.
    english: usize,
}

impl Locale {
    /// The locale for a language code (`da`, `fr-CA`, `ja_JP`); languages without a
    /// message file use English words but keep their code for catalog translations.
    pub fn new(code: &str) -> Self {
        let code = code.trim().to_lowercase().replace('_', "-");
        let primary = code.split('-').next().unwrap_or_default();
        // English has nothing of its own beyond English.
        let own = if primary == "en" {
            None
        } else {
            language_index(&code).or_else(|| language_index(primary))
        };
        let english = language_index("en").unwrap_or_default();
        Self { code, own, english }
    }

    /// English.
    pub fn english() -> Self {
        Self::new("en")
    }

    /// The language code, as used to pick catalog translations.
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The primary language subtag (`fr` for `fr-ca`).
    pub fn language(&self) -> &str {
        self.code.split('-').next().unwrap_or(&self.code)
    }

    fn value(&self, key: &str) -> Option<&Value> {
        self.own
            .and_then(|own| parsed(own).get(key))
            .or_else(|| parsed(self.english).get(key))
    }

    /// A message by key; the key itself if no language has it.
    pub fn text<'a>(&'a self, key: &'a str) -> &'a str {
        match self.value(key) {
            Some(Value::Text(text)) => text,
            _ => key,
        }
    }

    fn list_item(&self, key: &str, index: usize) -> String {
        let pick = |messages: &Messages| match messages.get(key) {
            Some(Value::List(items)) => items.get(index).map(ToString::to_string),
            _ => None,
        };
        self.own
            .and_then(|own| pick(parsed(own)))
            .or_else(|| pick(parsed(self.english)))
            .unwrap_or_default()
    }

    /// A message with `{name}` placeholders filled in.
    pub fn format(&self, key: &str, arguments: &[(&str, &str)]) -> String {
        fill(self.text(key), arguments)
    }

    /// The weekday's full name.
    pub fn weekday(&self, day: Weekday) -> String {
        self.list_item("weekdays", day.to_monday_zero_offset() as usize)
    }

    /// The weekday's short name.
    pub fn weekday_short(&self, day: Weekday) -> String {
        self.list_item("weekdays_short", day.to_monday_zero_offset() as usize)
    }

    fn date_with(&self, key: &str, date: Date) -> String {
        let month = (date.month() - 1) as usize;
        fill(
            self.text(key),
            &[
                ("weekday", &self.weekday(date.weekday())),
                ("weekday_short", &self.weekday_short(date.weekday())),
                ("day", &date.day().to_string()),
                ("month", &self.list_item("months", month)),
                ("month_short", &self.list_item("months_short", month)),
                ("month_number", &date.month().to_string()),
                ("year", &format!("{:04}", date.year())),
            ],
        )
    }

    /// When a deadline falls: "the end of 2026-11-16" for midnight (the end of the day
    /// before), else "2026-11-17 13:00" (seconds when there are some).
    pub fn deadline(&self, moment: jiff::civil::DateTime) -> String {
        let time = moment.time();
        if time == jiff::civil::Time::midnight()
            && let Ok(day) = moment.date().yesterday()
        {
            return self.format("deadline_end_of", &[("date", &day.to_string())]);
        }
        let format = if time.second() == 0 {
            "%Y-%m-%d %H:%M"
        } else {
            "%Y-%m-%d %H:%M:%S"
        };
        self.format(
            "deadline_at",
            &[("moment", &moment.strftime(format).to_string())],
        )
    }

    /// A date for headings: "Monday 23 November 2026", "mandag den 23. november 2026".
    pub fn long_date(&self, date: Date) -> String {
        self.date_with("date_long", date)
    }

    /// A compact date for table cells: "Mon 23 Nov".
    pub fn short_date(&self, date: Date) -> String {
        self.date_with("date_short", date)
    }

    /// A compact date with its year, for e-mail subjects: "Mon 23 Nov 2026".
    pub fn medium_date(&self, date: Date) -> String {
        self.date_with("date_medium", date)
    }

    /// A range of days in [`Locale::medium_date`] form: "Mon 23 Nov 2026 – Sun 29 Nov 2026".
    pub fn date_range(&self, from: Date, to: Date) -> String {
        self.format(
            "date_range",
            &[
                ("from", &self.medium_date(from)),
                ("to", &self.medium_date(to)),
            ],
        )
    }
}

/// Replaces each `{name}` in `template` by its argument; unknown placeholders stay as written.
fn fill(template: &str, arguments: &[(&str, &str)]) -> String {
    let mut filled = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        filled.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match arguments.iter().find(|(key, _)| *key == name) {
                    Some((_, value)) => filled.push_str(value),
                    None => filled.push_str(&rest[open..=open + close + 1]),
                }
                rest = &after[close + 1..];
            }
            None => {
                filled.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    filled.push_str(rest);
    filled
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn the_quick_reading_of_every_message_file_is_the_yaml_reading() {
        for (code, source) in LANGUAGES {
            let yaml: Messages = serde_saphyr::from_str(source).expect("valid YAML");
            assert_eq!(flat_messages(source).as_ref(), Some(&yaml), "{code}.yaml");
        }
        // What the quick reader does not know, it leaves to the YAML parser.
        for source in [
            "key: 'single'",
            "key: \"esc\\\"aped\"",
            "key: yes",
            "key: 12",
            "key: a: b",
            "key: [a, \"b\"]",
            "key:\n  - a",
            "Key: a",
            "key: one # comment",
            "key: a\nkey: b",
        ] {
            assert_eq!(flat_messages(source), None, "{source}");
        }
    }

    #[test]
    fn every_language_file_parses_and_has_only_english_keys() {
        let english = messages("en").expect("en.yaml parses");
        for (code, _) in LANGUAGES {
            let own = messages(code).unwrap_or_else(|| panic!("{code}.yaml does not parse"));
            for (key, value) in &own {
                let Some(reference) = english.get(key) else {
                    panic!("{code}.yaml has `{key}`, which en.yaml does not");
                };
                match (value, reference) {
                    (Value::List(items), Value::List(expected)) => {
                        assert_eq!(items.len(), expected.len(), "{code}.yaml `{key}`");
                    }
                    (Value::Text(text), Value::Text(expected)) => {
                        // A translation keeps every placeholder of the English message.
                        for placeholder in expected
                            .split('{')
                            .skip(1)
                            .filter_map(|p| p.split_once('}'))
                        {
                            let placeholder = format!("{{{}}}", placeholder.0);
                            if !matches!(key.as_ref(), "date_long" | "date_short" | "date_medium") {
                                assert!(
                                    text.contains(&placeholder),
                                    "{code}.yaml `{key}` lacks {placeholder}"
                                );
                            }
                        }
                    }
                    _ => panic!("{code}.yaml `{key}` has the wrong shape"),
                }
            }
        }
    }

    #[test]
    fn dates_in_each_language() {
        // 2026-11-23 is a Monday.
        let day = date(2026, 11, 23);
        assert_eq!(Locale::new("en").long_date(day), "Monday 23 November 2026");
        assert_eq!(
            Locale::new("da").long_date(day),
            "mandag den 23. november 2026"
        );
        assert_eq!(Locale::new("fr").long_date(day), "lundi 23 novembre 2026");
        assert_eq!(Locale::new("ja").long_date(day), "2026年11月23日(月)");
        assert_eq!(Locale::new("en").short_date(day), "Mon 23 Nov");
        assert_eq!(Locale::new("en").medium_date(day), "Mon 23 Nov 2026");
        assert_eq!(Locale::new("da").medium_date(day), "man 23. nov 2026");
        assert_eq!(Locale::new("ja").medium_date(day), "2026年11月23日(月)");
        assert_eq!(
            Locale::new("ja").date_range(day, date(2026, 11, 29)),
            "2026年11月23日(月)～2026年11月29日(日)"
        );
    }

    #[test]
    fn unknown_languages_and_keys_fall_back_to_english() {
        let german = Locale::new("de_DE");
        assert_eq!(german.code(), "de-de");
        assert_eq!(german.language(), "de");
        assert_eq!(german.text("nothing_due"), "Nothing due.");
        assert_eq!(Locale::new("fr-CA").text("nothing_due"), "Rien à faire.");
        assert_eq!(Locale::new("en").text("no_such_key"), "no_such_key");
    }

    #[test]
    fn locale_forms_name_their_language() {
        for (name, code) in [
            ("ja", Some("ja")),
            ("JA", Some("ja")),
            ("ja-JP", Some("ja-jp")),
            ("ja_JP", Some("ja-jp")),
            ("da_DK.UTF-8", Some("da-dk")),
            ("fr-CA", Some("fr-ca")),
            ("en-GB", Some("en-gb")),
            ("de_DE@euro", Some("de-de")),
            ("C", Some("en")),
            ("C.UTF-8", Some("en")),
            ("POSIX", Some("en")),
            (" fr ", Some("fr")),
            ("", None),
            ("j", None),
            ("japanese", None),
            ("日本語", None),
            ("ja_JP_", None),
        ] {
            assert_eq!(language_code(name).as_deref(), code, "{name:?}");
        }
        assert!(is_built_in("ja-jp") && is_built_in("en-gb") && is_built_in("da"));
        assert!(!is_built_in("jp") && !is_built_in("de-de") && !is_built_in("xx"));
    }

    #[test]
    fn the_nearest_languages_of_what_was_typed() {
        // `jp` is one letter from `ja` and two from every other code.
        assert_eq!(nearest_languages("jp", &[]), ["ja"]);
        assert_eq!(nearest_languages("jp_JP.UTF-8", &[]), ["ja"]);
        assert_eq!(nearest_languages("xx", &[]), Vec::<&str>::new());
        // A language's name, in English or in itself, suggests its code.
        assert_eq!(nearest_languages("japanese", &[]), ["ja"]);
        assert_eq!(nearest_languages("Francais", &[]), ["fr"]);
        assert_eq!(nearest_languages("dansk", &[]), ["da"]);
        // Codes the catalog has text in count too: `dee` is one letter from `de`.
        assert_eq!(nearest_languages("dee", &["de"]), ["de"]);
    }

    #[test]
    fn placeholders_are_filled_once_and_unknown_ones_kept() {
        assert_eq!(
            fill("{a} and {b} and {c}", &[("a", "1"), ("b", "{a}")]),
            "1 and {a} and {c}"
        );
        assert_eq!(fill("open { brace", &[]), "open { brace");
    }
}
