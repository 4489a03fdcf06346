//! Catalog and journal text cannot reach the terminal as control sequences.
//!
//! YAML double-quoted strings can hold `\e`, `\a`, `\r` and C1 controls, and a journal
//! note or `--by` can hold anything a shell can type. Printed raw into a table, an
//! `ESC ] 52` sequence writes the reader's clipboard and `ESC [ 2 J` clears the screen.
//! Every table (and the Markdown of the listings) must show such text, not run it.

#[allow(dead_code)]
mod support;

use std::fs;

use assert_cmd::Command;
use support::TestEnv;

/// A catalog whose every free-text field carries escape sequences. The strings are YAML
/// double-quoted, so `\e`, `\a`, `\r` and `\x9b` are the control characters themselves.
const ROLES: &str = r#"version: 1
teams:
  - id: ops
    name: "Ops \e[2J team"
    aliases: ["Night \e]52;c;SGVsbG8=\a shift", "Red \x9b31m crew"]
    responsibilities:
      - "Watch \e]52;c;SGVsbG8=\a alerts"
      - "Carriage\rreturn"
    defender_tasks:
      - "Hunt \x9b31m threats"
    email: ops@example.org
    translations:
      da:
        name: "Drift \e[2J hold"
"#;

const TASKS: &str = r#"version: 1
timezone: UTC
cadence_aliases:
  "Daily \e[2J please": "daily"
tasks:
  - id: sweep
    title: "Sweep \e[2J the \e]52;c;SGVsbG8=\a logs \x9b31m now\rX"
    description: "Line one\r\nline \e[2J two \a \x9b31m"
    cadence: "Daily \e[2J please"
    team: "Night \e]52;c;SGVsbG8=\a shift"
    tags: ["t\e[31mag"]
    references: ["ref \e]52;c;SGVsbG8=\a one", "ref \x9b31m two"]
    translations:
      da:
        title: "Feje \e[2J \a"
        cadence: "Dagligt \x9b31m \e]0;pwned\a"
"#;

/// The note, author and reference an analyst records: an OSC 52 clipboard write, an SGR
/// that would colour the rest of the screen, and a C1 CSI.
const NOTE: &str = "\u{1b}]52;c;SGVsbG8=\u{7}";
const BY: &str = "\u{1b}[31mmallory";
const REFERENCE: &str = "T-1\u{9b}2J";

/// A journal export holding a record for a task id no catalog has: import accepts any id.
const IMPORT: &str = concat!(
    r#"{"socctl_journal":{"schema":1,"tracking_since":"2026-11-01"}}"#,
    "\n",
    r#"{"id":"6f1d2c1e-0000-4000-8000-000000000001","task":"gone\u001b[2J","occurrence":"2026-11-20","action":"done","on":"2026-11-20","by":"eve\u009b1m","recorded_at":"2026-11-20T08:00:00Z","note":"n\u0007","ref":"r\r\u001b[1A"}"#,
    "\n",
);

/// A [`TestEnv`] holding the hostile catalog, with a journal and a state directory of
/// its own.
struct Env(TestEnv);

impl Env {
    fn new() -> Self {
        Self(TestEnv::with_catalog(TASKS, ROLES))
    }

    fn work(&self) -> std::path::PathBuf {
        self.0.work()
    }

    fn cmd(&self) -> Command {
        let mut command = self.0.cmd();
        command
            .env("XDG_STATE_HOME", self.0.state())
            .env("SOCCTL_JOURNAL", self.0.journal());
        command
    }

    /// Runs `socctl args…`, expects success, and returns stdout as bytes.
    fn run(&self, args: &[&str]) -> Vec<u8> {
        let output = self.cmd().args(args).output().expect("running socctl");
        assert!(
            output.status.success(),
            "socctl {args:?} failed with {:?}\nstderr: {}",
            output.status.code(),
            String::from_utf8_lossy(&output.stderr)
        );
        output.stdout
    }

