//! `socctl completions`, `socctl man` and `socctl help`: shell integration and the manual,
//! generated from the clap model so they never drift from the real flags.

use std::io::Write;

use super::{Exit, UsageError};
use crate::listing::overdue::PluginState;

/// The cadence reference, `docs/cadences.md`: the one text behind `socctl help cadences`,
/// socctl-cadences(7) and the documentation page.
pub const CADENCES: &str = include_str!("../../docs/cadences.md");

/// Arguments of `socctl completions`.
#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    pub shell: clap_complete::Shell,
}

/// Arguments of `socctl man`.
#[derive(Debug, clap::Args)]
pub struct ManArgs {
    /// Another page instead of socctl(1)
    #[arg(value_enum)]
    pub page: Option<ManPage>,
}

/// The manual pages besides socctl(1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ManPage {
    /// socctl-cadences(7): the cadence language of tasks.yaml
    Cadences,
}

/// Arguments of `socctl help`.
#[derive(Debug, clap::Args)]
pub struct HelpArgs {
    /// `cadences` for the cadence language, or a subcommand such as `due` or `journal copy`
    #[arg(value_name = "TOPIC")]
    pub topic: Vec<String>,
}

/// Answers a shell's request for completions and exits, when `COMPLETE` names a shell
/// (`source <(COMPLETE=bash socctl)`: clap_complete's dynamic completion, which also
/// completes task ids and team names from the catalog); does nothing otherwise.
pub fn complete_from_env() {
    clap_complete::CompleteEnv::with_factory(super::tree::full_tree)
        .bin("socctl")
        .complete();
}

/// The catalog of the command line being completed, found as commands find it: its
/// `--catalog` and `--roles`, else `SOCCTL_CATALOG` and `SOCCTL_ROLES`, else the usual
/// places. `None` when there is none or it does not load: completion then offers nothing,
/// and never says why on the user's shell.
fn completion_catalog() -> Option<crate::catalog::Catalog> {
    let words = super::environment::completed_words();
    let flag = |name: &str| -> Option<std::path::PathBuf> {
        let prefix = format!("{name}=");
        let mut found = None;
        let mut words = words.iter().map(|w| w.to_string_lossy());
        while let Some(word) = words.next() {
            if word == name {
                found = words.next().map(|value| value.into_owned().into());
            } else if let Some(value) = word.strip_prefix(&prefix) {
                found = Some(value.to_owned().into());
            }
        }
        found.filter(|path: &std::path::PathBuf| !path.as_os_str().is_empty())
    };
    let from_env = |name: &str| super::environment::env_var(name).map(std::path::PathBuf::from);
    let tasks = flag("--catalog").or_else(|| from_env("SOCCTL_CATALOG"));
    let roles = flag("--roles").or_else(|| from_env("SOCCTL_ROLES"));
    let paths = crate::config::find_catalog(
        tasks.as_deref(),
        roles.as_deref(),
        super::environment::config_dir().as_deref(),
    )
    .ok()?;
    let today = super::environment::today(&jiff::tz::TimeZone::UTC).ok()?;
    let cache = super::environment::cache_settings();
    crate::catalog::load_valid_cached(&paths.tasks, &paths.roles, today, cache.as_ref()).ok()
}

/// A candidate with catalog text as its description, made safe for the shell's display
/// (no control characters, bidi overrides, tabs or line breaks).
fn candidate(value: &str, help: &str) -> clap_complete::CompletionCandidate {
    let help = crate::catalog::escape_controls(&crate::render::terminal_text(help));
    clap_complete::CompletionCandidate::new(value).help(Some(help.into()))
}

/// The candidates `list` makes from the catalog of the line being completed; none without
/// one.
fn from_catalog(
    list: impl FnOnce(&crate::catalog::Catalog) -> Vec<clap_complete::CompletionCandidate>,
) -> Vec<clap_complete::CompletionCandidate> {
    completion_catalog().map_or_else(Vec::new, |catalog| list(&catalog))
}

/// Completions of `--team` where a group also selects: team ids, then group ids, each
/// described by its name.
pub(super) fn team_or_group_candidates() -> Vec<clap_complete::CompletionCandidate> {
    from_catalog(|catalog| {
        let teams = catalog.teams.iter().map(|t| candidate(&t.id, &t.name));
        let groups = catalog.groups.iter().map(|g| candidate(&g.id, &g.name));
        teams.chain(groups).collect()
    })
}

