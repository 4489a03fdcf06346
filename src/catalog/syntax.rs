//! YAML errors in socctl's words: what is wrong, where it really is, and how to fix it.
//!
//! The parser reports the place it gave up, which is often past the mistake (a tab that
//! starts a line is reported at the end of the line above, an unclosed quote where the next
//! line begins). Each error kind is mapped to a sentence and a hint, and its position is
//! worked out again from the source text: the tab's own column, the quote or bracket that
//! was opened and never closed, the `---` that starts a second document.

use serde_saphyr::budget::BudgetBreach;
use serde_saphyr::granit_parser::ErrorKind;
use serde_saphyr::{Error, ExternalMessageSource};

/// A YAML problem, explained: 1-based line and column (0, 0 for the whole file).
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Explained {
    pub(crate) line: u64,
    pub(crate) column: u64,
    pub(crate) message: String,
    pub(crate) hint: String,
}

/// The most text (in bytes, all values together) a catalog file may hold.
pub(crate) const MAX_SCALAR_BYTES: usize = 64 << 20;

const GENERIC_HINT: &str = "check this line and the one above it: indent with spaces only, write `key: value` with a space after the colon, and close every quote and bracket";

/// Explains `error`, raised while reading `source`.
pub(crate) fn explain(error: &Error, source: &str) -> Explained {
    // Limits hit while replaying an alias come wrapped with the alias's locations.
    let mut error = error;
    while let Error::AliasError { error: inner, .. } | Error::WithSnippet { error: inner, .. } =
        error
    {
        error = inner;
    }
    let reported = error
        .location()
        .map_or((0, 0), |location| (location.line(), location.column()));
    let text = Text::new(source);
    let at = |(line, column): (u64, u64), message: String, hint: &str| Explained {
        line,
        column,
        message,
        hint: hint.to_owned(),
    };
    match error {
        Error::DuplicateMappingKey { key, .. } => {
            let key = key.as_deref().unwrap_or("this key");
            let hint = match text.earlier_key(reported, key) {
                Some(first) => format!(
                    "the first `{key}:` is on line {first}; keep one of the two (YAML keeps no list of repeated keys)"
                ),
                None => format!("keep one `{key}:` in each mapping"),
            };
            at(
                reported,
                format!("`{key}` is given twice in the same mapping"),
                &hint,
            )
        }
        Error::MultipleDocuments { .. }
        | Error::Budget {
            breach: BudgetBreach::Documents { .. },
            ..
        } => at(
            text.second_document().unwrap_or(reported),
            "YAML syntax: a second YAML document starts here; a catalog file is one document"
                .to_owned(),
            "remove the `---` (or `...`) line and what follows it, or merge what follows into the document above",
        ),
        Error::UnknownAnchor { .. } => {
            let name = text.word_at(reported);
            at(
                reported,
                format!("YAML syntax: `{name}` refers to an anchor that is not defined above it"),
                "define the anchor (`&name`) on an earlier value, or put the text in quotes if the `*` is meant literally",
            )
        }
        Error::Budget { breach, .. } => explain_budget(breach, reported),
        Error::NullIntoString { .. } => at(
            reported,
            "YAML syntax: a key without a name (`~`, `null` or nothing before the colon)"
                .to_owned(),
            "write the field's name before the colon, e.g. `title: Review alerts`",
        ),
        Error::Unexpected { .. } | Error::SerdeInvalidType { .. } => at(
            reported,
            "YAML syntax: a key must be a name, not a list or a mapping".to_owned(),
            "write keys as plain names (`title:`); brackets before a colon make a list the key, so put text with brackets in quotes",
        ),
        Error::InvalidScalar { .. } | Error::InvalidBooleanStrict { .. } => at(
            reported,
            "YAML syntax: a tag (`!!int`, `!!bool`, …) says this value is a number or a yes/no, and it is not one".to_owned(),
            "remove the `!!` tag: socctl reads every value as text",
        ),
        Error::AliasReplayCounterOverflow { .. }
        | Error::AliasReplayLimitExceeded { .. }
        | Error::AliasExpansionLimitExceeded { .. }
        | Error::AliasReplayStackDepthExceeded { .. } => at(reported, too_many().0, too_many().1),
        Error::IOError { .. } | Error::InvalidUtf8Input => at(
            (0, 0),
            "is not valid UTF-8 text".to_owned(),
            "save the file as UTF-8",
        ),
        Error::ExternalMessage { source, msg, .. } => match source.as_ref() {
            ExternalMessageSource::Parser(scan) => explain_scan(scan.kind(), msg, reported, &text),
            _ => at(
                reported,
                format!("YAML syntax: {}", first_line(msg)),
                GENERIC_HINT,
            ),
        },
        other => {
            let shown = other.to_string();
            if shown.contains("recursion limit exceeded") {
                at(reported, too_deep().0, too_deep().1)
            } else {
                at(
                    reported,
                    format!("YAML syntax: {}", first_line(&shown)),
                    GENERIC_HINT,
                )
            }
        }
    }
}