    /// Records the hostile `done` and imports the hostile record.
    fn with_journal(self) -> Self {
        self.run(&[
            "done", "sweep", "--note", NOTE, "--by", BY, "--ref", REFERENCE,
        ]);
        fs::write(self.work().join("import.jsonl"), IMPORT).expect("writing the import");
        self.run(&["journal", "import", "import.jsonl"]);
        self
    }
}

/// Panics when `output` holds ESC, BEL, CR or a C1 control (U+0080 to U+009F).
fn assert_inert(args: &[&str], output: &[u8]) {
    let text = String::from_utf8(output.to_vec())
        .unwrap_or_else(|e| panic!("socctl {args:?} printed invalid UTF-8: {e}"));
    let bad: Vec<(usize, char)> = text
        .char_indices()
        .filter(|&(_, c)| c.is_control() && c != '\n')
        .collect();
    assert!(
        bad.is_empty(),
        "socctl {args:?} printed control characters {bad:?}:\n{}",
        text.escape_debug()
    );
}

/// Panics unless every ESC in `output` starts an SGR sequence (`ESC [ digits/';' m`) and
/// nothing else is a control character.
fn assert_only_sgr(args: &[&str], output: &[u8]) {
    let text = String::from_utf8(output.to_vec())
        .unwrap_or_else(|e| panic!("socctl {args:?} printed invalid UTF-8: {e}"));
    let mut chars = text.char_indices().peekable();
    let mut escapes = 0;
    while let Some((at, c)) = chars.next() {
        if c == '\u{1b}' {
            escapes += 1;
            assert_eq!(
                chars.next().map(|(_, c)| c),
                Some('['),
                "socctl {args:?}: ESC at byte {at} does not start a CSI:\n{}",
                text.escape_debug()
            );
            let mut parameters = 0;
            while chars
                .peek()
                .is_some_and(|&(_, c)| c.is_ascii_digit() || c == ';')
            {
                chars.next();
                parameters += 1;
            }
            assert!(
                parameters > 0 && chars.next().map(|(_, c)| c) == Some('m'),
                "socctl {args:?}: ESC at byte {at} is not an SGR sequence:\n{}",
                text.escape_debug()
            );
        } else {
            assert!(
                c == '\n' || !c.is_control(),
                "socctl {args:?} printed control character {c:?} at byte {at}:\n{}",
                text.escape_debug()
            );
        }
    }
    assert!(
        escapes > 0,
        "socctl {args:?} printed no colour at all with --color always"
    );
}

fn contains(output: &[u8], needle: &str) -> bool {
    String::from_utf8_lossy(output).contains(needle)
}

#[test]
fn the_catalog_loads_with_its_control_characters() {
    let env = Env::new();
    env.run(&["check"]);
}

#[test]
fn catalog_text_is_shown_not_run_in_tables() {
    let env = Env::new();
    let commands: &[&[&str]] = &[
        &["due", "-f", "table", "--color", "never"],
        &["week", "-f", "table", "--color", "never"],
        &[
            "plan",
            "--from",
            "2026-11-23",
            "--to",
            "2026-11-25",
            "-f",
            "table",
            "--color",
            "never",
        ],
        &["due", "-f", "table", "--color", "never", "--lang", "da"],
        &["tasks", "-f", "table", "--color", "never"],
        &["tasks", "-f", "table", "--color", "never", "--lang", "da"],
        &["show", "sweep", "-f", "table", "--color", "never"],
        &[
            "show", "sweep", "-f", "table", "--color", "never", "--lang", "da",
        ],
        &["teams", "-f", "table", "--color", "never"],
        &["teams", "-f", "table", "--color", "never", "--lang", "da"],
        &["roles", "-f", "table", "--color", "never"],
        &["next", "-f", "table", "--color", "never"],
    ];
    for args in commands {
        let output = env.run(args);
        assert_inert(args, &output);
    }
}

