//! Task ids, team names and languages as typed on the command line, resolved against the
//! catalog. An unknown one is a usage error (exit 2) that lists the known ones and names the
//! nearest, with the suggestion function `check` uses for catalog references.

use super::{Context, UsageError};
use crate::catalog::{Catalog, Task, TeamSelector, suggestions, suggestions_named};
use crate::config::Language;

/// `\n  hint: did you mean `a`?` (or `a` or `b`), or nothing when no name is near.
pub(super) fn did_you_mean(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [only] => format!("\n  hint: did you mean `{only}`?"),
        [first @ .., last] => format!(
            "\n  hint: did you mean {} or `{last}`?",
            first
                .iter()
                .map(|name| format!("`{name}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// The task `id` names (exact, then case-insensitive).
pub(super) fn task<'c>(catalog: &'c Catalog, id: &str) -> Result<&'c Task, UsageError> {
    catalog
        .task(id)
        .ok_or_else(|| unknown_task(catalog, id, &[]))
}

/// The tasks `ids` name, in order; every task when `ids` is empty.
pub(super) fn tasks<'c>(catalog: &'c Catalog, ids: &[String]) -> Result<Vec<&'c Task>, UsageError> {
    if ids.is_empty() {
        return Ok(catalog.tasks.iter().collect());
    }
    ids.iter().map(|id| task(catalog, id)).collect()
}

/// The error for an unknown task id: the catalog's tasks, and the nearest of them and of
/// `also` (ids known elsewhere, such as the journal's).
pub(super) fn unknown_task(catalog: &Catalog, id: &str, also: &[&str]) -> UsageError {
    let known: Vec<&str> = catalog.tasks.iter().map(|t| t.id.as_str()).collect();
    let near = suggestions(id, known.iter().chain(also).copied());
    UsageError(format!(
        "unknown task `{id}`; tasks: {}{}",
        known.join(", "),
        did_you_mean(&near)
    ))
}

/// The id of the member `name` names (`flag` says where it was given): their id, exactly
/// or ignoring case, or their full name ignoring case.
pub(super) fn person<'c>(
    catalog: &'c Catalog,
    name: &str,
    flag: &str,
) -> Result<&'c str, UsageError> {
    let members = || catalog.teams.iter().flat_map(|t| &t.members);
    let wanted = name.trim();
    if let Some(member) = members()
        .find(|m| m.id == wanted)
        .or_else(|| members().find(|m| m.id.eq_ignore_ascii_case(wanted)))
        .or_else(|| members().find(|m| m.name.to_lowercase() == wanted.to_lowercase()))
    {
        return Ok(&member.id);
    }
    let mut known: Vec<&str> = members().map(|m| m.id.as_str()).collect();
    known.sort_unstable();
    known.dedup();
    if known.is_empty() {
        return Err(UsageError(format!(
            "unknown member `{name}` in {flag}: roles.yaml lists no members; add `members` to a team (see docs/people.md)"
        )));
    }
    let forms: Vec<(&str, &str)> = members()
        .flat_map(|m| {
            [
                (m.id.as_str(), m.id.as_str()),
                (m.name.as_str(), m.id.as_str()),
            ]
        })
        .collect();
    let mut near = suggestions_named(name, &forms);
    if near.is_empty() {
        // `max` for `max-monitor`: ids are often a first name and more.
        let lower = wanted.to_lowercase();
        near = known
            .iter()
            .copied()
            .filter(|id| !lower.is_empty() && id.starts_with(&lower))
            .collect();
    }
    Err(UsageError(format!(
        "unknown member `{name}` in {flag}; members: {}{}",
        known.join(", "),
        did_you_mean(&near)
    )))
}

/// The team or group `name` names (its id, name or an alias, case-insensitive).
pub(super) fn team(catalog: &Catalog, name: &str) -> Result<TeamSelector, UsageError> {
    catalog.find_team(name).ok_or_else(|| {
        let known: Vec<String> = catalog
            .teams
            .iter()
            .map(|t| format!("{} ({})", t.id, t.name))
            .collect();
        let everyone: Vec<usize> = (0..catalog.teams.len()).collect();
        UsageError(format!(
            "unknown team `{name}`; teams: {}{}",
            known.join(", "),
            did_you_mean(&nearest_teams(catalog, name, &everyone, true))
        ))
    })
}

/// The ids of the teams of `among` (and, with `groups`, of the groups) whose id, name or
/// alias is nearest to `name`.
pub(super) fn nearest_teams<'c>(
    catalog: &'c Catalog,
    name: &str,
    among: &[usize],
    groups: bool,
) -> Vec<&'c str> {
    let mut forms: Vec<(&str, &str)> = Vec::new();
    for team in among.iter().map(|&index| &catalog.teams[index]) {
        forms.extend(
            [team.id.as_str(), team.name.as_str()]
                .into_iter()
                .chain(team.aliases.iter().map(String::as_str))
                .map(|form| (form, team.id.as_str())),
        );
    }
    if groups {
        for group in &catalog.groups {
            forms.extend(
                [group.id.as_str(), group.name.as_str()]
                    .into_iter()
                    .chain(group.aliases.iter().map(String::as_str))
                    .map(|form| (form, group.id.as_str())),
            );
        }
    }
    suggestions_named(name, &forms)
}

/// The code of the language to use (see [`crate::config::language`]): one socctl has words
/// for, the locale's, or one named outright that the catalog has text in (read here, and
/// kept for the command); anything else is a usage error listing the languages.
pub(super) fn language(context: &Context, asked: Language) -> Result<String, UsageError> {
    let (given, code) = match asked {
        Language::Code(code) => return Ok(code),
        Language::Unknown { given, code } => (given, code),
    };
    // A catalog that cannot be read (or is not there) has no languages to offer.
    let catalog = context.catalog().ok();
    let mut translated: Vec<&str> = catalog.iter().flat_map(catalog_languages).collect();
    translated.sort_unstable();
    translated.dedup();
    if let Some(code) = &code {
        let primary = code.split('-').next().unwrap_or_default();
        if translated.iter().any(|t| t == code || *t == primary) {
            let code = code.clone();
            context.keep_catalog(catalog);
            return Ok(code);
        }
    }
    let also = if translated.is_empty() {
        String::new()
    } else {
        format!("; the catalog's text is also in {}", translated.join(", "))
    };
    let known = format!(
        "socctl's languages: {}{also}",
        crate::i18n::built_in_codes().join(", ")
    );
    Err(UsageError(format!(
        "unknown language `{given}` in --lang (or SOCCTL_LANG); {known} (a locale such as \
         ja_JP.UTF-8 or fr-CA names its language){}",
        did_you_mean(&crate::i18n::nearest_languages(&given, &translated))
    )))
}

/// The languages a catalog's tasks and teams have translations in.
fn catalog_languages(catalog: &Catalog) -> impl Iterator<Item = &str> {
    catalog
        .tasks
        .iter()
        .flat_map(|task| task.translations.keys())
        .chain(
            catalog
                .teams
                .iter()
                .flat_map(|team| team.translations.keys()),
        )
        .map(String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn did_you_mean_names_one_or_several() {
        assert_eq!(did_you_mean(&[]), "");
        assert_eq!(did_you_mean(&["a"]), "\n  hint: did you mean `a`?");
        assert_eq!(
            did_you_mean(&["a", "b", "c"]),
            "\n  hint: did you mean `a`, `b` or `c`?"
        );
    }
}
