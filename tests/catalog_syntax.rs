//! Broken catalogs, each reported by `check` where the mistake is, in socctl's words, with a
//! hint: never the YAML library's own vocabulary (its option names, its API, its budgets).
//!
//! Every position below was worked out by hand from the YAML text (1-based line and column,
//! columns counted in characters), not taken from socctl's output; the comment of each case
//! says which character it is.

#[allow(dead_code)]
mod support;

use support::TestEnv;

/// Words of the YAML library that must never reach a user.
const LIBRARY_WORDS: [&str; 9] = [
    "DuplicateKeyPolicy",
    "from_str_multiple",
    "budget",
    "ScalarBytes",
    "Options",
    "saphyr",
    "Option<",
    "deserialize",
    "u64",
];

struct Case {
    name: &'static str,
    tasks: &'static str,
    /// `line:column` of the mistake.
    at: &'static str,
    /// A phrase of the message.
    says: &'static str,
}

const CASES: &[Case] = &[
    Case {
        // The tab is the first character of line 4 (the parser stops at the end of line 3).
        name: "tab starting a line",
        tasks: "version: 1\ntasks:\n  - id: a\n\ttitle: A\n    cadence: daily\n    team: ops\n",
        at: "4:1",
        says: "a tab character",
    },
    Case {
        // Line 5 is two spaces, a tab, two spaces: the tab is column 3.
        name: "tab inside the indentation",
        tasks: "version: 1\ntasks:\n  - id: a\n    title: A\n  \t  cadence: daily\n    team: ops\n",
        at: "5:3",
        says: "a tab character",
    },
    Case {
        // `    title: "A`: four spaces, `title:` (5-10), a space, the quote in column 12.
        name: "unclosed double quote",
        tasks: "version: 1\ntasks:\n  - id: a\n    title: \"A\n    cadence: daily\n    team: ops\n",
        at: "4:12",
        says: "the quote `\"` that starts here is never closed",
    },
    Case {
        // Same layout with a single quote: column 12.
        name: "unclosed single quote",
        tasks: "version: 1\ntasks:\n  - id: a\n    title: 'A\n    cadence: daily\n    team: ops\n",
        at: "4:12",
        says: "the quote `'` that starts here is never closed",
    },
    Case {
        // The last line `    team: "ops` ends the file: `team:` is 5-9, the quote column 11.
        name: "unclosed quote at the end of the file",
        tasks: "version: 1\ntasks:\n  - id: a\n    title: A\n    cadence: daily\n    team: \"ops\n",
        at: "6:11",
        says: "never closed",
    },
    Case {
        // The key itself is quoted and never closed: the quote is in column 5 of line 4.
        name: "unclosed quote on a key",
        tasks: "version: 1\ntasks:\n  - id: a\n    \"title: A\n    cadence: daily\n    team: ops\n",
        at: "4:5",
        says: "never closed",
    },
    Case {
        // `    description: |` makes lines 5 a block scalar, whose quotes are text; the quote
        // that is never closed is the one of line 6: `title:` 5-10, the quote column 12.
        name: "quotes inside a block scalar do not count",
        tasks: "version: 1\ntasks:\n  - id: a\n    description: |\n      it's \"fine\n    title: \"A\n    cadence: daily\n    team: ops\n",
        at: "6:12",
        says: "never closed",
    },
    Case {
        // `workdays: [mon, tue` on line 2: `workdays:` is 1-9, a space, `[` column 11.
        name: "unclosed bracket",
        tasks: "version: 1\nworkdays: [mon, tue\ntasks:\n  - id: a\n    title: A\n    cadence: daily\n    team: ops\n",
        at: "2:11",
        says: "the bracket `[` that opens here is never closed",
    },
    Case {
        // `cadence_aliases: { "Weekly SOC": weekly`: `cadence_aliases:` is 1-16, `{` column 18.
        name: "unclosed brace",
        tasks: "version: 1\ncadence_aliases: { \"Weekly SOC\": weekly\ntasks:\n  - id: a\n    title: A\n    cadence: daily\n    team: ops\n",
        at: "2:18",
        says: "the bracket `{` that opens here is never closed",
    },
    Case {
        // The file ends inside `    team: [ops`: `team:` 5-9, `[` column 11.
        name: "unclosed bracket at the end of the file",
        tasks: "version: 1\ntasks:\n  - id: a\n    title: A\n    cadence: daily\n    team: [ops\n",
        at: "6:11",
        says: "the bracket `[` that opens here is never closed",
    },
    Case {
        // `    tags: [a, b]]`: `tags:` 5-9, `[` 11, `a` 12, `,` 13, ` ` 14, `b` 15, `]` 16, `]` 17.
        name: "a closing bracket too many",
        tasks: "version: 1\ntasks:\n  - id: a\n    title: A\n    cadence: daily\n    team: ops\n    tags: [a, b]]\n",
        at: "7:17",
        says: "closes nothing",
    },
    Case {
        // `    team: [ops, {x: 1]`: `[` 11, `ops` 12-14, `,` 15, ` ` 16, `{` 17, `x` 18, `:` 19,
        // ` ` 20, `1` 21, `]` 22, which cannot close the `{`.
        name: "brackets closed in the wrong order",
        tasks: "version: 1\ntasks:\n  - id: a\n    title: A\n    cadence: daily\n    team: [ops, {x: 1]\n",
        at: "6:22",
        says: "`]` where the `{` opened before it is still open",
    },
    Case {
        // `   cadence: daily` has three spaces: it starts in column 4, the fields above in 5.
        name: "a field indented less",
        tasks: "version: 1\ntasks:\n  - id: a\n    title: A\n   cadence: daily\n    team: ops\n",
        at: "5:4",
        says: "indentation does not match",
    },
    Case {
        // `      cadence: daily` has six spaces: it starts in column 7, so YAML reads it as
        // more of `title`'s value.
        name: "a field indented more",
        tasks: "version: 1\ntasks:\n  - id: a\n    title: A\n      cadence: daily\n    team: ops\n",
        at: "5:7",
        says: "indented more than the field above it",
    },
    Case {
        // The second task's `-` is in column 2, the first task's in column 1 (line 3).
        name: "a list item indented differently",
        tasks: "version: 1\ntasks:\n- id: a\n  title: A\n  cadence: daily\n  team: ops\n - id: b\n",
        at: "7:2",
        says: "this list item starts in column 2, the item on line 3 in column 1",
    },
    Case {
        // `    title A` has no colon: the line's text starts in column 5.
        name: "a missing colon",
        tasks: "version: 1\ntasks:\n  - id: a\n    title A\n    cadence: daily\n    team: ops\n",
        at: "4:5",
        says: "the colon after the key is missing",
    },
    Case {
        // `    title: Note: this`: `title:` 5-10, ` ` 11, `Note` 12-15, the second `:` 16.
        name: "a colon inside a value",
        tasks: "version: 1\ntasks:\n  - id: a\n    title: Note: this\n    cadence: daily\n    team: ops\n",
        at: "4:16",
        says: "a second `: ` on this line",
    },
    Case {
        // Line 5 is `    -` alone among the task's fields: the dash is column 5.
        name: "a stray dash among fields",
        tasks: "version: 1\ntasks:\n  - id: a\n    title: A\n    -\n    cadence: daily\n    team: ops\n",
        at: "5:5",
        says: "a `-` list item where the lines above are `key: value` fields",
    },
    Case {
        // `- tasks:` on line 2 under the top-level mapping: the dash is column 1.
        name: "a stray dash at the top level",
        tasks: "version: 1\n- tasks:\n  - id: a\n    title: A\n    cadence: daily\n    team: ops\n",
        at: "2:1",
        says: "a `-` list item",
    },
    Case {
        // `  -id: a`: the dash is column 3, glued to `id`.
        name: "a dash without a space",
        tasks: "version: 1\ntasks:\n  -id: a\n    title: A\n",
        at: "3:3",
        says: "a `-` must be followed by a space",
    },
    Case {
        // The second `title` of the task starts line 6 in column 5.
        name: "a duplicate key",
        tasks: "version: 1\ntasks:\n  - id: a\n    title: A\n    cadence: daily\n    title: B\n    team: ops\n",
        at: "6:5",
        says: "`title` is given twice in the same mapping",
    },
    Case {
        // `version` again on line 3, column 1.
        name: "a duplicate top-level key",
        tasks: "version: 1\ntasks: []\nversion: 1\n",
        at: "3:1",
        says: "`version` is given twice",
    },
    Case {
        // The `---` that starts a second document is line 7, column 1.
        name: "two documents",
        tasks: "version: 1\ntasks:\n  - id: a\n    title: A\n    cadence: daily\n    team: ops\n---\nversion: 1\n",
        at: "7:1",
        says: "a second YAML document starts here",
    },
    Case {
        // A leading `---` is allowed; the `...` that ends the document on line 3 is where
        // the second one begins.
        name: "a document end marker followed by more",
        tasks: "---\nversion: 1\n...\ntasks: []\n",
        at: "3:1",
        says: "a second YAML document",
    },
    Case {
        // U+FEFF begins line 5, column 1.
        name: "a byte-order mark in the middle",
        tasks: "version: 1\ntasks:\n  - id: a\n    title: A\n\u{feff}    cadence: daily\n    team: ops\n",
        at: "5:1",
        says: "byte-order mark (U+FEFF) in the middle of the file",
    },
    Case {
        // `    title: *x`: `title:` 5-10, ` ` 11, `*` 12.
        name: "an alias without its anchor",
        tasks: "version: 1\ntasks:\n  - id: a\n    title: *x\n    cadence: daily\n    team: ops\n",
        at: "4:12",
        says: "`*x` refers to an anchor that is not defined",
    },
    Case {
        // `    title: "bad \q escape"`: the quote 12, `bad` 13-15, ` ` 16, the backslash 17.
        name: "an unknown escape in double quotes",
        tasks: "version: 1\ntasks:\n  - id: a\n    title: \"bad \\q escape\"\n    cadence: daily\n    team: ops\n",
        at: "4:17",
        says: "an unknown `\\` escape in double-quoted text",
    },
    Case {
        // `    title: "A" B`: the quotes 12 and 14, ` ` 15, `B` 16.
        name: "text after the closing quote",
        tasks: "version: 1\ntasks:\n  - id: a\n    title: \"A\" B\n    cadence: daily\n    team: ops\n",
        at: "4:16",
        says: "text after the closing quote",
    },
    Case {
        // `~: x` on line 2: the key `~` is column 1. (A library message spoke of Option<String>.)
        name: "a null key",
        tasks: "version: 1\n~: x\ntasks: []\n",
        at: "2:1",
        says: "a key without a name",
    },
    Case {
        // `[a, b]: x` on line 2: the list used as a key starts in column 1.
        name: "a list as a key",
        tasks: "version: 1\n[a, b]: x\ntasks: []\n",
        at: "2:1",
        says: "a key must be a name, not a list or a mapping",
    },
    Case {
        // `    title: !!int A`: `!!int` 12-16, ` ` 17, `A` 18.
        name: "a number tag on text",
        tasks: "version: 1\ntasks:\n  - id: a\n    title: !!int A\n    cadence: daily\n    team: ops\n",
        at: "4:18",
        says: "a tag (`!!int`, `!!bool`, …) says this value is a number",
    },
];