fn too_deep() -> (String, &'static str) {
    (
        "YAML syntax: lists and mappings are nested too deeply".to_owned(),
        "a catalog needs a handful of levels (tasks, a task, its translations); look for unclosed brackets",
    )
}

fn too_many() -> (String, &'static str) {
    (
        "YAML syntax: too many values once anchors and aliases are expanded".to_owned(),
        "an alias repeated inside aliases multiplies (a \"billion laughs\" file); write the values out or use fewer levels of aliases",
    )
}

fn explain_budget(breach: &BudgetBreach, reported: (u64, u64)) -> Explained {
    let (message, hint) = match breach {
        BudgetBreach::Depth { .. } => too_deep(),
        BudgetBreach::ScalarBytes { .. } => (
            format!(
                "the text values in this file add up to more than {} MB, far more than a catalog holds",
                MAX_SCALAR_BYTES >> 20
            ),
            "a title, description or note this long is not a catalog entry: shorten it, and check that the file was not overwritten by a log or a data dump",
        ),
        BudgetBreach::InclusionDepth { .. } => (
            "YAML syntax: the file includes other files, which a catalog cannot do".to_owned(),
            "write the values into tasks.yaml or roles.yaml itself",
        ),
        _ => too_many(),
    };
    Explained {
        line: reported.0,
        column: reported.1,
        message,
        hint: hint.to_owned(),
    }
}