/// Completions of a recording command's `--team`: team ids, described by their names.
pub(super) fn team_candidates() -> Vec<clap_complete::CompletionCandidate> {
    from_catalog(|catalog| {
        let teams = catalog.teams.iter();
        teams.map(|t| candidate(&t.id, &t.name)).collect()
    })
}

/// Completions of a task id: the catalog's task ids, described by their titles; only the
/// "as needed" ones with `as_needed` (`trigger`).
fn tasks(as_needed: bool) -> Vec<clap_complete::CompletionCandidate> {
    from_catalog(|catalog| {
        let tasks = catalog.tasks.iter();
        tasks
            .filter(|t| !as_needed || t.cadence.as_needed)
            .map(|t| candidate(&t.id, &t.title))
            .collect()
    })
}

/// Completions of a task id: every task of the catalog.
pub(super) fn task_candidates() -> Vec<clap_complete::CompletionCandidate> {
    tasks(false)
}

/// Completions of `trigger`'s task id: the tasks that can be triggered ("as needed").
pub(super) fn as_needed_candidates() -> Vec<clap_complete::CompletionCandidate> {
    tasks(true)
}

/// Writes the completion script for a shell.
pub fn completions(args: &CompletionsArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    // clap_complete panics on a write error (a closed pipe); build the script first.
    let mut script = Vec::new();
    clap_complete::generate(
        args.shell,
        &mut super::tree::full_tree(),
        "socctl",
        &mut script,
    );
    out.write_all(&script)?;
    Ok(())
}

/// Writes the help of a subcommand (as its `--help` does), or of a topic.
pub fn help(args: &HelpArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    if args.topic == ["cadences"] {
        out.write_all(CADENCES.as_bytes())?;
        return Ok(());
    }
    let words = std::iter::once("socctl")
        .chain(args.topic.iter().map(String::as_str))
        .chain(["--help"]);
    match super::tree::full_tree().try_get_matches_from(words) {
        Err(shown) if shown.kind() == clap::error::ErrorKind::DisplayHelp => {
            write!(out, "{}", shown.render())?;
            Ok(())
        }
        _ => Err(UsageError(format!(
            "no help for `{}`: name a subcommand (see `socctl --help`) or the topic `cadences`",
            args.topic.join(" ")
        ))
        .into()),
    }
}

/// Writes a manual page: socctl(1), with every subcommand in it, or another page.
pub fn man(args: &ManArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    match args.page {
        None => socctl_page(out),
        Some(ManPage::Cadences) => cadences_page(out),
    }
}

