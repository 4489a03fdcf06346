//! A standalone, printable HTML page: one table of tick boxes per team, a print style sheet
//! that starts each team on a new A4 page (for `week` and `plan`), and nothing fetched from
//! the network, so the page prints the same offline, from an e-mail attachment or a file.
//! With a journal, each team starts with its carried-over work, rows show their status, and
//! settled rows have their box ticked (or marked skipped) on paper too.

use std::borrow::Cow;
use std::io::{self, Write};

use super::completion as figures;
use super::escape_html;
use super::{
    Days, RenderOptions, assignee_label, carried_label, carried_mark, carried_of_team, format_time,
    occurrence_status, plan_heading, status_label,
};
use crate::catalog::Catalog;
use crate::plan::{Carried, Plan, PlannedOccurrence, View};
use crate::track::Status;
use crate::track::completion::{Report, Tally};

/// The style sheet. Inline because the page must stand alone; tick boxes are drawn with a
/// border rather than a glyph such as ☐, so they print whatever fonts the printer has.
const STYLE: &str = "
@page { size: A4; margin: 10mm; }
:root { color: #000; background: #fff; font: 10pt/1.3 sans-serif; }
body { margin: 0 auto; max-width: 60rem; padding: 0 1rem; }
h1 { font-size: 15pt; margin: 0.5rem 0 1rem; }
h2 { font-size: 13pt; margin: 0 0 2mm; }
.range { display: none; margin: 0 0 1mm; font-size: 9pt; }
section.team { margin: 0 0 1.5rem; }
table { width: 100%; border-collapse: collapse; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th, td { text-align: start; vertical-align: top; padding: 0.8mm 1.5mm; overflow-wrap: anywhere; }
thead th { border-bottom: 0.5mm solid #000; font-size: 9pt; white-space: nowrap; }
td { border-bottom: 0.2mm solid #999; }
tbody th { padding-top: 2.5mm; border-bottom: 0.3mm solid #000; }
.done { width: 1%; }
.initials { width: 11mm; }
.initials, .note { border-left: 0.2mm solid #999; }
.time { width: 11mm; white-space: nowrap; }
.task { display: inline-block; max-width: 100%; margin-inline-start: 1mm;
  font-family: monospace; font-size: 8pt; color: #333; }
.assignee { white-space: nowrap; margin-inline-start: 1mm; font-size: 7.5pt; font-weight: bold; }
.cadence { width: 11%; }
.note { width: 18%; }
.printed { margin: 0 0 1rem; font-size: 9pt; color: #333; }
.description { font-size: 8.5pt; color: #333; }
input[type=checkbox] { appearance: none; -webkit-appearance: none; display: block;
  width: 4mm; height: 4mm; margin: 0.3mm 0 0; border: 0.4mm solid #000; border-radius: 0;
  background: #fff; }
input[type=checkbox]:checked { background: #000; box-shadow: inset 0 0 0 0.8mm #fff;
  print-color-adjust: exact; -webkit-print-color-adjust: exact; }
footer { margin-top: 1rem; font-size: 8pt; color: #333; }
footer p { margin: 0; }
@media print {
  /* 9.5pt and 10mm margins make room for a Note column wide enough to write in (18%,
     about 33mm) with a team's week still on one A4 page. */
  :root { font-size: 9.5pt; }
  body { max-width: none; padding: 0; }
  body:not(.view-day) > header { display: none; }
  body:not(.view-day) .range { display: block; }
  body:not(.view-day) .range.printed { margin: 0 0 2mm; }
  body:not(.view-day) section.team + section.team { break-before: page; }
  h2, tbody th { break-after: avoid; }
  /* The footer never starts a page alone: the last rows go over with it. */
  footer { break-before: avoid; margin-top: 2mm; }
}
";

/// What a page with a journal adds to [`STYLE`] (a page without one is left as it was).
/// Carried-over work is flagged by a red border and by a bold ⚠ (for black-and-white
/// printers); settled boxes are drawn like the empty ones, with a glyph inside rather than
/// form state, which printing and e-mail clients do not keep.
const TRACKED_STYLE: &str = "
.cadence { width: 14%; }
.status { width: 14%; font-size: 8.5pt; }
.status .date { white-space: nowrap; }
.status-overdue { font-weight: bold; }
.tick { display: block; box-sizing: border-box; width: 4mm; height: 4mm; margin: 0.3mm 0 0;
  border: 0.4mm solid #000; background: #fff; color: #000; text-align: center;
  font: bold 3mm/3.2mm sans-serif; }
.tick-skipped { border-style: dashed; color: #555; }
.carried { margin: 0 0 3mm; padding: 1mm 0 1mm 2.5mm; border-left: 1.2mm solid #c00;
  break-inside: avoid; print-color-adjust: exact; -webkit-print-color-adjust: exact; }
.carried h3 { font-size: 10.5pt; margin: 0 0 1mm; }
.carried ul { margin: 0; padding: 0; list-style: none; }
.carried li { margin: 0 0 1mm; }
.carried .flag { color: #c00; }
.carried .id { font-family: monospace; font-size: 8.5pt; }
@media print { h2 + .carried { break-before: avoid; } }
";

/// Escapes text for HTML element content and quoted attribute values: `&`, `<`, `>`, `"` and
/// `'` become character references, so catalog text is always shown, never parsed as markup.
pub(crate) fn escape(text: &str) -> Cow<'_, str> {
    let Some(first) = text.find(['&', '<', '>', '"', '\'']) else {
        return Cow::Borrowed(text);
    };
    let mut escaped = String::with_capacity(text.len() + 16);
    escaped.push_str(&text[..first]);
    for c in text[first..].chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            _ => escaped.push(c),
        }
    }
    Cow::Owned(escaped)
}

pub(super) fn plan(
    out: &mut (impl Write + ?Sized),
    catalog: &Catalog,
    days: &Days<'_>,
    options: &RenderOptions,
) -> io::Result<()> {
    let plan = days.plan();
    let locale = &options.locale;
    let language = options.language();
    let heading = escape_owned(&plan_heading(catalog, plan, locale));
    let view = match plan.view {
        View::Day => "view-day",
        View::Week => "view-week",
        View::Range => "view-range",
    };
    let styles: &[&str] = if plan.tracked {
        &[STYLE, TRACKED_STYLE]
    } else {
        &[STYLE]
    };
    write_head(out, locale, &heading, styles)?;
    writeln!(out, "<body class=\"{view}\">")?;
    // When the checklist was made, on screen and on every printed page: a sheet on the
    // wall says how current it is.
    let printed = printed_line(options);
    write!(out, "<header><h1>{heading}</h1>")?;
    if let Some(printed) = &printed {
        write!(out, "<p class=\"printed\">{printed}</p>")?;
    }
    writeln!(out, "</header>")?;
    writeln!(out, "<main>")?;
    // A time column only when some task has a time: an empty one would take room on paper.
    let timed = days.any_timed();
    // Beside each tick box, room to initial it; at the end, room for a note.
    let columns: Vec<(&str, &str)> = [
        ("done", "column_done"),
        ("initials", "column_initials"),
        ("time", "column_time"),
        ("title", "column_title"),
        ("cadence", "column_cadence"),
        ("status", "column_status"),
        ("note", "column_note"),
    ]
    .into_iter()
    .filter(|&(class, _)| (timed || class != "time") && (plan.tracked || class != "status"))
    .collect();
    for &team in &plan.teams {
        writeln!(out, "<section class=\"team\">")?;
        writeln!(out, "<p class=\"range\">{heading}</p>")?;
        if let Some(printed) = &printed {
            writeln!(out, "<p class=\"range printed\">{printed}</p>")?;
        }
        writeln!(
            out,
            "<h2>{}</h2>",
            escape(&super::team_heading(catalog, plan, team, language))
        )?;
        let carried: Vec<&Carried> = carried_of_team(catalog, plan, team).collect();
        if !carried.is_empty() {
            carried_block(out, catalog, &carried, options)?;
        }
        // A description is shown at a task's first row in the section only: a week would
        // otherwise repeat it on every day and no longer fit one page.
        let mut described = vec![false; catalog.tasks.len()];
        let mut assigner = crate::people::Assigner::new(catalog, &options.cover);
        let mut any = false;
        days.of_team(team, |date, occurrences| {
            if !any {
                any = true;
                writeln!(out, "<table>")?;
                write!(out, "<thead><tr>")?;
                for &(class, key) in &columns {
                    write!(
                        out,
                        "<th scope=\"col\" class=\"{class}\">{}</th>",
                        escape(locale.text(key))
                    )?;
                }
                writeln!(out, "</tr></thead>")?;
            }
            writeln!(out, "<tbody>")?;
            if plan.view != View::Day {
                writeln!(
                    out,
                    "<tr><th scope=\"rowgroup\" colspan=\"{}\">{}</th></tr>",
                    columns.len(),
                    escape(&locale.long_date(date))
                )?;
            }
            for &occurrence in occurrences {
                let first = !std::mem::replace(&mut described[occurrence.task], true);
                let extras = Extras {
                    describe: first,
                    assignee: assignee_label(locale, assigner.of(occurrence, team)),
                };
                row(out, catalog, plan, occurrence, options, timed, &extras)?;
            }
            writeln!(out, "</tbody>")
        })?;
        if any {
            writeln!(out, "</table>")?;
        } else {
            writeln!(out, "<p>{}</p>", escape(locale.text("nothing_due")))?;
        }
        writeln!(out, "</section>")?;
    }
    writeln!(out, "</main>")?;
    write_footer(out, catalog, locale)
}

/// Opens a page: doctype, language, UTF-8, a Content-Security-Policy that lets nothing load
/// or run, the (already escaped) title and the inline style sheets, up to `</head>`.
pub(crate) fn write_head(
    out: &mut (impl Write + ?Sized),
    locale: &crate::i18n::Locale,
    escaped_title: &str,
    styles: &[&str],
) -> io::Result<()> {
    writeln!(out, "<!DOCTYPE html>")?;
    writeln!(out, "<html lang=\"{}\">", escape(locale.code()))?;
    writeln!(out, "<head>")?;
    writeln!(out, "<meta charset=\"utf-8\">")?;
    // Even markup that slipped past escaping could load nothing and run nothing.
    writeln!(
        out,
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
    )?;
    writeln!(
        out,
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    )?;
    writeln!(out, "<title>{escaped_title}</title>")?;
    writeln!(out, "<style>{}</style>", styles.concat())?;
    writeln!(out, "</head>")
}

/// Closes a page: the "generated by socctl from tasks.yaml" footer, `</body>` and `</html>`.
pub(crate) fn write_footer(
    out: &mut (impl Write + ?Sized),
    catalog: &Catalog,
    locale: &crate::i18n::Locale,
) -> io::Result<()> {
    let source = catalog.tasks_path.file_name().map_or_else(
        || catalog.tasks_path.to_string_lossy(),
        |n| n.to_string_lossy(),
    );
    writeln!(
        out,
        "<footer><p>{}</p></footer>",
        escape(&locale.format("generated_by", &[("catalog", &source)]))
    )?;
    writeln!(out, "</body>")?;
    writeln!(out, "</html>")
}

/// A team's carried-over work: one flagged item per overdue run, open or triggered
/// occurrence from before the plan's range, with its task id and since when.
fn carried_block(
    out: &mut (impl Write + ?Sized),
    catalog: &Catalog,
    carried: &[&Carried],
    options: &RenderOptions,
) -> io::Result<()> {
    let locale = &options.locale;
    let language = options.language();
    writeln!(out, "<div class=\"carried\">")?;
    writeln!(out, "<h3>{}</h3>", escape(locale.text("carried_over")))?;
    writeln!(out, "<ul>")?;
    for item in carried {
        let task = &catalog.tasks[item.task];
        writeln!(
            out,
            "<li><strong><span class=\"flag\" aria-hidden=\"true\">{}</span> {}</strong> <span class=\"id\">{}</span> · {}</li>",
            carried_mark(item).1,
            escape(task.title_in(language)),
            escape(&task.id),
            escape(&carried_label(locale, item))
        )?;
    }
    writeln!(out, "</ul>")?;
    writeln!(out, "</div>")
}

/// What a row shows besides its occurrence: the description (at a task's first row in a
/// section) and who does it.
struct Extras {
    describe: bool,
    assignee: Option<String>,
}

/// One checklist row: tick box, time (when `timed`), title with its task id and assignee
/// and its description (when `describe`), cadence, and the status when the plan is tracked.
fn row(
    out: &mut (impl Write + ?Sized),
    catalog: &Catalog,
    plan: &Plan,
    occurrence: &PlannedOccurrence,
    options: &RenderOptions,
    timed: bool,
    &Extras {
        describe,
        ref assignee,
    }: &Extras,
) -> io::Result<()> {
    let locale = &options.locale;
    let language = options.language();
    let task = &catalog.tasks[occurrence.task];
    let title = escape(task.title_in(language));
    // A settled box is drawn, not a form control, so it prints ticked and e-mail clients
    // that drop form controls still show it; an unsettled one is left to tick on paper.
    match occurrence.status {
        Some(status @ (Status::Done | Status::Skipped)) => {
            let (class, glyph) = if status == Status::Done {
                ("tick-done", '\u{2713}')
            } else {
                ("tick-skipped", '\u{2013}')
            };
            write!(
                out,
                "<tr><td class=\"done\"><span class=\"tick {class}\" role=\"img\" aria-label=\"{} {title}\">{glyph}</span></td>",
                escape(status_label(locale, status))
            )?;
        }
        _ => write!(
            out,
            "<tr><td class=\"done\"><input type=\"checkbox\" aria-label=\"{} {title}\"></td>",
            escape(locale.text("column_done"))
        )?,
    }
    write!(out, "<td class=\"initials\"></td>")?;
    if timed {
        let time = occurrence.time.map(format_time).unwrap_or_default();
        write!(out, "<td class=\"time\">{time}</td>")?;
    }
    // The id after the title rather than in a column of its own, which left the title
    // too little room once the initials and note columns came (and took a second line).
    write!(
        out,
        "<td class=\"title\">{title} <span class=\"task\">{}</span>",
        escape(&task.id)
    )?;
    // Beside the id rather than in a column, which would take room from the title.
    if let Some(assignee) = assignee {
        write!(out, " <span class=\"assignee\">{}</span>", escape(assignee))?;
    }
    let description = task.description_in(language);
    if describe && !description.is_empty() {
        write!(
            out,
            "<div class=\"description\">{}</div>",
            escape(description)
        )?;
    }
    write!(out, "</td>")?;
    write!(
        out,
        "<td class=\"cadence\">{}</td>",
        escape(task.cadence_in(language))
    )?;
    if plan.tracked {
        let class = if occurrence.status == Some(Status::Overdue) {
            "status status-overdue"
        } else {
            "status"
        };
        write!(
            out,
            "<td class=\"{class}\">{}</td>",
            status_text(locale, occurrence)
        )?;
    }
    writeln!(out, "<td class=\"note\"></td></tr>")
}

/// The escaped status of an occurrence ([`occurrence_status`]), its date kept on one line:
/// a narrow column would otherwise break it at a hyphen.
fn status_text(locale: &crate::i18n::Locale, occurrence: &PlannedOccurrence) -> String {
    let status = escape_owned(&occurrence_status(locale, occurrence));
    match &occurrence.settled_by {
        // A date is digits and hyphens, the same escaped or not; the first one is the
        // record's, since the status label before it holds none.
        Some(record) => {
            let date = record.on.to_string();
            status.replacen(&date, &format!("<span class=\"date\">{date}</span>"), 1)
        }
        None => status,
    }
}

/// "Printed Monday 23 November 2026 at 14:05", escaped, when the page has a print date.
fn printed_line(options: &RenderOptions) -> Option<String> {
    let locale = &options.locale;
    options.printed.map(|at| {
        escape_owned(&locale.format(
            "printed_at",
            &[
                ("date", &locale.long_date(at.date())),
                ("time", &format_time(at.time())),
            ],
        ))
    })
}

/// [`escape`] into an owned string, for text written more than once.
fn escape_owned(text: &str) -> String {
    escape(text).into_owned()
}

/// The style sheet, inline so the page stands alone.
const REPORT_STYLE: &str = "
@page { size: A4 landscape; margin: 15mm; }
:root { color: #000; background: #fff; font: 10pt/1.35 sans-serif; }
body { margin: 0 auto; max-width: 70rem; padding: 0 1rem; }
h1 { font-size: 15pt; margin: 0.5rem 0 0.25rem; }
h2 { font-size: 13pt; margin: 0 0 2mm; }
header p { margin: 0 0 1rem; color: #333; }
header p.printed { margin-top: -0.75rem; font-size: 9pt; }
section { margin: 0 0 1.5rem; break-inside: avoid; }
table { width: 100%; border-collapse: collapse; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th, td { text-align: start; vertical-align: top; padding: 1mm 1.5mm; }
thead th { border-bottom: 0.5mm solid #000; font-size: 9pt; }
td { border-bottom: 0.2mm solid #999; }
tfoot th, tfoot td { border-top: 0.4mm solid #000; font-weight: bold; }
.num { text-align: end; font-variant-numeric: tabular-nums; white-space: nowrap; }
.task { font-family: monospace; font-size: 8.5pt; overflow-wrap: anywhere; }
footer { margin-top: 1rem; font-size: 8pt; color: #333; }
";

pub(super) fn report(
    out: &mut dyn Write,
    catalog: &Catalog,
    report: &Report,
    options: &RenderOptions,
) -> io::Result<()> {
    let locale = &options.locale;
    let language = options.language();
    let columns = figures::columns(report);
    let heading = escape_html(&figures::heading(catalog, report, locale)).into_owned();
    let header = |out: &mut dyn Write, first: &[&str]| -> io::Result<()> {
        write!(out, "<thead><tr>")?;
        for key in first {
            write!(
                out,
                "<th scope=\"col\">{}</th>",
                escape_html(locale.text(key))
            )?;
        }
        for column in &columns {
            write!(
                out,
                "<th scope=\"col\" class=\"num\">{}</th>",
                escape_html(locale.text(column.key()))
            )?;
        }
        writeln!(out, "</tr></thead>")
    };
    let figures = |out: &mut dyn Write, tally: &Tally| -> io::Result<()> {
        for column in &columns {
            write!(
                out,
                "<td class=\"num\">{}</td>",
                escape_html(&column.cell(tally, locale))
            )?;
        }
        writeln!(out, "</tr>")
    };
    let total = escape_html(locale.text("report_total"));
    write_head(out, locale, &heading, &[REPORT_STYLE])?;
    writeln!(out, "<body>")?;
    write!(
        out,
        "<header><h1>{heading}</h1><p>{}</p>",
        escape_html(&figures::tracking(report, locale))
    )?;
    // When it was made, as on the checklists: a printed report says how current it is.
    if let Some(printed) = printed_line(options) {
        write!(out, "<p class=\"printed\">{printed}</p>")?;
    }
    writeln!(out, "</header>")?;
    writeln!(out, "<main>")?;
    for team in &report.teams {
        writeln!(out, "<section class=\"team\">")?;
        writeln!(
            out,
            "<h2>{}</h2>",
            escape_html(catalog.teams[team.team].name_in(language))
        )?;
        if team.tasks.is_empty() {
            writeln!(
                out,
                "<p>{}</p>",
                escape_html(locale.text("report_no_tasks"))
            )?;
            writeln!(out, "</section>")?;
            continue;
        }
        writeln!(out, "<table>")?;
        header(out, &["column_task", "column_title"])?;
        writeln!(out, "<tbody>")?;
        for task in &team.tasks {
            let entry = &catalog.tasks[task.task];
            write!(
                out,
                "<tr><td class=\"task\">{}</td><td>{}</td>",
                escape_html(&entry.id),
                escape_html(entry.title_in(language))
            )?;
            figures(out, &task.tally)?;
        }
        writeln!(out, "</tbody>")?;
        write!(
            out,
            "<tfoot><tr><th scope=\"row\" colspan=\"2\">{total}</th>"
        )?;
        figures(out, &team.tally)?;
        writeln!(out, "</tfoot>")?;
        writeln!(out, "</table>")?;
        writeln!(out, "</section>")?;
    }
    if figures::has_summary(report) {
        writeln!(out, "<section class=\"summary\">")?;
        writeln!(
            out,
            "<h2>{}</h2>",
            escape_html(locale.text("report_all_teams"))
        )?;
        writeln!(out, "<table>")?;
        header(out, &["column_team"])?;
        writeln!(out, "<tbody>")?;
        for team in &report.teams {
            write!(
                out,
                "<tr><th scope=\"row\">{}</th>",
                escape_html(catalog.teams[team.team].name_in(language))
            )?;
            figures(out, &team.tally)?;
        }
        writeln!(out, "</tbody>")?;
        write!(out, "<tfoot><tr><th scope=\"row\">{total}</th>")?;
        figures(out, &report.total)?;
        writeln!(out, "</tfoot>")?;
        writeln!(out, "</table>")?;
        writeln!(out, "</section>")?;
    }
    writeln!(out, "</main>")?;
    write_footer(out, catalog, locale)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        assert!(matches!(
            escape("Generate Secure Score report"),
            Cow::Borrowed("Generate Secure Score report")
        ));
        assert!(matches!(escape(""), Cow::Borrowed("")));
    }

    #[test]
    fn markup_characters_become_references() {
        assert_eq!(
            escape("<script>alert(1)</script>"),
            "&lt;script&gt;alert(1)&lt;/script&gt;"
        );
        assert_eq!(
            escape("\"><img src=x onerror=alert(1)>"),
            "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"
        );
        assert_eq!(escape("it's"), "it&#39;s");
        // Already-escaped text is escaped again, so it shows as written.
        assert_eq!(escape("&amp;"), "&amp;amp;");
        assert_eq!(escape("R&D <team>"), "R&amp;D &lt;team&gt;");
    }

    #[test]
    fn japanese_text_passes_through() {
        assert_eq!(
            escape("セキュア スコア レポートを生成する"),
            "セキュア スコア レポートを生成する"
        );
        assert_eq!(escape("監視 & 対応"), "監視 &amp; 対応");
    }

    const TASKS: &str = r#"
version: 1
timezone: Asia/Tokyo
tasks:
  - id: hostile
    title: "<script>alert(1)</script>"
    description: "\"><img src=x onerror=alert(1)> &amp;"
    cadence: daily at 09:00
    team: alpha
    translations: { ja: { title: "敵対的な<b>タイトル</b>" } }
  - id: weekly
    title: "Weekly review"
    cadence: weekly
    team: beta
"#;
    const ROLES: &str = r#"
version: 1
teams:
  - id: alpha
    name: "Alpha & <Omega>"
    translations: { ja: { name: "アルファ" } }
  - id: beta
    name: "Beta"
  - id: idle
    name: "Idle"
"#;

    /// The catalog of [`TASKS`] and [`ROLES`] as of `today`.
    fn catalog(today: jiff::civil::Date) -> Catalog {
        crate::catalog::load_sources(
            "tasks.yaml".as_ref(),
            TASKS,
            "roles.yaml".as_ref(),
            ROLES,
            today,
        )
        .catalog
        .expect("a valid catalog")
    }

    fn render(language: &str, view: View, teams: &[usize]) -> String {
        render_printed(language, view, teams, None)
    }

    /// [`render`] of a checklist made at `printed`.
    fn render_printed(
        language: &str,
        view: View,
        teams: &[usize],
        printed: Option<jiff::civil::DateTime>,
    ) -> String {
        let from = jiff::civil::date(2026, 11, 23);
        let catalog = catalog(from);
        let to = if view == View::Day {
            from
        } else {
            jiff::civil::date(2026, 11, 29)
        };
        let plan = crate::plan::plan(&catalog, from, to, teams, view).expect("a plan");
        let options = RenderOptions {
            locale: crate::i18n::Locale::new(language),
            printed,
            ..RenderOptions::default()
        };
        let mut page = Vec::new();
        super::plan(&mut page, &catalog, &Days::of(&catalog, &plan), &options).expect("rendering");
        String::from_utf8(page).expect("UTF-8")
    }

    #[test]
    fn a_page_shows_when_it_was_made_and_has_room_for_initials_and_a_note() {
        let at = jiff::civil::date(2026, 11, 25).at(7, 5, 0, 0);
        let page = render_printed("en", View::Week, &[0, 1, 2], Some(at));
        // On screen under the heading, and on each team's printed page under the range.
        assert!(page.contains(
            "(Asia/Tokyo)</h1><p class=\"printed\">Printed Wednesday 25 November 2026 at 07:05</p></header>"
        ), "{page}");
        assert_eq!(
            page.matches(
                "<p class=\"range printed\">Printed Wednesday 25 November 2026 at 07:05</p>\n<h2>"
            )
            .count(),
            3
        );
        let danish = render_printed("da", View::Day, &[0], Some(at));
        assert!(
            danish.contains("Udskrevet onsdag den 25. november 2026 kl. 07:05"),
            "{danish}"
        );
        // Without a time given, no date is made up.
        assert!(!render("en", View::Week, &[0]).contains("Printed"));
        // The columns: the box, initials beside it, time, title, cadence, then the note.
        assert!(page.contains(
            "<thead><tr><th scope=\"col\" class=\"done\">Done</th><th scope=\"col\" class=\"initials\">Initials</th><th scope=\"col\" class=\"time\">Time</th><th scope=\"col\" class=\"title\">Title</th><th scope=\"col\" class=\"cadence\">Cadence</th><th scope=\"col\" class=\"note\">Note</th></tr></thead>"
        ), "{page}");
        // Every row has an empty cell for each, to write in.
        assert_eq!(page.matches("<td class=\"initials\"></td>").count(), 8);
        assert_eq!(page.matches("<td class=\"note\"></td></tr>").count(), 8);
        // The footer is kept with the last rows when printed.
        assert!(page.contains("footer { break-before: avoid;"));
    }

    #[test]
    fn a_page_is_standalone_and_shows_hostile_text_as_text() {
        let page = render("en", View::Week, &[0, 1, 2]);
        assert!(
            page.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"),
            "{page}"
        );
        assert!(page.contains("<meta charset=\"utf-8\">"));
        // The body's class names the view and is no other element's class (`.range` once
        // hid the whole body of a plan).
        assert!(page.contains("<body class=\"view-week\">"));
        for view in ["view-day", "view-week", "view-range"] {
            assert_eq!(
                page.matches(&format!("class=\"{view}\"")).count(),
                usize::from(view == "view-week")
            );
        }
        assert!(page.contains("default-src 'none'; style-src 'unsafe-inline'"));
        assert_eq!(page.matches("<script").count(), 0, "{page}");
        assert_eq!(page.matches("<img").count(), 0, "{page}");
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(page.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt; &amp;amp;"));
        assert!(page.contains("<h2>Alpha &amp; &lt;Omega&gt;</h2>"));
        // Nothing is loaded from anywhere: no URLs, no external style sheets or fonts.
        for reference in ["http:", "https:", "src=\"", "href=", "@import", "url("] {
            assert!(!page.contains(reference), "{reference} in {page}");
        }
        // Heading with range and zone; one section per team, the idle one says so.
        assert!(page.contains(
            "<h1>Week 2026-W48: Monday 23 November 2026 to Sunday 29 November 2026 (Asia/Tokyo)</h1>"
        ));
        assert_eq!(page.matches("<section class=\"team\">").count(), 3);
        assert!(page.contains("<h2>Idle</h2>\n<p>Nothing due.</p>"));
        // Alpha's daily task on 7 days, Beta's weekly one once: one tick box each.
        assert_eq!(page.matches("type=\"checkbox\"").count(), 8);
        assert_eq!(page.matches("<td class=\"time\">09:00</td>").count(), 7);
        assert_eq!(page.matches("<td class=\"time\"></td>").count(), 1);
        // The daily task's description once, at its first row; the weekly one has none.
        assert_eq!(page.matches("class=\"description\"").count(), 1);
        assert_eq!(page.matches("scope=\"rowgroup\"").count(), 8);
        assert!(page.contains(">Monday 23 November 2026</th>"));
        assert!(page.contains("<footer><p>Generated by socctl from tasks.yaml</p></footer>"));
        assert!(page.trim_end().ends_with("</html>"));
    }

    #[test]
    fn a_day_has_no_day_headings_and_japanese_pages_say_so() {
        let page = render("ja", View::Day, &[0, 1, 2]);
        assert!(page.contains("<html lang=\"ja\">"));
        assert!(page.contains("<body class=\"view-day\">"));
        assert!(!page.contains("scope=\"rowgroup\""));
        assert!(page.contains("<h2>アルファ</h2>"));
        // Without timed tasks in the plan, there is no time column.
        let untimed = render("en", View::Week, &[1, 2]);
        assert!(!untimed.contains("class=\"time\""), "{untimed}");
        assert!(
            untimed.contains("Weekly review <span class=\"task\">weekly</span></td>"),
            "{untimed}"
        );
        assert!(page.contains("敵対的な&lt;b&gt;タイトル&lt;/b&gt;"));
        assert!(page.contains("<th scope=\"col\" class=\"done\">完了</th>"));
        assert!(page.contains("<h1>2026年11月23日(月)の予定 (Asia/Tokyo)</h1>"));
        // A language code is escaped like everything else.
        let hostile = render("x\"><script>", View::Day, &[0]);
        assert!(hostile.contains("<html lang=\"x&quot;&gt;&lt;script&gt;\">"));
    }

    /// Someone whose name would be markup if it were not escaped.
    const HOSTILE_BY: &str = "<img src=x onerror=alert(1)>";

    /// A page of `teams` for `from..=to` with a journal started on 2026-11-16 holding
    /// `records` (task, occurrence, action, by), as seen on 2026-11-25.
    fn render_tracked(
        language: &str,
        view: View,
        (from, to): (jiff::civil::Date, jiff::civil::Date),
        teams: &[usize],
        records: &[(&str, jiff::civil::Date, crate::journal::Action, &str)],
    ) -> String {
        let catalog = catalog(from);
        let mut plan = crate::plan::plan(&catalog, from, to, teams, view).expect("a plan");
        let at: jiff::Timestamp = "2026-11-24T10:00:00Z".parse().expect("a timestamp");
        let records: Vec<crate::journal::Record> = records
            .iter()
            .map(|&(task, occurrence, action, by)| {
                crate::journal::Record::new(task, occurrence, action, occurrence, by, at)
            })
            .collect();
        crate::track::apply_journal(
            &mut plan,
            &catalog,
            &records,
            jiff::civil::date(2026, 11, 16),
            jiff::civil::date(2026, 11, 25).to_datetime(jiff::civil::Time::midnight()),
        );
        assert!(plan.tracked);
        let options = RenderOptions {
            locale: crate::i18n::Locale::new(language),
            ..RenderOptions::default()
        };
        let mut page = Vec::new();
        super::plan(&mut page, &catalog, &Days::of(&catalog, &plan), &options).expect("rendering");
        String::from_utf8(page).expect("UTF-8")
    }

    fn tracked_week(language: &str) -> String {
        use crate::journal::Action;
        let monday = jiff::civil::date(2026, 11, 23);
        let tuesday = jiff::civil::date(2026, 11, 24);
        render_tracked(
            language,
            View::Week,
            (monday, jiff::civil::date(2026, 11, 29)),
            &[0, 1, 2],
            &[
                ("hostile", monday, Action::Done, HOSTILE_BY),
                ("hostile", tuesday, Action::Skipped, "bob"),
            ],
        )
    }

    /// The part of `page` from the section headed `team` to the end of that section.
    fn section<'p>(page: &'p str, team: &str) -> &'p str {
        let start = page
            .find(&format!("<h2>{team}</h2>"))
            .unwrap_or_else(|| panic!("no section {team} in {page}"));
        let end = page[start..].find("</section>").expect("a closed section");
        &page[start..start + end]
    }

    #[test]
    fn a_tracked_page_shows_carried_work_statuses_and_ticked_boxes() {
        let page = tracked_week("en");
        assert!(page.contains(TRACKED_STYLE), "{page}");
        // Each team with outstanding work starts with it, flagged, before its table.
        let alpha = section(&page, "Alpha &amp; &lt;Omega&gt;");
        assert!(
            alpha.starts_with(
                "<h2>Alpha &amp; &lt;Omega&gt;</h2>\n<div class=\"carried\">\n<h3>Carried over</h3>\n<ul>\n<li><strong><span class=\"flag\" aria-hidden=\"true\">\u{26a0}</span> &lt;script&gt;alert(1)&lt;/script&gt;</strong> <span class=\"id\">hostile</span> · overdue ×7 since 2026-11-16, deadline passed: the end of 2026-11-16</li>\n</ul>\n</div>\n<table>"
            ),
            "{alpha}"
        );
        let beta = section(&page, "Beta");
        assert!(
            beta.contains("<span class=\"id\">weekly</span> · overdue ×1 since 2026-11-16, deadline passed: the end of 2026-11-22</li>"),
            "{beta}"
        );
        assert!(!section(&page, "Idle").contains("carried"));
        // A status column, with who settled what and when; the name is text, not markup.
        assert_eq!(
            page.matches("<th scope=\"col\" class=\"status\">Status</th>")
                .count(),
            2
        );
        assert!(
            alpha.contains(
                "<td class=\"status\">done <span class=\"date\">2026-11-23</span> (&lt;img src=x onerror=alert(1)&gt;)</td><td class=\"note\"></td></tr>"
            ),
            "{alpha}"
        );
        assert!(alpha.contains(
            "<td class=\"status\">skipped <span class=\"date\">2026-11-24</span> (bob)</td><td class=\"note\"></td></tr>"
        ));
        assert!(alpha.contains("<td class=\"status\">open</td><td class=\"note\"></td></tr>"));
        assert_eq!(
            alpha.matches("<td class=\"status\">upcoming</td>").count(),
            4
        );
        assert!(
            beta.contains("<td class=\"status\">open</td><td class=\"note\"></td></tr>"),
            "{beta}"
        );
        assert_eq!(page.matches("<img").count(), 0, "{page}");
        // The done box is ticked and the skipped one marked, drawn rather than form state;
        // the six others are left to tick on paper.
        assert_eq!(
            page.matches("<span class=\"tick tick-done\" role=\"img\" aria-label=\"done &lt;script&gt;alert(1)&lt;/script&gt;\">\u{2713}</span>")
                .count(),
            1,
            "{page}"
        );
        assert_eq!(
            page.matches("<span class=\"tick tick-skipped\" role=\"img\" aria-label=\"skipped &lt;script&gt;alert(1)&lt;/script&gt;\">\u{2013}</span>")
                .count(),
            1
        );
        assert_eq!(page.matches("type=\"checkbox\"").count(), 6);
        assert!(!page.contains(" checked"));
        // Day headings span the extra column.
        assert!(page.contains("<tr><th scope=\"rowgroup\" colspan=\"7\">"));
    }

    #[test]
    fn a_tracked_page_flags_overdue_rows_and_shows_carried_work_with_nothing_due() {
        // On a Tuesday the weekly task (`weekly`: no day named, so on time within its
        // window, Monday to Sunday) is not due, but Monday's is still open until the end of
        // Sunday the 29th, and the Monday before was missed: its window ended with the 22nd.
        let tuesday = jiff::civil::date(2026, 11, 24);
        let page = render_tracked("en", View::Day, (tuesday, tuesday), &[1], &[]);
        let beta = section(&page, "Beta");
        assert!(
            beta.contains(
                "<span class=\"flag\" aria-hidden=\"true\">\u{26a0}</span> Weekly review</strong> <span class=\"id\">weekly</span> · overdue ×1 since 2026-11-16, deadline passed: the end of 2026-11-22</li>\n<li>"
            ),
            "{beta}"
        );
        assert!(
            beta.ends_with(
                "<span class=\"flag\" aria-hidden=\"true\">\u{21aa}</span> Weekly review</strong> <span class=\"id\">weekly</span> · still open from 2026-11-23, on time until the end of 2026-11-29</li>\n</ul>\n</div>\n<p>Nothing due.</p>\n"
            ),
            "{beta}"
        );
        // A past day nobody settled is overdue, in bold.
        let monday = jiff::civil::date(2026, 11, 16);
        let page = render_tracked("en", View::Day, (monday, monday), &[0], &[]);
        assert!(
            page.contains(
                "<td class=\"status status-overdue\">overdue</td><td class=\"note\"></td></tr>"
            ),
            "{page}"
        );
        assert!(!page.contains("class=\"carried\""), "{page}");
    }

    #[test]
    fn a_tracked_japanese_page_says_so_in_japanese() {
        let page = tracked_week("ja");
        assert!(page.contains("<h3>持ち越し</h3>"), "{page}");
        assert!(page.contains("<th scope=\"col\" class=\"status\">状態</th>"));
        assert!(
            page.contains("2026-11-16から期限切れ ×7（期限 2026-11-16の終わり）</li>"),
            "{page}"
        );
        assert!(
            page.contains(
                "aria-label=\"完了 敵対的な&lt;b&gt;タイトル&lt;/b&gt;\">\u{2713}</span>"
            )
        );
    }

    #[test]
    fn an_untracked_page_has_no_journal_parts() {
        let page = render("en", View::Week, &[0, 1, 2]);
        assert!(!page.contains(TRACKED_STYLE));
        for absent in ["carried", "status", "tick", "\u{2713}", "\u{26a0}", "<h3>"] {
            assert!(!page.contains(absent), "{absent} in {page}");
        }
        assert!(page.contains("<tr><th scope=\"rowgroup\" colspan=\"6\">"));
    }

    #[test]
    fn escaped_text_holds_no_markup_characters() {
        let hostile = "</td></tr><script>document.title='pwned'</script><!-- \"'&";
        let escaped = escape(hostile);
        assert!(!escaped.contains(['<', '>', '"', '\'']), "{escaped}");
        // Every `&` starts one of the five references.
        for (index, _) in escaped.match_indices('&') {
            let rest = &escaped[index..];
            assert!(
                ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"]
                    .iter()
                    .any(|r| rest.starts_with(r)),
                "{rest}"
            );
        }
    }
}

#[cfg(test)]
mod report_tests {
    use crate::render::Format;
    use crate::render::completion::sample::render_to_string;

    #[test]
    fn html_is_standalone_and_escaped() {
        let page = render_to_string(Format::Html, "en", &[0, 1, 2], true);
        assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
        assert!(page.contains("default-src 'none'; style-src 'unsafe-inline'"));
        assert_eq!(page.matches("<script").count(), 0, "{page}");
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(page.contains("<h2>Alpha &amp; &lt;Omega&gt;</h2>"));
        assert!(page.contains("<h2>Idle</h2>\n<p>No tasks.</p>"));
        assert!(page.contains("<h2>All teams</h2>"));
        assert!(page.contains("<th scope=\"col\" class=\"num\">Triggered</th>"));
        for reference in ["http:", "https:", "src=\"", "href=", "@import", "url("] {
            assert!(!page.contains(reference), "{reference} in {page}");
        }
        assert!(page.trim_end().ends_with("</html>"));
    }
}