fn check(env: &TestEnv) -> String {
    let output = env
        .cmd()
        .args(["check", "-f", "text"])
        .output()
        .expect("running socctl");
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    assert!(output.stderr.is_empty(), "{output:?}");
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

/// The output's first line and whether the line after it is a hint.
fn assert_reported(stdout: &str, at: &str, says: &str, context: &str) {
    let lines: Vec<&str> = stdout.lines().collect();
    let expected = format!("tasks.yaml:{at}: error: ");
    assert!(
        lines[0].starts_with(&expected),
        "{context}: expected `{expected}…`, got:\n{stdout}"
    );
    assert!(
        lines[0].contains(says),
        "{context}: expected `{says}` in:\n{stdout}"
    );
    assert!(
        lines
            .get(1)
            .is_some_and(|line| line.starts_with("  hint: ")),
        "{context}: no hint in:\n{stdout}"
    );
    assert_eq!(
        lines.last(),
        Some(&"1 error, 0 warnings"),
        "{context}:\n{stdout}"
    );
    for word in LIBRARY_WORDS {
        assert!(
            !stdout.to_lowercase().contains(&word.to_lowercase()),
            "{context}: `{word}` in:\n{stdout}"
        );
    }
}

#[test]
fn each_broken_catalog_is_reported_where_the_mistake_is_with_a_hint() {
    assert!(CASES.len() >= 15);
    let mut failures = Vec::new();
    for case in CASES {
        let env = TestEnv::one_team(case.tasks);
        let stdout = check(&env);
        if let Err(panic) = std::panic::catch_unwind(|| {
            assert_reported(&stdout, case.at, case.says, case.name);
        }) {
            failures.push(
                panic
                    .downcast_ref::<String>()
                    .cloned()
                    .unwrap_or_else(|| case.name.to_owned()),
            );
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn the_same_mistakes_in_roles_yaml_are_reported_there() {
    // `    name: "Monitoring`: `name:` 5-9, the quote in column 11 of line 4.
    let env = TestEnv::with_catalog(
        "version: 1\ntasks:\n  - id: a\n    title: A\n    cadence: daily\n    team: ops\n",
        "version: 1\nteams:\n  - id: ops\n    name: \"Operations\n  - id: csirt\n    name: CSIRT\n",
    );
    let stdout = check(&env);
    assert!(
        stdout.starts_with("roles.yaml:4:11: error: YAML syntax: the quote `\"` that starts here is never closed\n  hint: "),
        "{stdout}"
    );
}

#[test]
fn a_huge_title_is_refused_in_plain_words() {
    // 65 MB of title: more text than a catalog may hold (64 MB), less than the file limit.
    // `    title: ` is 11 characters, so the value starts in column 12 of line 4.
    let mut tasks = String::from("version: 1\ntasks:\n  - id: a\n    title: ");
    tasks.push_str(&"x".repeat(65 << 20));
    tasks.push_str("\n    cadence: daily\n    team: ops\n");
    let env = TestEnv::one_team(tasks);
    let stdout = check(&env);
    assert_reported(
        &stdout,
        "4:12",
        "the text values in this file add up to more than 64 MB",
        "huge title",
    );
}