/// What socctl reads from the environment, for ENVIRONMENT: every `SOCCTL_*` variable, and
/// the system and libpq ones (tests/cli/manual.rs checks the list against the source).
const ENVIRONMENT: &[(&str, &str)] = &[
    ("SOCCTL_CATALOG", "The tasks.yaml to use (--catalog)."),
    ("SOCCTL_ROLES", "The roles.yaml to use (--roles)."),
    (
        "SOCCTL_TZ",
        "The IANA time zone to work in instead of the catalog's (--tz).",
    ),
    (
        "SOCCTL_FORMAT",
        "The output format: table, text, markdown, json, csv, html or email (--format).",
    ),
    (
        "SOCCTL_LANG",
        "The language of catalog text and checklists: en, da, fr, ja, or one the catalog has text in; a locale (ja_JP.UTF-8, fr-CA) names its language; anything else is refused (--lang).",
    ),
    ("SOCCTL_COLOR", "auto, always or never (--color)."),
    (
        "SOCCTL_TEAM",
        "The team of due, week, plan, next, tasks, roles, overdue, history, report and export ics (--team).",
    ),
    (
        "SOCCTL_PERSON",
        "The member id --me stands for (else the member whose id is the login name, $USER or $LOGNAME).",
    ),
    (
        "SOCCTL_JOURNAL",
        "The completion journal: a SQLite file, or a postgres:// or postgresql:// URL (--journal).",
    ),
    (
        "SOCCTL_NO_CACHE",
        "Any value but 0, false, no, off, n or f reads the catalog's YAML every time (--no-cache).",
    ),
    (
        "SOCCTL_CSV_DELIMITER",
        "The field delimiter of CSV: , (the default), ; or tab (--csv-delimiter).",
    ),
    (
        "SOCCTL_CSV_BOM",
        "Any value but 0, false, no, off, n or f starts CSV with a UTF-8 byte order mark (--csv-bom).",
    ),
    (
        "SOCCTL_CACHE_DIR",
        "Where compiled catalogs are kept [default: $XDG_CACHE_HOME/socctl].",
    ),
    (
        "SOCCTL_MAIL_FROM",
        "The sender of e-mail (--mail-from) [default: mail_from in roles.yaml].",
    ),
    (
        "SOCCTL_MAIL_TO",
        "Comma-separated recipients instead of each team's email (--mail-to).",
    ),
    (
        "SOCCTL_SMTP",
        "The SMTP server of socctl mail (--smtp), and of socctl notify's mail to leads.",
    ),
    (
        "SOCCTL_NOTIFY_CA_FILE",
        "A PEM file of CA certificates socctl notify trusts instead of the public roots (--ca-file).",
    ),
    (
        "SOCCTL_SESSION_IDLE",
        "How long a board session may go unused (socctl serve --session-idle) [default: 30m].",
    ),
    (
        "SOCCTL_SESSION_MAX",
        "How long a board session lasts at most (socctl serve --session-max) [default: 12h].",
    ),
    (
        "SOCCTL_JOURNAL_CONNECTIONS",
        "How many recordings socctl serve makes at once; on PostgreSQL, the journal connections it keeps for them (--journal-connections) [default: 8].",
    ),
    (
        "SOCCTL_BY",
        "Who makes records (done, skip, undo, trigger) when --by is not given [default: the login name, from USER or LOGNAME; with none of them, recording is refused].",
    ),
    (
        "SOCCTL_SERVICENOW_USER",
        "The ServiceNow user of socctl tickets (basic authentication, with SOCCTL_SERVICENOW_PASSWORD).",
    ),
    (
        "SOCCTL_SERVICENOW_PASSWORD",
        "That user's password; never printed.",
    ),
    (
        "SOCCTL_SERVICENOW_TOKEN",
        "An OAuth bearer token for socctl tickets instead of a user and password; never printed.",
    ),
    (
        "SOCCTL_TODAY",
        "Pretend today is this YYYY-MM-DD: for tests and for replaying a day.",
    ),
    (
        "NO_COLOR",
        "When set to anything, socctl never colours its output, whatever --color says.",
    ),
    (
        "COMPLETE",
        "bash, zsh, fish, elvish or powershell: print that shell's dynamic completion script (source <(COMPLETE=bash socctl)), or answer its request for completions; empty or 0: run as usual.",
    ),
    (
        "COLUMNS",
        "The width of tables [default: the terminal's; 80 when not on a terminal].",
    ),
    (
        "LC_ALL, LC_MESSAGES, LANG",
        "The first one set gives the language (da from da_DK.UTF-8; English words for C, POSIX and any locale socctl has no words for, never an error) when neither --lang nor SOCCTL_LANG does.",
    ),
    (
        "XDG_CONFIG_HOME",
        "Holds socctl/tasks.yaml and socctl/roles.yaml [default: ~/.config].",
    ),
    (
        "XDG_STATE_HOME",
        "Holds socctl/journal.db, the default journal [default: ~/.local/state].",
    ),
    (
        "XDG_CACHE_HOME",
        "Holds socctl/, the compiled catalogs [default: ~/.cache].",
    ),
    (
        "HOME",
        "The base of the defaults above, of ~/.pgpass and of ~/.postgresql/root.crt.",
    ),
    (
        "USER, LOGNAME",
        "The default of --by after SOCCTL_BY, and the PostgreSQL user when neither the URL nor PGUSER names one.",
    ),
    (
        "PGUSER",
        "The PostgreSQL user when the journal URL names none.",
    ),
    (
        "PGPASSWORD",
        "The PostgreSQL password when the URL has none (prefer ~/.pgpass).",
    ),
    (
        "PGPASSFILE",
        "The PostgreSQL password file [default: ~/.pgpass].",
    ),
    (
        "PGSSLMODE",
        "The default sslmode of a journal URL: disable, prefer (the default), require, verify-ca or verify-full.",
    ),
    (
        "PGSSLROOTCERT",
        "The default sslrootcert of a journal URL: a PEM file of the CA certificates to trust.",
    ),
];

