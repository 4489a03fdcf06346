//! JSON output: serde on the same data the other formats show.

use std::io::{self, Write};

use serde::Serialize;

use super::{OccurrenceRecord, RenderOptions};
use crate::catalog::Catalog;
use crate::plan::Plan;

/// Writes any serializable value as pretty JSON followed by a newline.
pub fn write_json(out: &mut (impl Write + ?Sized), value: &impl Serialize) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value).map_err(io::Error::other)?;
    writeln!(out)
}

pub(super) fn plan(
    out: &mut (impl Write + ?Sized),
    catalog: &Catalog,
    plan: &Plan,
    options: &RenderOptions,
) -> io::Result<()> {
    let records: Vec<OccurrenceRecord<'_>> = plan
        .occurrences
        .iter()
        .map(|o| OccurrenceRecord::new(catalog, o, options))
        .collect();
    write_json(out, &records)
}