#[test]
fn catalog_text_stays_readable_with_its_controls_escaped() {
    let env = Env::new();
    let due = env.run(&["due", "-f", "table", "--color", "never"]);
    assert!(
        contains(&due, r"Ops \u{1b}[2J team"),
        "{}",
        String::from_utf8_lossy(&due)
    );
    assert!(contains(
        &due,
        r"Sweep \u{1b}[2J the \u{1b}]52;c;SGVsbG8=\u{7} logs \u{9b}31m now X"
    ));
    let show = env.run(&["show", "sweep", "-f", "table", "--color", "never"]);
    // The references stay one a line; the CR LF inside the description does not break it.
    assert!(contains(&show, r"ref \u{1b}]52;c;SGVsbG8=\u{7} one"));
    assert!(contains(&show, r"ref \u{9b}31m two"));
    assert!(contains(
        &show,
        r"Line one  line \u{1b}[2J two \u{7} \u{9b}31m"
    ));
    assert!(contains(&show, r"Daily \u{1b}[2J please"));
    let roles = env.run(&["roles", "-f", "table", "--color", "never"]);
    // Each responsibility is still its own bullet line; the CR inside one is a space.
    assert!(contains(
        &roles,
        r"• Watch \u{1b}]52;c;SGVsbG8=\u{7} alerts"
    ));
    assert!(contains(&roles, "• Carriage return"));
    let teams = env.run(&["teams", "-f", "table", "--color", "never"]);
    assert!(contains(
        &teams,
        r"Night \u{1b}]52;c;SGVsbG8=\u{7} shift, Red \u{9b}31m crew"
    ));
}

#[test]
fn journal_text_is_shown_not_run() {
    let env = Env::new().with_journal();
    let commands: &[&[&str]] = &[
        &["history", "-f", "table", "--color", "never"],
        &["history", "-f", "markdown"],
        &[
            "history", "--task", "sweep", "-f", "table", "--color", "never",
        ],
        // The status column names who settled an occurrence.
        &["due", "-f", "table", "--color", "never"],
        &["week", "-f", "table", "--color", "never"],
    ];
    for args in commands {
        let output = env.run(args);
        assert_inert(args, &output);
    }
    let history = env.run(&["history", "-f", "table", "--color", "never"]);
    for shown in [
        r"\u{1b}]52;c;SGVsbG8=\u{7}",
        r"\u{1b}[31mmallory",
        r"T-1\u{9b}2J",
        r"gone\u{1b}[2J (no longer in the catalog)",
        r"eve\u{9b}1m",
        r"r \u{1b}[1A",
    ] {
        assert!(
            contains(&history, shown),
            "history lacks {shown}:\n{}",
            String::from_utf8_lossy(&history)
        );
    }
    let due = env.run(&["due", "-f", "table", "--color", "never"]);
    assert!(contains(&due, r"(\u{1b}[31mmallory)"));
}

#[test]
fn listing_markdown_shows_control_characters_too() {
    let env = Env::new();
    let commands: &[&[&str]] = &[
        &["tasks", "-f", "markdown"],
        &["show", "sweep", "-f", "markdown"],
        &["teams", "-f", "markdown"],
        &["roles", "-f", "markdown"],
        &["next", "-f", "markdown"],
    ];
    for args in commands {
        let output = env.run(args);
        assert_inert(args, &output);
    }
}

#[test]
fn colour_output_holds_only_socctls_own_sgr_sequences() {
    let env = Env::new().with_journal();
    let commands: &[&[&str]] = &[
        &["due", "-f", "table", "--color", "always"],
        &["due", "-f", "table", "--color", "always", "--lang", "da"],
        &["week", "-f", "table", "--color", "always"],
        &["tasks", "-f", "table", "--color", "always"],
        &["show", "sweep", "-f", "table", "--color", "always"],
        &["teams", "-f", "table", "--color", "always"],
        &["roles", "-f", "table", "--color", "always"],
        &["next", "-f", "table", "--color", "always"],
        &["history", "-f", "table", "--color", "always"],
    ];
    for args in commands {
        let output = env.run(args);
        assert_only_sgr(args, &output);
    }
}