/// The files socctl reads and writes, for FILES.
const FILES: &[(&str, &str)] = &[
    (
        "./tasks.yaml, ./roles.yaml",
        "The catalog, when --catalog and SOCCTL_CATALOG name none. roles.yaml is looked for beside tasks.yaml, then here, then in the configuration directory.",
    ),
    (
        "$XDG_CONFIG_HOME/socctl/tasks.yaml, $XDG_CONFIG_HOME/socctl/roles.yaml",
        "The catalog when the current directory has none (~/.config/socctl/ when XDG_CONFIG_HOME is unset or empty).",
    ),
    (
        "$XDG_STATE_HOME/socctl/journal.db",
        "The default journal (~/.local/state/socctl/journal.db), a SQLite file in WAL mode with its -wal and -shm files beside it; created by the first done, skip or trigger.",
    ),
    (
        "$XDG_CACHE_HOME/socctl/",
        "Compiled copies of validated catalogs (~/.cache/socctl/, or $SOCCTL_CACHE_DIR), keyed by the files' contents; deleting it is always safe.",
    ),
    (
        "~/.pgpass",
        "PostgreSQL passwords in libpq's format (or $PGPASSFILE); ignored unless only its owner can read it (chmod 0600).",
    ),
    (
        "~/.postgresql/root.crt",
        "The CA certificates to trust for the PostgreSQL server, when the URL and PGSSLROOTCERT name none.",
    ),
];

/// socctl(1): clap's sections for the top level, a section per subcommand at any depth,
/// then what clap cannot know.
fn socctl_page(out: &mut dyn Write) -> anyhow::Result<()> {
    let command = super::tree::full_tree();
    let page = clap_mangen::Man::new(command.clone());
    let mut head = Vec::new();
    page.render_title(&mut head)?;
    page.render_name_section(&mut head)?;
    page.render_synopsis_section(&mut head)?;
    page.render_description_section(&mut head)?;
    out.write_all(&head)?;
    writeln!(
        out,
        ".PP\n{}",
        roff_text(
            "Dates are YYYY-MM-DD, today, tomorrow or yesterday; \"today\" is today in the catalog's \
             time zone. A team is named by its id, its name or any alias, in any case. Every \
             subcommand also takes the GLOBAL OPTIONS, and every global option can also be set \
             from the environment (see ENVIRONMENT); flags win over variables, and an empty \
             variable counts as unset. The cadence language is in \
             socctl-cadences(7) (socctl man cadences, or socctl help cadences)."
        )
    )?;
    out.write_all(clean(&render(|w| page.render_options_section(w))?, Headings::Keep).as_bytes())?;
    writeln!(out, ".SH COMMANDS")?;
    command_list(&command, "socctl", out)?;
    command_sections(&command, "socctl", out)?;
    exit_status(out)?;
    definitions(out, "ENVIRONMENT", ENVIRONMENT)?;
    definitions(out, "FILES", FILES)?;
    writeln!(
        out,
        ".SH \"SEE ALSO\"\n{}",
        roff_text(
            "socctl-cadences(7), crontab(5), sendmail(8), psql(1), and docs/ in socctl's source tree."
        )
    )?;
    out.write_all(clean(&render(|w| page.render_version_section(w))?, Headings::Keep).as_bytes())?;
    Ok(())
}

/// One `.TP` entry per subcommand, nested ones under their parent's name.
fn command_list(command: &clap::Command, path: &str, out: &mut dyn Write) -> anyhow::Result<()> {
    for sub in visible_subcommands(command) {
        let path = format!("{path} {}", sub.get_name());
        let about = sub.get_about().map(ToString::to_string).unwrap_or_default();
        writeln!(
            out,
            ".TP\n\\fB{}\\fR\n{}",
            roff_text(&path),
            roff_text(&about)
        )?;
        command_list(sub, &path, out)?;
    }
    Ok(())
}

