//! A standalone, printable HTML page: one table of tick boxes per team, a print style sheet
//! that starts each team on a new A4 page (for `week` and `plan`), and nothing fetched from
//! the network, so the page prints the same offline, from an e-mail attachment or a file.

use std::borrow::Cow;
use std::io::{self, Write};

use super::{RenderOptions, days_of_team, format_time, plan_heading};
use crate::catalog::Catalog;
use crate::plan::{Plan, PlannedOccurrence, View};

/// The style sheet. Inline because the page must stand alone; tick boxes are drawn with a
/// border rather than a glyph such as ☐, so they print whatever fonts the printer has.
const STYLE: &str = "
@page { size: A4; margin: 15mm; }
:root { color: #000; background: #fff; font: 10pt/1.35 sans-serif; }
body { margin: 0 auto; max-width: 60rem; padding: 0 1rem; }
h1 { font-size: 15pt; margin: 0.5rem 0 1rem; }
h2 { font-size: 13pt; margin: 0 0 2mm; }
.range { display: none; margin: 0 0 1mm; font-size: 9pt; }
section.team { margin: 0 0 1.5rem; }
table { width: 100%; border-collapse: collapse; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th, td { text-align: start; vertical-align: top; padding: 1mm 1.5mm; overflow-wrap: anywhere; }
thead th { border-bottom: 0.5mm solid #000; font-size: 9pt; white-space: nowrap; }
td { border-bottom: 0.2mm solid #999; }
tbody th { padding-top: 3mm; border-bottom: 0.3mm solid #000; }
.done { width: 1%; }
.time { width: 11mm; white-space: nowrap; }
.task { width: 25%; font-family: monospace; font-size: 8.5pt; }
.cadence { width: 18%; }
.description { font-size: 8.5pt; color: #333; }
input[type=checkbox] { appearance: none; -webkit-appearance: none; display: block;
  width: 4mm; height: 4mm; margin: 0.3mm 0 0; border: 0.4mm solid #000; border-radius: 0;
  background: #fff; }
input[type=checkbox]:checked { background: #000; box-shadow: inset 0 0 0 0.8mm #fff;
  print-color-adjust: exact; -webkit-print-color-adjust: exact; }
footer { margin-top: 1rem; font-size: 8pt; color: #333; }
@media print {
  body { max-width: none; padding: 0; }
  body:not(.view-day) > header { display: none; }
  body:not(.view-day) .range { display: block; }
  body:not(.view-day) section.team + section.team { break-before: page; }
  h2, tbody th { break-after: avoid; }
}
";

/// Escapes text for HTML element content and quoted attribute values: `&`, `<`, `>`, `"` and
/// `'` become character references, so catalog text is always shown, never parsed as markup.
pub(super) fn escape(text: &str) -> Cow<'_, str> {
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
    plan: &Plan,
    options: &RenderOptions,
) -> io::Result<()> {
    let locale = &options.locale;
    let language = options.language();
    let heading = escape_owned(&plan_heading(catalog, plan, locale));
    let view = match plan.view {
        View::Day => "view-day",
        View::Week => "view-week",
        View::Range => "view-range",
    };
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
    writeln!(out, "<title>{heading}</title>")?;
    writeln!(out, "<style>{STYLE}</style>")?;
    writeln!(out, "</head>")?;
    writeln!(out, "<body class=\"{view}\">")?;
    writeln!(out, "<header><h1>{heading}</h1></header>")?;
    writeln!(out, "<main>")?;
    // A time column only when some task has a time: an empty one would take room on paper.
    let timed = plan.occurrences.iter().any(|o| o.time.is_some());
    let columns: Vec<(&str, &str)> = [
        ("done", "column_done"),
        ("time", "column_time"),
        ("task", "column_task"),
        ("title", "column_title"),
        ("cadence", "column_cadence"),
    ]
    .into_iter()
    .filter(|&(class, _)| timed || class != "time")
    .collect();
    for &team in &plan.teams {
        writeln!(out, "<section class=\"team\">")?;
        writeln!(out, "<p class=\"range\">{heading}</p>")?;
        writeln!(
            out,
            "<h2>{}</h2>",
            escape(catalog.teams[team].name_in(language))
        )?;
        let days = days_of_team(catalog, plan, team);
        if days.is_empty() {
            writeln!(out, "<p>{}</p>", escape(locale.text("nothing_due")))?;
            writeln!(out, "</section>")?;
            continue;
        }
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
        // A description is shown at a task's first row in the section only: a week would
        // otherwise repeat it on every day and no longer fit one page.
        let mut described = Vec::new();
        for (date, occurrences) in days {
            writeln!(out, "<tbody>")?;
            if plan.view != View::Day {
                writeln!(
                    out,
                    "<tr><th scope=\"rowgroup\" colspan=\"{}\">{}</th></tr>",
                    columns.len(),
                    escape(&locale.long_date(date))
                )?;
            }
            for occurrence in occurrences {
                let first = !described.contains(&occurrence.task);
                if first {
                    described.push(occurrence.task);
                }
                row(out, catalog, occurrence, options, timed, first)?;
            }
            writeln!(out, "</tbody>")?;
        }
        writeln!(out, "</table>")?;
        writeln!(out, "</section>")?;
    }
    writeln!(out, "</main>")?;
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
    writeln!(out, "</html>")?;
    Ok(())
}

/// One checklist row: tick box, time (when `timed`), task id, title with its description
/// (when `describe`), cadence.
fn row(
    out: &mut (impl Write + ?Sized),
    catalog: &Catalog,
    occurrence: &PlannedOccurrence,
    options: &RenderOptions,
    timed: bool,
    describe: bool,
) -> io::Result<()> {
    let language = options.language();
    let task = &catalog.tasks[occurrence.task];
    let title = escape(task.title_in(language));
    write!(
        out,
        "<tr><td class=\"done\"><input type=\"checkbox\" aria-label=\"{} {title}\"></td>",
        escape(options.locale.text("column_done"))
    )?;
    if timed {
        let time = occurrence.time.map(format_time).unwrap_or_default();
        write!(out, "<td class=\"time\">{time}</td>")?;
    }
    write!(out, "<td class=\"task\">{}</td>", escape(&task.id))?;
    write!(out, "<td class=\"title\">{title}")?;
    let description = task.description_in(language);
    if describe && !description.is_empty() {
        write!(
            out,
            "<div class=\"description\">{}</div>",
            escape(description)
        )?;
    }
    write!(out, "</td>")?;
    writeln!(
        out,
        "<td class=\"cadence\">{}</td></tr>",
        escape(task.cadence_in(language))
    )
}

/// [`escape`] into an owned string, for text written more than once.
fn escape_owned(text: &str) -> String {
    escape(text).into_owned()
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
    cadence: weekly on monday
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

    fn render(language: &str, view: View, teams: &[usize]) -> String {
        let from = jiff::civil::date(2026, 11, 23);
        let catalog = crate::catalog::load_sources(
            "tasks.yaml".as_ref(),
            TASKS,
            "roles.yaml".as_ref(),
            ROLES,
            from,
        )
        .catalog
        .expect("a valid catalog");
        let to = if view == View::Day {
            from
        } else {
            jiff::civil::date(2026, 11, 29)
        };
        let plan = crate::plan::plan(&catalog, from, to, teams, view).expect("a plan");
        let options = RenderOptions {
            locale: crate::i18n::Locale::new(language),
            ..RenderOptions::default()
        };
        let mut page = Vec::new();
        super::plan(&mut page, &catalog, &plan, &options).expect("rendering");
        String::from_utf8(page).expect("UTF-8")
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
            untimed.contains("<td class=\"task\">weekly</td>"),
            "{untimed}"
        );
        assert!(page.contains("敵対的な&lt;b&gt;タイトル&lt;/b&gt;"));
        assert!(page.contains("<th scope=\"col\" class=\"done\">完了</th>"));
        assert!(page.contains("<h1>2026年11月23日(月)の予定 (Asia/Tokyo)</h1>"));
        // A language code is escaped like everything else.
        let hostile = render("x\"><script>", View::Day, &[0]);
        assert!(hostile.contains("<html lang=\"x&quot;&gt;&lt;script&gt;\">"));
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
