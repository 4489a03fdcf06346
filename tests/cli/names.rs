//! Names typed on the command line: an unknown team, task or language is a usage error
//! (exit 2) naming the nearest known ones, and nothing is recorded; locale forms name
//! their language; `next` takes `--team` and says what an "as needed" task has instead of
//! dates. The suggestions and dates below are worked out by hand from the catalog in
//! [`env`] (edit distances counted letter by letter, a transposition being one edit;
//! today is Monday 2026-11-23).

use serde_json::Value;

use crate::support::TestEnv;

/// Three teams, two of them with two-letter ids one letter apart (`ir`, `it`), a group,
/// and four tasks, one of them "as needed".
const ROLES: &str = "\
version: 1
groups:
  - id: night-shift
    name: Night shift
    members: [soc, ir]
teams:
  - id: soc
    name: SOC Monitoring
  - id: ir
    name: Incident Response
    aliases: [CSIRT]
  - id: it
    name: IT Operations
";

const TASKS: &str = "\
version: 1
tasks:
  - id: patch-servers
    title: Patch the servers
    cadence: weekly on tuesday
    team: it
  - id: patch-routers
    title: Patch the routers
    cadence: monthly on day 1
    team: it
  - id: review-logs
    title: Review the logs
    cadence: daily
    team: [soc, ir]
  - id: tabletop
    title: Tabletop exercise
    cadence: as needed
    team: ir
";

fn env() -> TestEnv {
    TestEnv::with_catalog(TASKS, ROLES)
}