/// A section per subcommand, at every depth: synopsis, description and its own options.
fn command_sections(
    command: &clap::Command,
    path: &str,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    for sub in visible_subcommands(command) {
        let path = format!("{path} {}", sub.get_name());
        writeln!(out, ".SH \"{}\"", roff_text(&path.to_uppercase()))?;
        let page = clap_mangen::Man::new(sub.clone().bin_name(&path));
        let synopsis = render(|w| page.render_synopsis_section(w))?;
        out.write_all(clean(&synopsis, Headings::Drop).as_bytes())?;
        let description = render(|w| page.render_description_section(w))?;
        writeln!(out, ".PP")?;
        out.write_all(clean(&description, Headings::Drop).as_bytes())?;
        let options = render(|w| page.render_options_section(w))?;
        out.write_all(clean(&options, Headings::Nest).as_bytes())?;
        command_sections(sub, &path, out)?;
    }
    Ok(())
}

/// The subcommands a person can type (clap adds no `help` one: socctl has its own).
fn visible_subcommands(command: &clap::Command) -> impl Iterator<Item = &clap::Command> {
    command.get_subcommands().filter(|s| !s.is_hide_set())
}

/// EXIT STATUS, from the constants the code exits with.
fn exit_status(out: &mut dyn Write) -> anyhow::Result<()> {
    let codes = [
        (
            Exit::Success.code(),
            "Success; also when a reader closes the pipe early (socctl due | head).",
        ),
        (
            Exit::Failure.code(),
            "Failure: an invalid catalog (check found errors), an unreadable file, an I/O or journal error, a refused record (the occurrence is already done), a message socctl mail could not send.",
        ),
        (
            Exit::Usage.code(),
            "A usage error: an unknown flag, a bad date, an unknown team, task or language, a reversed or over-long range.",
        ),
        (
            Exit::Overdue.code(),
            "overdue --exit-code only: something is overdue (for monitoring systems; 0 when nothing is, 1 when socctl cannot tell: no journal, an unreadable one).",
        ),
        (
            Exit::Degraded.code(),
            "Done, degraded: the journal could not be read (PostgreSQL unreachable, or the SQLite file locked past its time-out), so due, week, plan or mail wrote (or sent) the checklist without statuses, with a warning on standard error and in each message.",
        ),
        (
            Exit::NotDelivered.code(),
            "notify only: some reminders were not delivered (a channel refused or timed out, or its URL or secret could not be read); the others were sent, the summary line counts both, and the next run retries the failed ones.",
        ),
    ];
    let plugin = format!(
        "overdue --format nagios follows the Nagios/Icinga plugin convention instead: {} OK, {} WARNING, {} CRITICAL, {} UNKNOWN (no journal, an unreadable one, a bad catalog or threshold).",
        Exit::Plugin(PluginState::Ok).code(),
        Exit::Plugin(PluginState::Warning).code(),
        Exit::Plugin(PluginState::Critical).code(),
        Exit::Plugin(PluginState::Unknown).code(),
    );
    writeln!(out, ".SH \"EXIT STATUS\"")?;
    for (code, meaning) in codes {
        writeln!(out, ".TP\n\\fB{code}\\fR\n{}", roff_text(meaning))?;
    }
    writeln!(out, ".PP\n{}", roff_text(&plugin))?;
    Ok(())
}

/// A section of `.TP` term and meaning pairs.
fn definitions(out: &mut dyn Write, heading: &str, entries: &[(&str, &str)]) -> anyhow::Result<()> {
    writeln!(out, ".SH {heading}")?;
    for (term, meaning) in entries {
        writeln!(
            out,
            ".TP\n\\fB{}\\fR\n{}",
            roff_text(term),
            roff_text(meaning)
        )?;
    }
    Ok(())
}

/// socctl-cadences(7): `docs/cadences.md` in roff.
fn cadences_page(out: &mut dyn Write) -> anyhow::Result<()> {
    writeln!(
        out,
        ".TH socctl\\-cadences 7 \"\" \"socctl {}\"",
        env!("CARGO_PKG_VERSION")
    )?;
    writeln!(
        out,
        ".SH NAME\nsocctl\\-cadences \\- the cadence language of socctl's tasks.yaml\n.SH DESCRIPTION"
    )?;
    markdown_to_roff(CADENCES, out)?;
    writeln!(out, ".SH \"SEE ALSO\"\nsocctl(1), crontab(5)")?;
    Ok(())
}

