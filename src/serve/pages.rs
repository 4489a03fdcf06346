//! The board's HTML, through maud (every interpolated text is escaped), rendered from the
//! same JSON the API serves, so a page and its JSON cannot disagree.

use jiff::civil::Date;
use maud::{DOCTYPE, Markup, html};
use serde_json::Value;

use crate::access::{Permission, Principal};
use crate::catalog::Catalog;

/// What every page shows around its content.
pub(super) struct Page<'c> {
    pub(super) principal: &'c Principal,
    /// The session's CSRF token, for the forms.
    pub(super) csrf: Option<&'c str>,
    /// `check`'s report of an invalid catalog edit (admins only).
    pub(super) banner: Option<String>,
    /// The teams' ids and names.
    pub(super) teams: Vec<(String, String)>,
}

fn text(value: &Value) -> &str {
    value.as_str().unwrap_or("")
}

/// Every page's head: its title and the one stylesheet.
fn head(title: &str) -> Markup {
    html! {
        head {
            meta charset="utf-8";
            meta name="viewport" content="width=device-width, initial-scale=1";
            title { (title) " · socctl" }
            link rel="stylesheet" href="/static/socctl.css";
        }
    }
}

/// A page of the board: the header (navigation, account, logout), the admins' banner,
/// the title and `body`.
fn layout(page: &Page<'_>, title: &str, body: &Markup) -> Markup {
    let account = page.principal.account();
    html! {
        (DOCTYPE)
        html lang="en" {
            (head(title))
            body {
                @if let Some(problem) = &page.banner {
                    div.banner role="alert" {
                        strong { "The catalog files have errors; the last valid catalog stays in force until they are fixed." }
                        pre { (problem) }
                    }
                }
                header {
                    nav aria-label="Board" {
                        a href="/" { "Board" }
                        a href="/report" { "Report" }
                        a href="/teams" { "Teams" }
                        @for (id, name) in &page.teams {
                            a href={ "/week/" (id) } { "Week: " (name) }
                        }
                    }
                    span { (account.name) " (" (account.role.as_str()) ")" }
                    @if let Some(csrf) = page.csrf {
                        form method="post" action="/logout" {
                            input type="hidden" name="csrf" value=(csrf);
                            button type="submit" { "Log out" }
                        }
                    }
                }
                main { h1 { (title) } (*body) }
            }
        }
    }
}

/// The recording forms of one occurrence for one team, those the principal may use.
fn forms(page: &Page<'_>, item: &Value, team: &str, back: &str) -> Markup {
    let Some(csrf) = page.csrf else {
        return html! {};
    };
    let task = text(&item["task"]);
    let occurrence = text(&item["date"]);
    let status = text(&item["status"]);
    let member = page.principal.may(&Permission::Record { team });
    let lead = page.principal.may(&Permission::Lead { team });
    let settled = matches!(status, "done" | "skipped" | "on_time" | "late");
    let hidden = html! {
        input type="hidden" name="csrf" value=(csrf);
        input type="hidden" name="task" value=(task);
        input type="hidden" name="team" value=(team);
        input type="hidden" name="occurrence" value=(occurrence);
        input type="hidden" name="back" value=(back);
    };
    html! {
        @if member && !settled && status != "upcoming" {
            form.record method="post" action="/record/done" {
                (hidden)
                label { "Note " input type="text" name="note" maxlength="500"; }
                label { "Ticket " input type="text" name="reference" maxlength="200"; }
                button type="submit" { "Done" }
            }
            form.record method="post" action="/record/skip" {
                (hidden)
                label { "Reason " input type="text" name="reason" required maxlength="500"; }
                button type="submit" { "Skip" }
            }
        }
        @if lead && settled {
            form.record method="post" action="/record/undo" {
                (hidden)
                label { "Why " input type="text" name="note" maxlength="500"; }
                button type="submit" { "Undo" }
            }
        }
    }
}