fn explain_scan(kind: &ErrorKind, msg: &str, reported: (u64, u64), text: &Text<'_>) -> Explained {
    let explained = syntax_error;
    let tab = || {
        explained(
            text.tab_from(reported).unwrap_or(reported),
            "a tab character; YAML indents with spaces only",
            "replace the tab with spaces (set your editor to insert spaces for the Tab key)",
        )
    };
    let quote = || {
        // Where the parser gives up at the end of the file, what is still open there counts.
        let open_quote = text
            .state_at(reported)
            .open_quote
            .or_else(|| text.state_at((u64::MAX, u64::MAX)).open_quote);
        match open_quote {
            Some((quote, position)) => explained(
                position,
                &format!("the quote `{quote}` that starts here is never closed"),
                &format!(
                    "end the text with a matching `{quote}`; a `{quote}` inside the text is written {}",
                    if quote == '"' { "`\\\"`" } else { "`''`" }
                ),
            ),
            None => explained(
                reported,
                "a quoted value is not closed",
                &format!("end the text with the quote it starts with; {GENERIC_HINT}"),
            ),
        }
    };
    // A bracket opened on an earlier line, still open where the parser gave up.
    let open_bracket = |always: bool| {
        let state = text.state_at(if always {
            (u64::MAX, u64::MAX)
        } else {
            reported
        });
        state
            .open_brackets
            .last()
            .filter(|(_, (line, _), indent)| {
                always || (*line < reported.0 && text.indent_of(reported.0) <= *indent)
            })
            .map(|(bracket, position, _)| {
                let close = if *bracket == '[' { ']' } else { '}' };
                explained(
                    *position,
                    &format!("the bracket `{bracket}` that opens here is never closed"),
                    &format!(
                        "add the `{close}` where the {} ends (a value that contains `,` `[` `]` `{{` `}}` needs quotes)",
                        if *bracket == '[' { "list" } else { "mapping" }
                    ),
                )
            })
    };
    match kind {
        ErrorKind::TabNotAllowed
        | ErrorKind::TabInBlockIndentation
        | ErrorKind::TabInIndentation
        | ErrorKind::TabInPlainScalar
        | ErrorKind::TabAtBlockScalarStart => tab(),
        ErrorKind::UnclosedQuotedScalar
        | ErrorKind::InvalidQuotedScalarIndent
        | ErrorKind::DocumentIndicatorInQuotedScalar => quote(),
        ErrorKind::UnclosedFlowCollection { .. }
        | ErrorKind::UnexpectedEofFlowSequence
        | ErrorKind::UnexpectedEofFlowMapping
        | ErrorKind::UnexpectedEofImplicitFlowMapping => open_bracket(true).unwrap_or_else(|| {
            explained(
                reported,
                "a `[` or `{` is never closed",
                "close every `[` with `]` and every `{` with `}`",
            )
        }),
        ErrorKind::ExpectedFlowMappingSeparator
        | ErrorKind::ExpectedFlowSequenceSeparator
        | ErrorKind::InvalidColonPlacement
        | ErrorKind::InvalidFlowScalarIndent => open_bracket(false).unwrap_or_else(|| {
            explained(
                reported,
                "items in `[ ]` and `{ }` are separated by commas",
                "write `[a, b]` or `{ key: value, other: value }`; a value that contains `,` `:` `[` `]` `{` `}` needs quotes",
            )
        }),
        ErrorKind::MismatchedFlowCollectionEnd { open, close } => explained(
            // The parser points at the bracket that opened; the mistake is the one closing it.
            text.next_char(reported, *close).unwrap_or(reported),
            &format!("`{close}` where the `{open}` opened before it is still open"),
            &format!(
                "close `{open}` with `{}` first; text that contains brackets needs quotes",
                if *open == '[' { ']' } else { '}' }
            ),
        ),
        ErrorKind::MisplacedFlowCollectionEnd => {
            explained(
                reported,
                "a closing bracket that closes nothing opened before it",
                "remove it, or open the list with `[` (a mapping with `{`) before it; text that contains brackets needs quotes",
            )
        }
        ErrorKind::BomInsideDocument => explained(
            text.bom().unwrap_or(reported),
            "an invisible byte-order mark (U+FEFF) in the middle of the file",
            "delete it (it often comes with text pasted from another file); a byte-order mark may only start the file",
        ),
        ErrorKind::SimpleKeyExpected => explained(
            text.content_start(reported.0).unwrap_or(reported),
            "this line is not `key: value`: the colon after the key is missing",
            "write a colon and a space after the key, e.g. `title: Review alerts`",
        ),
        ErrorKind::ExpectedBlockMappingKey
        | ErrorKind::BlockSequenceEntryNotAllowed
        | ErrorKind::BlockEntryInFlowCollection => match text
            .dash_at_start(reported.0)
            .map(|dash| (dash, text.sibling_item(dash)))
        {
            Some((dash, Some((line, column)))) => explained(
                dash,
                &format!(
                    "this list item starts in column {}, the item on line {line} in column {column}",
                    dash.1
                ),
                "start the items of one list in the same column",
            ),
            Some((dash, None)) => explained(
                dash,
                "a `-` list item where the lines above are `key: value` fields",
                "remove the stray `-`, or put the item under a key that holds a list (`tags:` then `  - item`)",
            ),
            None => indentation(text, reported),
        },
        ErrorKind::ExpectedBlockSequenceEntry | ErrorKind::InvalidIndentation => {
            indentation(text, reported)
        }
        ErrorKind::MappingValueNotAllowed => {
            if let Some(dash) = text.dash_without_space_above(reported.0) {
                return explained(
                    dash,
                    "a `-` must be followed by a space to start a list item",
                    "write `- id: …`, with a space after the `-`",
                );
            }
            match text.continued_line(reported.0) {
                // The line is indented under a `key: value`, so YAML reads it as more of that
                // value, and the colon that follows as a second key.
                Some(start) => explained(
                    start,
                    "this line is indented more than the field above it, so YAML reads it as part of that field's value",
                    "line up the fields of one mapping at the same column",
                ),
                None => explained(
                    reported,
                    "a second `: ` on this line (YAML reads the text before it as a key)",
                    "put a value that contains `: ` in quotes, e.g. `title: \"Audit: firewall rules\"`",
                ),
            }
        }
        ErrorKind::ExpectedWhitespace
        | ErrorKind::InvalidBlockEntryWhitespace
        | ErrorKind::InvalidMappingValueWhitespace => explained(
            reported,
            "a `-` or `:` must be followed by a space",
            "write `- item` and `key: value`, with a space after the indicator",
        ),
        ErrorKind::UnknownQuotedScalarEscape
        | ErrorKind::InvalidQuotedScalarHexEscape
        | ErrorKind::InvalidLowSurrogateHexEscape => explained(
            text.bad_escape(reported).unwrap_or(reported),
            "an unknown `\\` escape in double-quoted text",
            "write a backslash as `\\\\`, or put the text in single quotes, where `\\` is an ordinary character",
        ),
        ErrorKind::InvalidTrailingDoubleQuotedScalar
        | ErrorKind::InvalidTrailingSingleQuotedScalar => explained(
            reported,
            "text after the closing quote",
            "put the whole value inside the quotes, e.g. `title: \"A\" B` becomes `title: '\"A\" B'`",
        ),
        ErrorKind::InvalidBlockScalarHeader | ErrorKind::ZeroBlockScalarIndent => explained(
            reported,
            "after `|` or `>` only `+`, `-`, an indentation digit (1-9) or a comment may follow on the line",
            "start the text on the next line, indented under the key",
        ),
        ErrorKind::UnsupportedYamlMajorVersion => explained(
            reported,
            "a `%YAML` line names a YAML version other than 1.x",
            "remove the `%YAML` line: socctl reads YAML 1.2",
        ),
        ErrorKind::CommentNotSeparated | ErrorKind::CommentInterceptedScalar => explained(
            reported,
            "a `#` comment here is not allowed",
            "put a space before `#` and keep comments off the lines that continue a value; text that contains ` #` needs quotes",
        ),
        ErrorKind::RecursionLimitExceeded => {
            let (message, hint) = too_deep();
            Explained {
                line: reported.0,
                column: reported.1,
                message,
                hint: hint.to_owned(),
            }
        }
        _ => explained(reported, &first_line(msg), GENERIC_HINT),
    }
}