/// What one of clap_mangen's section renderers writes.
fn render(f: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>) -> anyhow::Result<String> {
    let mut buffer = Vec::new();
    f(&mut buffer)?;
    Ok(String::from_utf8(buffer)?)
}

/// What to do with the `.SH` headings of a section clap_mangen rendered.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Headings {
    Keep,
    /// Drop them: the text goes under a heading of ours.
    Drop,
    /// Make them subsections of a subcommand's section.
    Nest,
}

/// A rendered section without the string definitions each render repeats.
fn clean(section: &str, headings: Headings) -> String {
    let mut text = String::new();
    for line in section.lines() {
        if line.starts_with(".ie \\n(.g .ds Aq") || line.starts_with(".el .ds Aq") {
            continue;
        }
        if let Some(heading) = line.strip_prefix(".SH ") {
            match headings {
                Headings::Keep => {}
                Headings::Drop => continue,
                Headings::Nest => {
                    text.push_str(".SS ");
                    text.push_str(&capitalized(heading));
                    text.push('\n');
                    continue;
                }
            }
        }
        text.push_str(line);
        text.push('\n');
    }
    text
}

/// `OPTIONS` → `Options`, `E-MAIL` → `E-mail`: a subsection heading.
fn capitalized(heading: &str) -> String {
    let lower = heading.to_lowercase();
    let mut chars = lower.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Plain text as roff: backslashes and hyphens escaped, no line read as a request.
fn roff_text(text: &str) -> String {
    let escaped = escape(text);
    if escaped.starts_with('.') || escaped.starts_with('\'') {
        format!("\\&{escaped}")
    } else {
        escaped
    }
}

/// `roff_text` for text inside a line.
fn escape(text: &str) -> String {
    text.replace('\\', "\\e").replace('-', "\\-")
}

/// Markdown inline text as roff: code spans and `**strong**` in bold, links as their text
/// (with the address when it is a web one).
fn inline(markdown: &str) -> String {
    let mut roff = String::new();
    let mut code = false;
    let mut bold = false;
    let mut rest = markdown;
    while let Some(c) = rest.chars().next() {
        if c == '`' {
            code = !code;
            roff.push_str(if code || bold { "\\fB" } else { "\\fR" });
            rest = &rest[1..];
        } else if !code && rest.starts_with("**") {
            bold = !bold;
            roff.push_str(if bold { "\\fB" } else { "\\fR" });
            rest = &rest[2..];
        } else if !code
            && c == '['
            && let Some((text, after)) = rest[1..].split_once("](")
            && !text.contains(']')
            && let Some((target, after)) = after.split_once(')')
        {
            roff.push_str(&inline(text));
            if target.starts_with("http") {
                roff.push_str(" <");
                roff.push_str(&escape(target));
                roff.push('>');
            }
            rest = after;
        } else if c == '\\' && rest[1..].starts_with('|') {
            roff.push('|');
            rest = &rest[2..];
        } else {
            roff.push_str(&escape(&c.to_string()));
            rest = &rest[c.len_utf8()..];
        }
    }
    if roff.starts_with('.') || roff.starts_with('\'') {
        roff.insert_str(0, "\\&");
    }
    roff
}

/// The cells of a Markdown table row; `\|` is a bar inside a cell.
fn cells(row: &str) -> Vec<String> {
    let inner = row.trim().trim_start_matches('|').trim_end_matches('|');
    let mut cells = vec![String::new()];
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '|' => cells.push(String::new()),
            _ => {
                if let Some(cell) = cells.last_mut() {
                    cell.push(c);
                    // `\|` stays escaped for `inline`, which makes it a bar.
                    if c == '\\' && chars.peek() == Some(&'|') {
                        cell.push('|');
                        chars.next();
                    }
                }
            }
        }
    }
    cells.iter().map(|cell| cell.trim().to_owned()).collect()
}

