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

// ---------------------------------------------------------------------------------------
// Every format on a terminal (a pseudo terminal made by script(1), from util-linux)

/// A catalog whose text holds an SGR, an OSC title with BEL, a C1 CSI, a right-to-left
/// override and an isolate: what no format may send to a terminal as itself.
const TTY_TASKS: &str = r#"version: 1
timezone: UTC
tasks:
  - id: sweep
    title: "Red \e[31m alert \e]0;title\a csi \x9b2J rtl \u202Eevil\u202C \u2066iso\u2069 del \x7f"
    description: "Desc \e[2J \u202Egnp.exe \x85 next"
    cadence: daily
    team: ops
  - id: tidy
    title: Tidy
    cadence: daily
    team: ops
"#;

const TTY_ROLES: &str = r#"version: 1
mail_from: soc@example.org
teams:
  - id: ops
    name: "Ops \e]0;owned\a \u202Eteam"
    email: ops@example.org
"#;

/// The analyst's name on a record: an SGR and an override.
const TTY_BY: &str = "\u{1b}[31mmal\u{202e}lory";

/// Why `tidy` was skipped: a clipboard write, an override and a carriage return.
const TTY_REASON: &str = "freeze \u{1b}]52;c;SGVsbG8=\u{7} \u{202e}evil\rX";