/// A syntax error at a position.
fn syntax_error((line, column): (u64, u64), message: &str, hint: &str) -> Explained {
    Explained {
        line,
        column,
        message: format!("YAML syntax: {message}"),
        hint: hint.to_owned(),
    }
}

fn indentation(text: &Text<'_>, reported: (u64, u64)) -> Explained {
    let line = reported.0;
    let position = text.content_start(line).unwrap_or(reported);
    let hint = match text.previous_content_column(line) {
        Some(column) => format!(
            "the line above starts in column {column}; fields of one mapping start in the same column, and a list under a key is indented further"
        ),
        None => "fields of one mapping start in the same column".to_owned(),
    };
    syntax_error(
        position,
        "this line's indentation does not match the lines above",
        &hint,
    )
}

fn first_line(text: &str) -> String {
    let line = text.lines().next().unwrap_or(text);
    // The parser may repeat the position at the end ("… at line 4, column 21").
    match line.rsplit_once(" at line ") {
        Some((head, tail)) if tail.contains(", column ") => head.to_owned(),
        _ => line.to_owned(),
    }
}

/// What the reader of [`Text::state_at`] found open at a position.
#[derive(Debug, Default)]
struct State {
    /// The quote character and where it opened.
    open_quote: Option<(char, (u64, u64))>,
    /// Each open bracket, where it opened, and the indentation of its line.
    open_brackets: Vec<(char, (u64, u64), usize)>,
}

/// The source as lines, for working out positions (1-based lines, columns in characters).
struct Text<'a> {
    lines: Vec<&'a str>,
}

impl<'a> Text<'a> {
    fn new(source: &'a str) -> Self {
        Self {
            lines: source.split('\n').collect(),
        }
    }