/// The Markdown of a docs/ page as roff, for the subset those pages use: headings,
/// paragraphs, lists, tables (one `.TP` entry a row) and fenced code.
fn markdown_to_roff(markdown: &str, out: &mut dyn Write) -> std::io::Result<()> {
    let mut fenced = false;
    let mut paragraph = false;
    let mut table_row = 0;
    for line in markdown.lines() {
        if line.starts_with("```") {
            fenced = !fenced;
            out.write_all(if fenced {
                b".PP\n.RS 4\n.nf\n"
            } else {
                b".fi\n.RE\n"
            })?;
            paragraph = false;
            continue;
        }
        if fenced {
            writeln!(out, "{}", roff_text(line))?;
            continue;
        }
        let trimmed = line.trim();
        if !trimmed.starts_with('|') {
            table_row = 0;
        }
        if trimmed.is_empty() {
            paragraph = false;
        } else if line.starts_with("# ") {
            // The page's title: NAME says it.
        } else if let Some(heading) = line.strip_prefix("## ") {
            writeln!(out, ".SH \"{}\"", roff_text(&heading.to_uppercase()))?;
            paragraph = false;
        } else if let Some(heading) = line.strip_prefix("### ") {
            writeln!(out, ".SS \"{}\"", roff_text(heading))?;
            paragraph = false;
        } else if trimmed.starts_with('|') {
            table_row += 1;
            let row = cells(trimmed);
            let separator = row
                .iter()
                .all(|c| c.chars().all(|c| matches!(c, '-' | ':')));
            // The first row is the header; the second the separator.
            if table_row > 1
                && !separator
                && let Some((term, meaning)) = row.split_first()
            {
                let meaning: Vec<String> = meaning.iter().map(|m| inline(m)).collect();
                writeln!(out, ".TP\n{}\n{}", inline(term), meaning.join(" \\(em "))?;
            }
            paragraph = true;
        } else if let Some(item) = line.strip_prefix("- ") {
            writeln!(out, ".IP \\(bu 2\n{}", inline(item))?;
            paragraph = true;
        } else if let Some((number, item)) = line.split_once(". ")
            && !number.is_empty()
            && number.chars().all(|c| c.is_ascii_digit())
        {
            writeln!(out, ".IP {number}. 4\n{}", inline(item))?;
            paragraph = true;
        } else {
            if !paragraph {
                writeln!(out, ".PP")?;
                paragraph = true;
            }
            writeln!(out, "{}", inline(trimmed))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{inline, markdown_to_roff};

    fn roff(markdown: &str) -> String {
        let mut out = Vec::new();
        markdown_to_roff(markdown, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn inline_markdown_becomes_roff_fonts_and_escapes() {
        for (markdown, expected) in [
            ("`every 2 days`", "\\fBevery 2 days\\fR"),
            ("**Short months.** text", "\\fBShort months.\\fR text"),
            ("**bold `code` bold**", "\\fBbold \\fBcode\\fB bold\\fR"),
            ("see [journal.md](journal.md#x)", "see journal.md"),
            (
                "[remind](https://example.org/r)",
                "remind <https://example.org/r>",
            ),
            ("[on …] and [x]", "[on …] and [x]"),
            ("a\\b-c", "a\\eb\\-c"),
            (".starts with a dot", "\\&.starts with a dot"),
            ("`a \\| b`", "\\fBa | b\\fR"),
        ] {
            assert_eq!(inline(markdown), expected, "{markdown}");
        }
    }

    #[test]
    fn blocks_become_sections_paragraphs_lists_entries_and_literal_text() {
        let page = roff(
            "# Title\n\nIntro line one\nline two.\n\n## Two words\n\n### Sub\n\n\
             | Form | Falls on |\n|---|---|\n| `daily` | every day |\n\n\
             - item\n  more\n1. first\n\n```sh\n.not a request\n```\n",
        );
        assert_eq!(
            page,
            ".PP\nIntro line one\nline two.\n.SH \"TWO WORDS\"\n.SS \"Sub\"\n\
             .TP\n\\fBdaily\\fR\nevery day\n.IP \\(bu 2\nitem\nmore\n.IP 1. 4\nfirst\n\
             .PP\n.RS 4\n.nf\n\\&.not a request\n.fi\n.RE\n"
        );
    }
}