/// The assignee of `item` for `team`.
fn assignee<'v>(item: &'v Value, team: &str) -> &'v str {
    item["assignees"]
        .as_array()
        .and_then(|all| all.iter().find(|a| a["team"] == team))
        .map_or_else(|| text(&item["assignee"]), |a| text(&a["member"]))
}

fn status_cell(item: &Value) -> Markup {
    let status = item["status"].as_str().unwrap_or("untracked");
    html! {
        td class={ "status-" (status) } {
            (status.replace('_', " "))
            @if let Some(by) = item["done_by"].as_str() {
                " by " (by)
                @if let Some(at) = item["done_at"].as_str() { " on " (at) }
            }
            @if let Some(reason) = item["reason"].as_str() { br; small { (reason) } }
        }
    }
}

/// Whether an entry of `due`'s JSON is `team`'s: an entry of one team's occurrence names
/// it in `team` (a shared task whose teams' statuses differ has one entry per team); an
/// entry for all its teams at once has no `team` and lists them in `teams`.
pub(super) fn of_team(item: &Value, team: &str) -> bool {
    match item["team"].as_str() {
        Some(own) => own == team,
        None => item["teams"]
            .as_array()
            .is_some_and(|teams| teams.iter().any(|t| t == team)),
    }
}

/// Today per team: due, open, overdue, done by whom and when, the assignee, carried over.
pub(super) fn board(
    page: &Page<'_>,
    catalog: &Catalog,
    items: &Value,
    day: Date,
    only: Option<&str>,
) -> Markup {
    let items = items.as_array().map_or(&[][..], Vec::as_slice);
    let back = match only {
        Some(team) => format!("/?team={team}"),
        None => "/".to_owned(),
    };
    let body = html! {
        p { "Due on " (day.to_string()) ", per team, with the work carried over from earlier days." }
        @for team in &catalog.teams {
            @let mine: Vec<&Value> = items.iter().filter(|item| of_team(item, &team.id)).collect();
            @if only.is_none_or(|o| o == team.id) {
                section.team aria-labelledby={ "team-" (team.id) } {
                    h2 id={ "team-" (team.id) } { (team.name) }
                    @if mine.is_empty() {
                        p { "Nothing due." }
                    } @else {
                        table {
                            thead { tr { th scope="col" { "Task" } th scope="col" { "Due" } th scope="col" { "Status" } th scope="col" { "Assignee" } th scope="col" { "Record" } } }
                            tbody {
                                @for item in &mine {
                                    tr {
                                        td {
                                            a href={ "/task/" (text(&item["task"])) } { (text(&item["title"])) }
                                            @if item["date"].as_str().and_then(crate::calendar::parse_date).is_some_and(|d| d < day) {
                                                " " span.carried { "carried over" }
                                            }
                                        }
                                        td { (text(&item["date"])) @if let Some(end) = item["window_end"].as_str() { " – " (end) } }
                                        (status_cell(item))
                                        td { (assignee(item, &team.id)) }
                                        td { (forms(page, item, &team.id, &back)) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    layout(page, "Today", &body)
}

/// One team's week.
pub(super) fn week(page: &Page<'_>, catalog: &Catalog, team: &str, items: &Value) -> Markup {
    let name = catalog
        .teams
        .iter()
        .find(|t| t.id == team)
        .map_or(team, |t| t.name.as_str());
    let items = items.as_array().map_or(&[][..], Vec::as_slice);
    let back = format!("/week/{team}");
    let body = html! {
        table {
            thead { tr { th scope="col" { "Day" } th scope="col" { "Task" } th scope="col" { "Status" } th scope="col" { "Assignee" } th scope="col" { "Record" } } }
            tbody {
                @for item in items {
                    tr {
                        td { (text(&item["date"])) }
                        td { a href={ "/task/" (text(&item["task"])) } { (text(&item["title"])) } }
                        (status_cell(item))
                        td { (assignee(item, team)) }
                        td { (forms(page, item, team, &back)) }
                    }
                }
            }
        }
    };
    layout(page, &format!("Week of {name}"), &body)
}

/// The trigger form of an as-needed task, for each of its teams the principal leads.
fn trigger_forms(page: &Page<'_>, show: &Value) -> Markup {
    let Some(csrf) = page.csrf else {
        return html! {};
    };
    if show["as_needed"] != true {
        return html! {};
    }
    let task = text(&show["id"]);
    let back = format!("/task/{task}");
    html! {
        @for team in show["teams"].as_array().into_iter().flatten().filter_map(Value::as_str) {
            @if page.principal.may(&Permission::Lead { team }) {
                form.record method="post" action="/record/trigger" {
                    input type="hidden" name="csrf" value=(csrf);
                    input type="hidden" name="task" value=(task);
                    input type="hidden" name="team" value=(team);
                    input type="hidden" name="back" value=(back);
                    label { "Reason " input type="text" name="reason" required maxlength="500"; }
                    label { "Ticket " input type="text" name="reference" maxlength="200"; }
                    button type="submit" { "Trigger for " (team) }
                }
            }
        }
    }
}

/// One task: description, cadence in words, next dates, history.
pub(super) fn task(page: &Page<'_>, show: &Value, next: &Value, history: &Value) -> Markup {
    let title = text(&show["title"]).to_owned();
    let body = html! {
        (trigger_forms(page, show))
        p { (text(&show["description"])) }
        dl {
            dt { "Cadence" } dd { (text(&show["cadence"])) }
            dt { "Teams" } dd { @for t in show["teams"].as_array().into_iter().flatten() { (text(t)) " " } }
            dt { "Deadline" } dd { (text(&show["deadline"])) }
        }
        h2 { "Next dates" }
        ul { @for n in next.as_array().into_iter().flatten() { li { (text(&n["date"])) @if let Some(time) = n["time"].as_str() { " " (time) } } } }
        h2 { "History" }
        @if history.as_array().is_none_or(Vec::is_empty) {
            p { "No records yet." }
        } @else {
            table {
                thead { tr { th scope="col" { "Occurrence" } th scope="col" { "Team" } th scope="col" { "Action" } th scope="col" { "On" } th scope="col" { "By" } th.wide scope="col" { "Note" } th.wide scope="col" { "Ticket" } } }
                tbody {
                    @for r in history.as_array().into_iter().flatten() {
                        tr {
                            td { (text(&r["occurrence"])) }
                            td { (text(&r["team"])) }
                            td { (text(&r["action"])) }
                            td { (text(&r["on"])) }
                            td { (text(&r["by"])) }
                            td.wide { (text(&r["note"])) }
                            td.wide { (text(&r["ref"])) }
                        }
                    }
                }
            }
        }
    };
    layout(page, &title, &body)
}

/// The teams and their roles.
pub(super) fn teams(page: &Page<'_>, teams: &Value, roles: &Value) -> Markup {
    let body = html! {
        @for team in teams.as_array().into_iter().flatten() {
            @let id = text(&team["id"]);
            section.team {
                h2 { (text(&team["name"])) }
                p { "Tasks: " @for t in team["tasks"].as_array().into_iter().flatten() { a href={ "/task/" (text(t)) } { (text(t)) } " " } }
                @if let Some(role) = roles.as_array().into_iter().flatten().find(|r| r["team"] == id) {
                    ul { @for r in role["responsibilities"].as_array().into_iter().flatten() { li { (text(r)) } } }
                }
            }
        }
    };
    layout(page, "Teams and roles", &body)
}

/// Completion as a percentage, or a dash.
fn rate(value: &Value) -> String {
    value
        .as_f64()
        .map_or_else(|| "–".to_owned(), |r| format!("{:.0}%", r * 100.0))
}

/// The report: `socctl report`'s numbers and a chart of completion per team per week.
pub(super) fn report(page: &Page<'_>, report: &Value, weeks: &[(Date, Value)]) -> Markup {
    let teams = report["teams"].as_array().map_or(&[][..], Vec::as_slice);
    let body = html! {
        p { "From " (text(&report["from"])) " to " (text(&report["to"])) "." }
        table {
            thead { tr {
                th scope="col" { "Team" } th scope="col" { "Due" } th scope="col" { "On time" } th scope="col" { "Late" }
                th scope="col" { "Skipped" } th scope="col" { "Missed" } th scope="col" { "Open" } th scope="col" { "Completion" }
            } }
            tbody {
                @for t in teams {
                    tr {
                        td { (text(&t["name"])) }
                        td { (t["due"]) } td { (t["on_time"]) } td { (t["late"]) }
                        td { (t["skipped"]) } td { (t["missed"]) } td { (t["open"]) }
                        td { (rate(&t["completion_rate"])) }
                    }
                }
            }
        }
        h2 { "Completion per team per week" }
        (chart(weeks))
    };
    layout(page, "Report", &body)
}

/// Grouped bars: one group per week, one bar per team, height = completion rate.
fn chart(weeks: &[(Date, Value)]) -> Markup {
    let names: Vec<String> = weeks
        .first()
        .and_then(|(_, w)| w["teams"].as_array())
        .map(|teams| teams.iter().map(|t| text(&t["name"]).to_owned()).collect())
        .unwrap_or_default();
    let (height, top, group) = (160.0_f64, 10.0_f64, 90.0_f64);
    let bar = (group - 10.0) / f64::from(names.len().max(1) as u32);
    let width = 40.0 + group * f64::from(weeks.len() as u32);
    html! {
        svg role="img" aria-label="Completion rate per team per week" width=(width) height=(height + 40.0) viewBox={ "0 0 " (width) " " (height + 40.0) } {
            title { "Completion rate per team per week" }
            line x1="35" y1=(top + height) x2=(width) y2=(top + height) stroke="currentColor" {}
            text x="0" y=(top + 8.0) { "100%" }
            text x="0" y=(top + height) { "0%" }
            @for (w, (start, week)) in weeks.iter().enumerate() {
                @let x0 = 40.0 + group * f64::from(w as u32);
                @for (i, team) in week["teams"].as_array().into_iter().flatten().enumerate() {
                    @if let Some(r) = team["completion_rate"].as_f64() {
                        rect class={ "bar" (i % 6) } x=(x0 + bar * f64::from(i as u32)) y=(top + height * (1.0 - r)) width=(bar - 1.0) height=(height * r) {
                            title { (text(&team["name"])) ", week of " (start.to_string()) ": " (rate(&team["completion_rate"])) }
                        }
                    }
                }
                text x=(x0) y=(top + height + 15.0) { (start.strftime("%m-%d").to_string()) }
            }
        }
        p.legend { @for (i, name) in names.iter().enumerate() { span { span class={ "swatch sw" (i % 6) } {} (name) } } }
    }
}

/// The admin page: the catalog's state.
pub(super) fn admin(page: &Page<'_>, problem: Option<&str>) -> Markup {
    let body = html! {
        @match problem {
            Some(problem) => { p.error { "The catalog files have errors (the last valid catalog is in force):" } pre { (problem) } }
            None => { p { "The catalog files are valid and in force." } }
        }
    };
    layout(page, "Administration", &body)
}

/// A page of its own, without the board's header (login, errors).
fn bare(title: &str, body: &Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            (head(title))
            body { main { (*body) } }
        }
    }
}

/// The login page.
pub(super) fn login(csrf: &str, message: Option<&str>) -> Markup {
    let body = html! {
        h1 { "Log in to the SOC board" }
        @if let Some(message) = message { p.error role="alert" { (message) } }
        form method="post" action="/login" {
            input type="hidden" name="csrf" value=(csrf);
            label for="name" { "Name" }
            input id="name" type="text" name="name" autocomplete="username" required;
            label for="password" { "Password" }
            input id="password" type="password" name="password" autocomplete="current-password" required;
            p { button type="submit" { "Log in" } }
        }
    };
    bare("Log in", &body)
}

/// A page saying what went wrong.
pub(super) fn error(message: &str) -> Markup {
    let body = html! {
        h1 { "Not done" }
        p.error role="alert" { (message) }
        p { a href="/" { "Back to the board" } }
    };
    bare("Refused", &body)
}
