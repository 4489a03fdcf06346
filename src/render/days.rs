//! Where the occurrences a renderer writes come from: a finished [`Plan`], or computed a
//! day at a time by [`crate::plan::stream`] while they are written, so that a century of a
//! large catalog never sits in memory in any format. Either way a renderer sees the same
//! days in the same order, and writes the same bytes.

use std::io;

use jiff::civil::Date;

use super::occurrences_of_team;
use crate::catalog::Catalog;
use crate::plan::{Plan, PlannedOccurrence, stream};

/// A plan's occurrences, as a renderer reads them.
pub(crate) struct Days<'a> {
    catalog: &'a Catalog,
    /// The range, view, teams and carried-over work; its occurrences unless `streamed`.
    plan: &'a Plan,
    /// Whether the occurrences are computed as they are read (`plan.occurrences` is empty).
    streamed: bool,
}

impl<'a> Days<'a> {
    /// The occurrences of a finished plan.
    pub(crate) fn of(catalog: &'a Catalog, plan: &'a Plan) -> Self {
        Self {
            catalog,
            plan,
            streamed: false,
        }
    }

    /// The occurrences of `frame`'s range and teams, computed a day at a time each time
    /// they are read; `frame` holds no occurrences.
    pub(crate) fn streamed(catalog: &'a Catalog, frame: &'a Plan) -> Self {
        Self {
            catalog,
            plan: frame,
            streamed: true,
        }
    }

    /// The plan: range, view, teams and carried-over work (and, unless streamed, the
    /// occurrences themselves, which renderers read through `self`).
    pub(crate) fn plan(&self) -> &'a Plan {
        self.plan
    }

    /// Calls `write` for each day on which `team` has occurrences, with them, in order.
    pub(crate) fn of_team(
        &self,
        team: usize,
        mut write: impl FnMut(Date, &[&PlannedOccurrence]) -> io::Result<()>,
    ) -> io::Result<()> {
        if self.streamed {
            let plan = self.plan;
            // The plan of one team holds exactly the occurrences of the tasks it owns.
            return stream(self.catalog, plan.from, plan.to, &[team], |day| {
                match day.first() {
                    Some(first) => write(first.date, &day.iter().collect::<Vec<_>>()),
                    None => Ok(()),
                }
            });
        }
        let mut day: Vec<&PlannedOccurrence> = Vec::new();
        for occurrence in occurrences_of_team(self.catalog, self.plan, team) {
            if let Some(first) = day.first()
                && first.date != occurrence.date
            {
                write(first.date, &day)?;
                day.clear();
            }
            day.push(occurrence);
        }
        match day.first() {
            Some(first) => write(first.date, &day),
            None => Ok(()),
        }
    }

    /// Calls `write` with every occurrence of the plan, in order, a day or more at a time.
    pub(crate) fn all(
        &self,
        mut write: impl FnMut(&[PlannedOccurrence]) -> io::Result<()>,
    ) -> io::Result<()> {
        if self.streamed {
            let plan = self.plan;
            stream(self.catalog, plan.from, plan.to, &plan.teams, |day| {
                if day.is_empty() { Ok(()) } else { write(day) }
            })
        } else {
            write(&self.plan.occurrences)
        }
    }

    /// Whether any occurrence has a time of day.
    pub(crate) fn any_timed(&self) -> bool {
        if !self.streamed {
            return self.plan.occurrences.iter().any(|o| o.time.is_some());
        }
        let plan = self.plan;
        // Stops at the first day with a timed occurrence.
        stream(self.catalog, plan.from, plan.to, &plan.teams, |day| {
            if day.iter().any(|o| o.time.is_some()) {
                Err(())
            } else {
                Ok(())
            }
        })
        .is_err()
    }
}

#[cfg(test)]
mod tests {

    use jiff::civil::date;

    use super::super::{
        CsvDelimiter, CsvSettings, Format, RenderOptions, render_plan, stream_plan,
    };
    use crate::i18n::Locale;
    use crate::plan::{View, plan};

    use crate::catalog::fixture;

    #[test]
    fn streamed_plans_are_the_same_bytes_as_whole_ones() {
        // `people` names assignees and rotations (their entries are written whole),
        // `zones` keeps team calendars (its plans are not streamed by position).
        for name in ["shipped", "ics", "timed", "people", "zones"] {
            let catalog = fixture(name);
            let every_team: Vec<usize> = (0..catalog.teams.len()).collect();
            let ranges = [
                (date(2026, 1, 1), date(2026, 12, 31)),
                (date(2026, 3, 28), date(2026, 3, 30)),
                (date(2026, 11, 23), date(2026, 11, 23)),
                (date(9999, 12, 1), date(9999, 12, 31)),
            ];
            for (from, to) in ranges {
                for teams in [every_team.clone(), vec![every_team.len() - 1]] {
                    for format in [
                        Format::Text,
                        Format::Markdown,
                        Format::Csv,
                        Format::Html,
                        Format::Json,
                    ] {
                        let semicolon = CsvSettings {
                            delimiter: CsvDelimiter::Semicolon,
                            bom: true,
                        };
                        let csv = CsvSettings::default();
                        let variants: &[(&str, CsvSettings)] = match format {
                            Format::Csv => &[("en", csv), ("ja", csv), ("en", semicolon)],
                            _ => &[("en", csv), ("ja", csv)],
                        };
                        for &(language, csv) in variants {
                            let options = RenderOptions {
                                locale: Locale::new(language),
                                csv,
                                ..RenderOptions::default()
                            };
                            let whole = plan(&catalog, from, to, &teams, View::Range).unwrap();
                            let mut expected = Vec::new();
                            render_plan(&mut expected, &catalog, &whole, format, &options).unwrap();
                            let mut streamed = Vec::new();
                            stream_plan(
                                &mut streamed,
                                &catalog,
                                (from, to),
                                &teams,
                                format,
                                &options,
                            )
                            .unwrap();
                            assert!(
                                expected == streamed,
                                "{name} {from}..{to} {teams:?} {format:?} {language}"
                            );
                        }
                    }
                }
            }
        }
    }
}