    fn line(&self, line: u64) -> Option<&'a str> {
        let index = usize::try_from(line).ok()?.checked_sub(1)?;
        self.lines
            .get(index)
            .map(|l| l.strip_suffix('\r').unwrap_or(l))
    }

    fn number(index: usize) -> u64 {
        index as u64 + 1
    }

    fn indent_of(&self, line: u64) -> usize {
        self.line(line)
            .map_or(0, |l| l.chars().take_while(|c| *c == ' ').count())
    }

    /// The first tab in the leading whitespace of a line from `reported`'s line on, else
    /// the first tab at or after `reported`.
    fn tab_from(&self, reported: (u64, u64)) -> Option<(u64, u64)> {
        let first = usize::try_from(reported.0.max(1) - 1).ok()?;
        for (index, line) in self.lines.iter().enumerate().skip(first) {
            let leading = line
                .chars()
                .take_while(|c| *c == ' ' || *c == '\t')
                .position(|c| c == '\t');
            if let Some(column) = leading {
                return Some((Self::number(index), column as u64 + 1));
            }
        }
        for (index, line) in self.lines.iter().enumerate().skip(first) {
            let skip = if index == first {
                usize::try_from(reported.1.max(1) - 1).ok()?
            } else {
                0
            };
            if let Some(column) = line.chars().skip(skip).position(|c| c == '\t') {
                return Some((Self::number(index), (column + skip) as u64 + 1));
            }
        }
        None
    }

    /// The first `wanted` at or after a position.
    fn next_char(&self, (line, column): (u64, u64), wanted: char) -> Option<(u64, u64)> {
        let first = usize::try_from(line.checked_sub(1)?).ok()?;
        let skip = usize::try_from(column.saturating_sub(1)).ok()?;
        self.lines
            .iter()
            .enumerate()
            .skip(first)
            .find_map(|(index, text)| {
                let skip = if index == first { skip } else { 0 };
                let found = text.chars().skip(skip).position(|c| c == wanted)?;
                Some((Self::number(index), (found + skip) as u64 + 1))
            })
    }

    /// The first `\` from a position on that does not start a YAML escape (the parser points
    /// at the quote that opened the text).
    fn bad_escape(&self, (line, column): (u64, u64)) -> Option<(u64, u64)> {
        let first = usize::try_from(line.checked_sub(1)?).ok()?;
        let skip = usize::try_from(column.saturating_sub(1)).ok()?;
        for (index, text) in self.lines.iter().enumerate().skip(first) {
            let skip = if index == first { skip } else { 0 };
            let chars: Vec<char> = text.chars().skip(skip).collect();
            let mut i = 0;
            while i < chars.len() {
                if chars[i] == '\\' {
                    match chars.get(i + 1) {
                        Some(c) if "0abt\tnvfre \"/\\N_LPxuU\r".contains(*c) => i += 1,
                        None => {}
                        Some(_) => return Some((Self::number(index), (skip + i) as u64 + 1)),
                    }
                }
                i += 1;
            }
        }
        None
    }

    /// Where a byte-order mark appears after the start of the file.
    fn bom(&self) -> Option<(u64, u64)> {
        self.lines.iter().enumerate().find_map(|(index, line)| {
            line.chars()
                .enumerate()
                .find(|&(column, c)| c == '\u{feff}' && (index, column) != (0, 0))
                .map(|(column, _)| (Self::number(index), column as u64 + 1))
        })
    }

    /// The first character of a line that is not a space.
    fn content_start(&self, line: u64) -> Option<(u64, u64)> {
        let text = self.line(line)?;
        let column = text.chars().position(|c| c != ' ' && c != '\t')?;
        Some((line, column as u64 + 1))
    }

    /// A line whose first non-space character is a `-` list indicator.
    fn dash_at_start(&self, line: u64) -> Option<(u64, u64)> {
        let text = self.line(line)?;
        let trimmed = text.trim_start_matches(' ');
        let is_dash = trimmed == "-" || trimmed.starts_with("- ");
        is_dash.then(|| (line, (text.len() - trimmed.len()) as u64 + 1))
    }

    /// An earlier list item with the same first key as the item at `dash`, in another column.
    fn sibling_item(&self, dash: (u64, u64)) -> Option<(u64, u64)> {
        let first_key = |line: u64| -> Option<(String, u64)> {
            let text = self.line(line)?;
            let trimmed = text.trim_start_matches(' ');
            let item = trimmed.strip_prefix("- ")?;
            let (key, _) = item.split_once(':')?;
            Some((
                key.trim().to_owned(),
                (text.len() - trimmed.len()) as u64 + 1,
            ))
        };
        let (key, _) = first_key(dash.0)?;
        (1..dash.0).rev().find_map(|line| {
            first_key(line)
                .filter(|(k, column)| *k == key && *column != dash.1)
                .map(|(_, column)| (line, column))
        })
    }

    /// A `-` glued to the text after it (`-id: a`) on the nearest content line above `line`.
    fn dash_without_space_above(&self, line: u64) -> Option<(u64, u64)> {
        let above = (1..line).rev().find(|l| {
            self.line(*l)
                .is_some_and(|t| !t.trim().is_empty() && !t.trim_start().starts_with('#'))
        })?;
        let text = self.line(above)?;
        let trimmed = text.trim_start_matches(' ');
        let mut chars = trimmed.chars();
        (chars.next() == Some('-') && chars.next().is_some_and(char::is_alphanumeric))
            .then(|| (above, (text.len() - trimmed.len()) as u64 + 1))
    }

    /// Column where the content of the nearest non-blank, non-comment line above starts.
    fn previous_content_column(&self, line: u64) -> Option<u64> {
        (1..line).rev().find_map(|l| {
            let text = self.line(l)?;
            let trimmed = text.trim_start_matches(' ');
            (!trimmed.is_empty() && !trimmed.starts_with('#'))
                .then(|| (text.len() - trimmed.len()) as u64 + 1)
        })
    }

    /// When `line` is indented more than a `key: value` line above it (so that YAML reads it
    /// as a continuation of that value), where its content starts.
    fn continued_line(&self, line: u64) -> Option<(u64, u64)> {
        let start = self.content_start(line)?;
        let above = (1..line).rev().find(|l| {
            self.line(*l)
                .is_some_and(|t| !t.trim().is_empty() && !t.trim_start().starts_with('#'))
        })?;
        let above_text = self.line(above)?;
        let key_column = above_text
            .trim_start_matches(' ')
            .trim_start_matches("- ")
            .len();
        let key_column = (above_text.len() - key_column) as u64 + 1;
        let (_, value) = above_text.split_once(": ")?;
        (!value.trim().is_empty() && start.1 > key_column).then_some(start)
    }

    /// The line of an earlier `key:` at the same column, in the same mapping.
    fn earlier_key(&self, reported: (u64, u64), key: &str) -> Option<u64> {
        let column = usize::try_from(reported.1.checked_sub(1)?).ok()?;
        for line in (1..reported.0).rev() {
            let Some(text) = self.line(line) else {
                continue;
            };
            let trimmed = text.trim_start_matches([' ', '-']);
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let content = text.chars().count() - trimmed.chars().count();
            if content < column {
                return None;
            }
            if content == column {
                let bare = trimmed.trim_start_matches(['"', '\'']);
                if let Some(rest) = bare.strip_prefix(key) {
                    let rest = rest.trim_start_matches(['"', '\'']).trim_start();
                    if rest.starts_with(':') {
                        return Some(line);
                    }
                }
            }
        }
        None
    }

    /// Where the second document begins: a `---` after content, or a `...` line.
    fn second_document(&self) -> Option<(u64, u64)> {
        let mut content = false;
        for (index, line) in self.lines.iter().enumerate() {
            let line = line.strip_suffix('\r').unwrap_or(line);
            let marker = |m: &str| {
                line.strip_prefix(m)
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
            };
            if marker("...") || (marker("---") && content) {
                return Some((Self::number(index), 1));
            }
            let trimmed = line.trim();
            if !trimmed.is_empty() && !trimmed.starts_with('#') && !trimmed.starts_with('%') {
                content = true;
            }
        }
        None
    }

    /// The word (an alias name with its `*`) at a position.
    fn word_at(&self, (line, column): (u64, u64)) -> String {
        let Some(text) = self.line(line) else {
            return "the alias".to_owned();
        };
        let skip = usize::try_from(column.saturating_sub(1)).unwrap_or(0);
        let word: String = text
            .chars()
            .skip(skip)
            .take_while(|c| !c.is_whitespace() && !",[]{}".contains(*c))
            .collect();
        if word.is_empty() {
            "the alias".to_owned()
        } else {
            word
        }
    }

    /// Reads the source up to `until` (a line and column), tracking quotes and brackets as
    /// YAML does: a quote or bracket counts only where a value starts, never inside plain
    /// text (`it's`), a comment or a block scalar (`|`, `>`).
    fn state_at(&self, until: (u64, u64)) -> State {
        let mut state = State::default();
        // The indentation below which a block scalar's lines end.
        let mut block_scalar: Option<usize> = None;
        for (index, raw) in self.lines.iter().enumerate() {
            let number = Self::number(index);
            if number > until.0 {
                break;
            }
            let line = raw.strip_suffix('\r').unwrap_or(raw);
            let indent = line.chars().take_while(|c| *c == ' ').count();
            if let Some(parent) = block_scalar {
                if line.trim().is_empty() || indent > parent {
                    continue;
                }
                block_scalar = None;
            }
            // The last character that was not a space, outside quotes, on this line.
            let mut last: Option<char> = None;
            let chars: Vec<char> = line.chars().collect();
            let mut i = 0;
            while i < chars.len() {
                let column = i as u64 + 1;
                if number == until.0 && column >= until.1 {
                    return state;
                }
                let c = chars[i];
                if let Some((quote, _)) = state.open_quote {
                    if c == '\\' && quote == '"' {
                        i += 2;
                        continue;
                    }
                    if c == quote {
                        if quote == '\'' && chars.get(i + 1) == Some(&'\'') {
                            i += 2;
                            continue;
                        }
                        state.open_quote = None;
                        last = Some(c);
                    }
                    i += 1;
                    continue;
                }
                let value_starts = matches!(last, None | Some(':' | '-' | '[' | '{' | ',' | '?'))
                    && (i == 0 || chars[i - 1] == ' ' || "[{,".contains(chars[i - 1]));
                match c {
                    '#' if i == 0 || chars[i - 1] == ' ' || chars[i - 1] == '\t' => break,
                    '"' | '\'' if value_starts => {
                        state.open_quote = Some((c, (number, column)));
                    }
                    '[' | '{' if value_starts || !state.open_brackets.is_empty() => {
                        state.open_brackets.push((c, (number, column), indent));
                    }
                    ']' | '}' if !state.open_brackets.is_empty() => {
                        state.open_brackets.pop();
                    }
                    '|' | '>'
                        if value_starts
                            && state.open_brackets.is_empty()
                            && chars[i + 1..]
                                .iter()
                                .all(|c| c.is_ascii_digit() || "+- \t".contains(*c)) =>
                    {
                        block_scalar = Some(indent);
                        break;
                    }
                    _ => {}
                }
                if c != ' ' && c != '\t' {
                    last = Some(c);
                }
                i += 1;
            }
        }
        state
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scalar_budget_breach_is_explained_without_the_library_s_words() {
        let breach = BudgetBreach::ScalarBytes {
            total_scalar_bytes: 100 << 20,
        };
        let explained = explain_budget(&breach, (4, 12));
        assert_eq!((explained.line, explained.column), (4, 12));
        assert_eq!(
            explained.message,
            "the text values in this file add up to more than 64 MB, far more than a catalog holds"
        );
        assert!(explained.hint.contains("shorten it"));
    }

    #[test]
    fn quotes_open_only_where_a_value_starts() {
        let text = Text::new("a: it's\nb: 'x\nc: y\n");
        let state = text.state_at((3, 1));
        assert_eq!(state.open_quote, Some(('\'', (2, 4))));
        let text = Text::new("a: \"x\" # it's\nb: |\n  'quoted\nc: [1,\n");
        let state = text.state_at((5, 1));
        assert_eq!(state.open_quote, None);
        assert_eq!(state.open_brackets, vec![('[', (4, 4), 0)]);
    }
}
