//! What `due`, `week` and `plan` have in common: load, select teams, plan a range, render.

use std::io::Write;

use jiff::civil::Date;

use super::{ChecklistArgs, Context, UsageError};
use crate::catalog::Catalog;
use crate::journal::status::tracking_floor;
use crate::journal::{RecordFilter, Store};
use crate::plan::{View, apply_journal, plan};

/// Plans the range that `range` picks in the loaded catalog and writes it in the chosen
/// format; with `--quiet-if-empty`, writes nothing when nothing is due.
pub fn run(
    context: &Context,
    args: &ChecklistArgs,
    view: View,
    range: impl FnOnce(&Catalog) -> anyhow::Result<(Date, Date)>,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let catalog = context.catalog()?;
    let teams = context.teams(&catalog, args.team.as_deref())?;
    let (from, to) = range(&catalog)?;
    let mut plan = plan(&catalog, from, to, &teams, view).map_err(|e| UsageError(e.to_string()))?;
    if let Some(store) = context.journal_for_reading()? {
        let tracking_start = store.tracking_start()?;
        // Only the plan's tasks, and only occurrences tracking can reach: an index range each.
        let filter = RecordFilter {
            tasks: catalog
                .tasks
                .iter()
                .filter(|t| t.teams.iter().any(|x| plan.teams.contains(x)))
                .map(|t| t.id.clone())
                .collect(),
            occurrences_from: Some(tracking_floor(&catalog, tracking_start)),
            ..RecordFilter::default()
        };
        let records = store.records(&filter)?;
        apply_journal(
            &mut plan,
            &catalog,
            &records,
            tracking_start,
            context.today(&catalog)?,
        );
    }
    if args.quiet_if_empty && plan.occurrences.is_empty() && plan.carried.is_empty() {
        return Ok(());
    }
    super::mail::write_plan(context, &catalog, &plan, &args.mail, out)
}