/// The characters that must not reach a terminal raw: C0 but LF and tab, DEL, C1, bidi.
fn unsafe_for_terminal(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `sh -c` quoting.
fn quote(word: &str) -> String {
    format!("'{}'", word.replace('\'', r"'\''"))
}

impl Env {
    fn tty() -> Self {
        let env = Self(TestEnv::with_catalog(TTY_TASKS, TTY_ROLES));
        env.run(&["done", "sweep", "--by", TTY_BY, "--note", TTY_BY]);
        env.run(&["skip", "tidy", "--reason", TTY_REASON, "--by", "carol"]);
        env
    }

    /// Runs `socctl args…` with its standard output and error on a pseudo terminal, and
    /// returns what the terminal received, line ends as LF (the line discipline turns LF
    /// into CR LF, and a CSV's CR LF into CR CR LF).
    fn on_terminal(&self, args: &[&str]) -> String {
        let mut line = quote(&support::socctl_binary().to_string_lossy());
        for arg in args {
            line.push(' ');
            line.push_str(&quote(arg));
        }
        let mut script = self.0.command("script");
        script
            .args(["-qec", &line, "/dev/null"])
            .env("SHELL", "/bin/sh")
            .env("XDG_STATE_HOME", self.0.state())
            .env("SOCCTL_JOURNAL", self.0.journal());
        let output = Command::from_std(script)
            .timeout(std::time::Duration::from_secs(60))
            .output()
            .expect("running script(1)");
        let text = String::from_utf8(output.stdout)
            .unwrap_or_else(|e| panic!("socctl {args:?} printed invalid UTF-8: {e}"));
        assert!(
            output.status.success(),
            "socctl {args:?} on a terminal failed ({:?}):\n{}",
            output.status,
            text.escape_debug()
        );
        text.replace("\r\r\n", "\n").replace("\r\n", "\n")
    }
}

/// Panics when the terminal received a control character or bidi control other than
/// line feeds (and, with `colours`, SGR sequences).
fn assert_terminal_safe(args: &[&str], text: &str, colours: bool) {
    let mut rest = text;
    while let Some(at) = rest.find(unsafe_for_terminal) {
        let c = rest[at..].chars().next().expect("a character");
        if colours && c == '\u{1b}' {
            let sequence = &rest[at + 1..];
            let length = sequence
                .strip_prefix('[')
                .map(|s| s.find(|c: char| !(c.is_ascii_digit() || c == ';')))
                .and_then(|end| end.filter(|&end| sequence[1 + end..].starts_with('m')));
            if let Some(end) = length {
                rest = &sequence[end + 2..];
                continue;
            }
        }
        panic!(
            "socctl {args:?} sent {c:?} to the terminal at byte {}:\n{}",
            text.len() - rest.len() + at,
            text.escape_debug()
        );
    }
}

#[test]
fn no_format_sends_control_characters_to_a_terminal() {
    let env = Env::tty();
    let range = ["--from", "2026-11-22", "--to", "2026-11-24"];
    let mut commands: Vec<Vec<&str>> = Vec::new();
    for format in ["table", "text", "markdown", "csv", "json", "html", "email"] {
        commands.push(vec!["due", "-f", format, "--color", "never"]);
        commands.push(vec!["week", "-f", format, "--color", "never"]);
        let mut plan = vec!["plan", "-f", format, "--color", "never"];
        plan.extend(range);
        commands.push(plan);
    }
    for format in ["table", "text", "markdown", "csv", "json"] {
        for listing in ["tasks", "teams", "roles", "history", "next"] {
            commands.push(vec![listing, "-f", format, "--color", "never"]);
        }
        commands.push(vec!["show", "sweep", "-f", format, "--color", "never"]);
        commands.push(vec!["report", "-f", format, "--color", "never"]);
    }
    commands.push(vec!["export", "ics"]);
    for args in &commands {
        let text = env.on_terminal(args);
        assert_terminal_safe(args, &text, false);
    }
    for args in [
        &["due", "--color", "always"][..],
        &["history", "--color", "always"],
        &["tasks", "--color", "always"],
    ] {
        let text = env.on_terminal(args);
        assert_terminal_safe(args, &text, true);
        assert!(
            text.contains("\u{1b}["),
            "no colour: {}",
            text.escape_debug()
        );
    }
    // What was there shows as escapes, readable.
    let csv = env.on_terminal(&["due", "-f", "csv"]);
    assert!(
        csv.contains(r"Red \u{1b}[31m alert \u{1b}]0;title\u{7} csi \u{9b}2J rtl \u{202e}evil\u{202c} \u{2066}iso\u{2069} del \u{7f}"),
        "{}",
        csv.escape_debug()
    );
    assert!(csv.contains(r"\u{1b}[31mmal\u{202e}lory"), "{csv}");
    assert!(
        csv.contains(r"freeze \u{1b}]52;c;SGVsbG8=\u{7} \u{202e}evil\u{d}X"),
        "{}",
        csv.escape_debug()
    );
}

#[test]
fn piped_output_keeps_the_real_bytes_but_json_escapes_c1_and_bidi() {
    let env = Env::tty();
    let title = "Red \u{1b}[31m alert \u{1b}]0;title\u{7} csi \u{9b}2J rtl \u{202e}evil\u{202c} \u{2066}iso\u{2069} del \u{7f}";
    for format in ["csv", "html"] {
        let output = String::from_utf8(env.run(&["due", "-f", format])).expect("UTF-8");
        assert!(
            output.contains(title),
            "{format}: {}",
            output.escape_debug()
        );
        assert!(
            output.contains(TTY_BY),
            "{format}: {}",
            output.escape_debug()
        );
    }
    for args in [
        &["due", "-f", "json"][..],
        &[
            "plan",
            "--from",
            "2026-11-22",
            "--to",
            "2026-11-24",
            "-f",
            "json",
        ],
        &["tasks", "-f", "json"],
        &["history", "-f", "json"],
        &["teams", "-f", "json"],
        &["report", "-f", "json"],
    ] {
        let output = String::from_utf8(env.run(args)).expect("UTF-8");
        assert!(
            !output.chars().any(|c| c != '\n' && unsafe_for_terminal(c)),
            "socctl {args:?}: {}",
            output.escape_debug()
        );
        let parsed: serde_json::Value = serde_json::from_str(&output)
            .unwrap_or_else(|e| panic!("socctl {args:?}: not JSON ({e}): {output}"));
        assert!(
            parsed.to_string().contains("\\u001b") || output.contains("\\u001b"),
            "{output}"
        );
    }
    let due = String::from_utf8(env.run(&["due", "-f", "json"])).expect("UTF-8");
    assert!(
        due.contains(r"csi \u009b2J rtl \u202eevil\u202c \u2066iso\u2069 del \u007f"),
        "{due}"
    );
    let parsed: serde_json::Value = serde_json::from_str(&due).expect("JSON");
    assert_eq!(parsed[0]["title"], title);
    assert_eq!(parsed[0]["done_by"], TTY_BY);
    assert_eq!(parsed[1]["task"], "tidy");
    assert_eq!(parsed[1]["reason"], TTY_REASON);
    // Piped CSV and HTML keep the reason's real characters (HTML escapes markup only).
    let csv = String::from_utf8(env.run(&["due", "-f", "csv"])).expect("UTF-8");
    assert!(csv.contains(TTY_REASON), "{}", csv.escape_debug());
}

/// An SMTP server that greets, then answers every command with a refusal holding escape
/// sequences and an override; returns its URL.
fn hostile_smtp_server() -> String {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let port = listener.local_addr().expect("an address").port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let _ = stream.write_all(b"220 mail.example.org ESMTP\r\n");
            let mut reader = BufReader::new(stream.try_clone().expect("a stream"));
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 0) {
                let reply: &[u8] = if line.starts_with("EHLO") || line.starts_with("HELO") {
                    b"250 mail.example.org\r\n"
                } else if line.starts_with("QUIT") {
                    b"221 bye\r\n"
                } else {
                    "550 \u{1b}]0;owned\u{7}\u{1b}[2J no \u{9b}1m \u{202e}resu\r\n".as_bytes()
                };
                let _ = stream.write_all(reply);
                line.clear();
            }
        }
    });
    format!("smtp://127.0.0.1:{port}")
}

#[test]
fn smtp_replies_in_errors_are_shown_not_run() {
    let env = Env::tty();
    let url = hostile_smtp_server();
    let output = env
        .cmd()
        .args(["mail", "--smtp", &url, "--team", "ops", "--timeout", "10"])
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .expect("running socctl");
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let stderr = String::from_utf8(output.stderr).expect("UTF-8");
    assert!(
        !stderr.chars().any(|c| c != '\n' && unsafe_for_terminal(c)),
        "{}",
        stderr.escape_debug()
    );
    assert!(stderr.contains(r"\u{1b}]0;owned\u{7}"), "{stderr}");
    assert!(stderr.contains(r"\u{202e}"), "{stderr}");
}