/// Runs `socctl args…` with the journal beside the working directory, expecting a usage
/// error (exit 2, nothing on stdout), and returns stderr.
fn refused(env: &TestEnv, args: &[&str]) -> String {
    let output = env
        .cmd()
        .env("SOCCTL_JOURNAL", env.journal())
        .args(args)
        .output()
        .expect("running socctl");
    assert_eq!(
        output.status.code(),
        Some(2),
        "socctl {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.stdout.is_empty(), "socctl {args:?} wrote to stdout");
    String::from_utf8(output.stderr).expect("UTF-8 errors")
}

/// Records `socctl trigger tabletop --date day --by by` in the journal beside the working
/// directory.
fn trigger(env: &TestEnv, day: &str, by: &str) {
    let journal = env.journal();
    env.stdout(&[
        "--journal",
        journal.to_str().unwrap(),
        "trigger",
        "tabletop",
        "--date",
        day,
        "--reason",
        "drill",
        "--by",
        by,
    ]);
}

/// The journal's records, as `history -f json` lists them.
fn records(env: &TestEnv) -> Vec<Value> {
    let history = env.json(&[
        "--journal",
        env.journal().to_str().unwrap(),
        "history",
        "-f",
        "json",
    ]);
    history.as_array().expect("an array").clone()
}

#[test]
fn an_unknown_team_names_the_nearest_teams_on_every_command_that_takes_one() {
    let env = env();
    // `iq` is one substitution from `ir` and from `it`; `soc` is three edits away, and no
    // name, alias or group is within two.
    let every = [
        vec!["due"],
        vec!["week"],
        vec!["plan", "--from", "2026-11-23", "--to", "2026-11-30"],
        vec!["next"],
        vec!["tasks"],
        vec!["roles"],
        vec!["overdue"],
        vec!["report"],
        vec!["history"],
        vec!["export", "ics"],
        vec!["mail", "--smtp", "smtp://127.0.0.1:1"],
    ];
    for command in &every {
        let mut args = command.clone();
        args.extend(["--team", "iq"]);
        let stderr = refused(&env, &args);
        assert_eq!(
            stderr,
            "socctl: unknown team `iq`; teams: soc (SOC Monitoring), ir (Incident Response), \
             it (IT Operations)\n  hint: did you mean `ir` or `it`?\n",
            "{args:?}"
        );
    }
    // The suggestion is the id, whichever of its names was nearest: `csrit` is a
    // transposition of the alias CSIRT, `nightshift` one edit from `night-shift` and from
    // its name `Night shift`.
    assert!(refused(&env, &["due", "--team", "csrit"]).ends_with("\n  hint: did you mean `ir`?\n"));
    assert!(
        refused(&env, &["tasks", "--team", "nightshift"])
            .ends_with("\n  hint: did you mean `night-shift`?\n")
    );
    // Nothing near: the list alone.
    let far = refused(&env, &["due", "--team", "xyz"]);
    assert!(
        far.starts_with("socctl: unknown team `xyz`; teams: soc"),
        "{far}"
    );
    assert!(!far.contains("did you mean"), "{far}");
}

#[test]
fn an_unknown_task_names_the_nearest_tasks() {
    let env = env();
    let tasks = "tasks: patch-servers, patch-routers, review-logs, tabletop";
    for (args, typed, nearest) in [
        // One letter missing.
        (
            vec!["show", "patch-server"],
            "patch-server",
            "`patch-servers`",
        ),
        // A transposition; `patch-servers` is four edits away.
        (
            vec!["next", "patch-ruoters"],
            "patch-ruoters",
            "`patch-routers`",
        ),
        (
            vec!["next", "review-logs", "tabeltop"],
            "tabeltop",
            "`tabletop`",
        ),
        (
            vec!["history", "--task", "reveiw-logs"],
            "reveiw-logs",
            "`review-logs`",
        ),
        (
            vec!["done", "patch-servrs", "--by", "ana"],
            "patch-servrs",
            "`patch-servers`",
        ),
        (
            vec!["skip", "patch-routrs", "--reason", "frozen", "--by", "ana"],
            "patch-routrs",
            "`patch-routers`",
        ),
        (
            vec!["undo", "tabletp", "--by", "ana"],
            "tabletp",
            "`tabletop`",
        ),
        (
            vec!["trigger", "tabletopp", "--reason", "drill", "--by", "ana"],
            "tabletopp",
            "`tabletop`",
        ),
    ] {
        assert_eq!(
            refused(&env, &args),
            format!("socctl: unknown task `{typed}`; {tasks}\n  hint: did you mean {nearest}?\n"),
            "{args:?}"
        );
    }
    // `patch` is eight letters short of both patches, more than a third of either: no hint.
    assert!(!refused(&env, &["show", "patch"]).contains("did you mean"));
    // No journal was created by any of the recording commands above.
    assert!(!env.journal().exists());
}

#[test]
fn a_refused_name_records_nothing() {
    let env = env();
    trigger(&env, "2026-11-23", "ana");
    assert_eq!(records(&env).len(), 1);
    for args in [
        vec!["done", "review-log", "--team", "ir", "--by", "ana"],
        // `iq` is near `ir` and `it`, but only `ir` owns review-logs.
        vec!["done", "review-logs", "--team", "iq", "--by", "ana"],
        vec![
            "skip",
            "review-logs",
            "--team",
            "sco",
            "--reason",
            "x",
            "--by",
            "ana",
        ],
        vec!["undo", "tabletopp", "--by", "ana"],
        vec![
            "trigger", "tabletop", "--team", "CSIRTS", "--reason", "x", "--by", "ana",
        ],
    ] {
        refused(&env, &args);
    }
    assert_eq!(
        refused(
            &env,
            &["done", "review-logs", "--team", "iq", "--by", "ana"]
        ),
        "socctl: `iq` is not a team of `review-logs`; its teams: soc (SOC Monitoring), \
         ir (Incident Response)\n  hint: did you mean `ir`?\n"
    );
    assert!(
        refused(
            &env,
            &[
                "skip",
                "review-logs",
                "--team",
                "sco",
                "--reason",
                "x",
                "--by",
                "a"
            ]
        )
        .ends_with("\n  hint: did you mean `soc`?\n")
    );
    assert_eq!(
        records(&env).len(),
        1,
        "a refused command wrote to the journal"
    );
}

#[test]
fn history_takes_a_task_the_journal_knows_and_suggests_from_both() {
    let env = env();
    let journal = env.journal();
    let journal = journal.to_str().unwrap();
    trigger(&env, "2026-11-23", "ana");
    // The task leaves the catalog; its records stay in the journal.
    env.write(
        "tasks.yaml",
        TASKS.split("  - id: tabletop").next().unwrap(),
    );
    let history = env.json(&[
        "--journal",
        journal,
        "history",
        "--task",
        "tabletop",
        "-f",
        "json",
    ]);
    assert_eq!(history.as_array().map(Vec::len), Some(1), "{history}");
    assert_eq!(history[0]["in_catalog"], false);
    // A typo of it is suggested from the journal's ids.
    assert_eq!(
        refused(&env, &["history", "--task", "tabeltop"]),
        "socctl: unknown task `tabeltop`; tasks: patch-servers, patch-routers, review-logs\n  \
         hint: did you mean `tabletop`?\n"
    );
}

#[test]
fn next_takes_a_team_as_the_other_listings_do() {
    let env = env();
    let rows = |args: &[&str]| -> Vec<(String, String)> {
        let mut all = vec!["next", "-n", "1", "-f", "json"];
        all.extend(args);
        env.json(&all)
            .as_array()
            .expect("an array")
            .iter()
            .map(|row| {
                (
                    row["task"].as_str().unwrap().to_owned(),
                    row["date"].as_str().unwrap_or("-").to_owned(),
                )
            })
            .collect()
    };
    let pair = |task: &str, date: &str| (task.to_owned(), date.to_owned());
    // IT's two patches: the first Tuesday from Monday 23 November, and 1 December.
    assert_eq!(
        rows(&["--team", "IT Operations"]),
        [
            pair("patch-servers", "2026-11-24"),
            pair("patch-routers", "2026-12-01")
        ]
    );
    // The night shift is SOC and IR: their one scheduled task is daily, due today; the
    // tabletop exercise has no dates and is listed only when named.
    assert_eq!(
        rows(&["--team", "night-shift"]),
        [pair("review-logs", "2026-11-23")]
    );
    assert_eq!(
        rows(&["-t", "ir", "patch-servers", "review-logs", "tabletop"]),
        [pair("review-logs", "2026-11-23"), pair("tabletop", "-")]
    );
    // SOCCTL_TEAM, as for `tasks`.
    let team = env
        .cmd()
        .env("SOCCTL_TEAM", "it")
        .args(["next", "-n", "1", "-f", "csv"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(team.stdout).unwrap(),
        "task,date,weekday,time,cadence\r\n\
         patch-servers,2026-11-24,Tue,,weekly on tuesday\r\n\
         patch-routers,2026-12-01,Tue,,monthly on day 1\r\n"
    );
}

#[test]
fn next_on_an_as_needed_task_says_so_with_its_last_trigger_in_every_format() {
    let env = env();
    let journal = env.journal();
    let journal = journal.to_str().unwrap();
    let next = |format: &str| env.stdout(&["--journal", journal, "next", "tabletop", "-f", format]);
    // No journal yet: never triggered.
    assert_eq!(
        next("csv"),
        "task,date,weekday,time,cadence,note\r\n\
         tabletop,,,,as needed,no dates of its own; never triggered\r\n"
    );
    // Triggered for Friday 20 November by ana, then for Saturday 21 by bo, which is undone:
    // the last trigger in force is ana's.
    trigger(&env, "2026-11-20", "ana");
    trigger(&env, "2026-11-21", "bo");
    env.stdout(&[
        "--journal",
        journal,
        "undo",
        "tabletop",
        "--occurrence",
        "2026-11-21",
        "--by",
        "bo",
    ]);
    let note = "no dates of its own; last triggered for 2026-11-20 by ana";
    let json: Value = serde_json::from_str(&next("json")).unwrap();
    let row = &json[0];
    assert_eq!(json.as_array().map(Vec::len), Some(1), "{json}");
    assert_eq!(row["task"], "tabletop");
    assert_eq!(row["date"], Value::Null);
    assert_eq!(row["cadence"], "as needed");
    assert_eq!(row["as_needed"], true);
    assert_eq!(row["last_trigger"]["occurrence"], "2026-11-20");
    assert_eq!(row["last_trigger"]["by"], "ana");
    assert_eq!(row["last_trigger"]["action"], "triggered");
    assert_eq!(row["last_trigger"]["note"], "drill");
    assert_eq!(
        next("csv"),
        format!("task,date,weekday,time,cadence,note\r\ntabletop,,,,as needed,{note}\r\n")
    );
    // Too wide for 78 columns: a block, without the empty fields.
    assert_eq!(
        next("text"),
        format!("Task:    tabletop\nCadence: as needed\nNote:    {note}\n")
    );
    assert!(next("markdown").contains(&format!("| tabletop |  |  |  | as needed | {note} |")));
    assert!(next("table").contains(note));
    // With a dated task beside it, dated rows have an empty note and no new JSON fields.
    let both = env.json(&[
        "--journal",
        journal,
        "next",
        "-n",
        "1",
        "review-logs",
        "tabletop",
        "-f",
        "json",
    ]);
    assert_eq!(
        both[0],
        serde_json::json!({"task": "review-logs", "date": "2026-11-23", "time": null, "cadence": "daily"})
    );
    assert_eq!(both[1]["last_trigger"]["by"], "ana");
    // In French.
    let french = env.stdout(&[
        "--journal",
        journal,
        "--lang",
        "fr",
        "next",
        "tabletop",
        "-f",
        "csv",
    ]);
    assert!(
        french.ends_with(
            ",aucune date propre ; dernier déclenchement pour le 2026-11-20 par ana\r\n"
        ),
        "{french}"
    );
}

/// The first line `socctl due -f text` prints in the environment `vars`, expecting success.
fn heading(env: &TestEnv, vars: &[(&str, &str)], args: &[&str]) -> String {
    let mut command = env.cmd();
    for (name, value) in vars {
        command.env(name, value);
    }
    let output = command
        .args(args)
        .args(["due", "-f", "text"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{vars:?} {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8(output.stdout).unwrap();
    text.lines().next().unwrap_or_default().to_owned()
}

#[test]
fn locale_forms_name_their_language() {
    let env = env();
    // Monday 23 November 2026 in each language's long date.
    let english = "Due Monday 23 November 2026 (UTC)";
    let danish = "Forfalder mandag den 23. november 2026 (UTC)";
    let french = "À faire le lundi 23 novembre 2026 (UTC)";
    let japanese = "2026年11月23日(月)の予定 (UTC)";
    for (lang, expected) in [
        ("ja", japanese),
        ("ja-JP", japanese),
        ("ja_JP", japanese),
        ("JA_jp.eucJP", japanese),
        ("da_DK.UTF-8", danish),
        ("fr-CA", french),
        ("en-GB", english),
        ("C", english),
        ("POSIX", english),
    ] {
        assert_eq!(
            heading(&env, &[], &["--lang", lang]),
            expected,
            "--lang {lang}"
        );
        assert_eq!(
            heading(&env, &[("SOCCTL_LANG", lang)], &[]),
            expected,
            "SOCCTL_LANG={lang}"
        );
        assert_eq!(
            heading(&env, &[("LANG", lang)], &[]),
            expected,
            "LANG={lang}"
        );
    }
    // LC_ALL wins over LC_MESSAGES, which wins over LANG; the flag over all of them.
    let all = [
        ("LC_ALL", "fr_FR.UTF-8"),
        ("LC_MESSAGES", "da_DK"),
        ("LANG", "ja_JP"),
    ];
    assert_eq!(heading(&env, &all, &[]), french);
    assert_eq!(heading(&env, &all[1..], &[]), danish);
    assert_eq!(heading(&env, &all, &["--lang", "en"]), english);
    // A region picks the catalog's text for it, then the language's, whether the locale
    // comes from the flag or from the environment.
    let tasks = TASKS.replace(
        "    title: Review the logs\n",
        "    title: Review the logs\n    translations:\n      fr: {title: Examiner les journaux}\n      \
         fr-ca: {title: Réviser les journaux}\n",
    );
    let regional = TestEnv::with_catalog(tasks, ROLES);
    let title = |vars: &[(&str, &str)], args: &[&str]| {
        let mut command = regional.cmd();
        for (name, value) in vars {
            command.env(name, value);
        }
        let output = command
            .args(args)
            .args(["due", "-f", "json"])
            .output()
            .unwrap();
        let due: Value = serde_json::from_slice(&output.stdout).expect("JSON");
        due.as_array().expect("an array")[0]["title"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(
        title(&[("LANG", "fr_CA.UTF-8")], &[]),
        "Réviser les journaux"
    );
    assert_eq!(
        title(&[], &["--lang", "fr_CA.UTF-8"]),
        "Réviser les journaux"
    );
    assert_eq!(
        title(&[("LC_ALL", "fr_FR.UTF-8")], &[]),
        "Examiner les journaux"
    );
    assert_eq!(title(&[], &["--lang", "fr-BE"]), "Examiner les journaux");
    assert_eq!(title(&[("LANG", "C")], &[]), "Review the logs");
}

#[test]
fn an_unknown_language_is_refused_when_chosen_and_english_when_inherited() {
    let env = env();
    let list = "socctl's languages: en, da, fr, ja (a locale such as ja_JP.UTF-8 or fr-CA \
                names its language)";
    // `jp` is a country code; `ja` is one letter from it, and every other code two.
    for args in [
        &["--lang", "jp", "due"][..],
        &["due", "--lang", "jp_JP.UTF-8"],
    ] {
        let given = args.iter().find(|a| a.starts_with("jp")).unwrap();
        assert_eq!(
            refused(&env, args),
            format!(
                "socctl: unknown language `{given}` in --lang (or SOCCTL_LANG); {list}\n  \
                 hint: did you mean `ja`?\n"
            )
        );
    }
    // `xx` is two edits from every two-letter code: no hint.
    assert_eq!(
        refused(&env, &["--lang", "xx", "tasks"]),
        format!("socctl: unknown language `xx` in --lang (or SOCCTL_LANG); {list}\n")
    );
    assert!(refused(&env, &["--lang", "Japanese", "man"]).ends_with("did you mean `ja`?\n"));
    let chosen = env
        .cmd()
        .env("SOCCTL_LANG", "jp")
        .arg("due")
        .output()
        .unwrap();
    assert_eq!(chosen.status.code(), Some(2));
    // Nothing is recorded under a refused language.
    refused(
        &env,
        &[
            "--lang", "xx", "trigger", "tabletop", "--reason", "x", "--by", "ana",
        ],
    );
    assert!(!env.journal().exists());
    // A locale inherited from the system is never an error: English words.
    let english = "Due Monday 23 November 2026 (UTC)";
    for locale in [
        "xx_YY.UTF-8",
        "jp_JP",
        "de_DE@euro",
        "not a locale",
        "C.UTF-8",
    ] {
        assert_eq!(
            heading(&env, &[("LANG", locale)], &[]),
            english,
            "LANG={locale}"
        );
        assert_eq!(
            heading(&env, &[("LC_ALL", locale)], &[]),
            english,
            "LC_ALL={locale}"
        );
    }
}

#[test]
fn a_language_the_catalog_has_text_in_is_known() {
    // German titles for one task, and a German team name: socctl has no German words, so
    // the headings stay English, with the catalog's German text.
    let tasks = TASKS.replace(
        "    title: Review the logs\n",
        "    title: Review the logs\n    translations:\n      de: {title: Protokolle prüfen}\n",
    );
    let roles = ROLES.replace(
        "    name: SOC Monitoring\n",
        "    name: SOC Monitoring\n    translations:\n      de: {name: SOC-Überwachung}\n",
    );
    let env = TestEnv::with_catalog(tasks, roles);
    for lang in ["de", "de-AT", "de_DE.UTF-8"] {
        let due = env.stdout(&["--lang", lang, "due", "-f", "text"]);
        assert!(
            due.starts_with("Due Monday 23 November 2026"),
            "{lang}: {due}"
        );
        assert!(
            due.contains("SOC-Überwachung") && due.contains("Protokolle prüfen"),
            "{due}"
        );
    }
    // `dee` is one letter from the catalog's `de` (and two from `da`, `en`: too far).
    assert_eq!(
        refused(&env, &["--lang", "dee", "due"]),
        "socctl: unknown language `dee` in --lang (or SOCCTL_LANG); socctl's languages: en, \
         da, fr, ja; the catalog's text is also in de (a locale such as ja_JP.UTF-8 or fr-CA \
         names its language)\n  hint: did you mean `de`?\n"
    );
}
