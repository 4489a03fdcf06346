//! CSV plans: whatever the catalog text, the output parses as RFC 4180 with the header's
//! field count in every record, one record an occurrence, and each cell reads back as the
//! catalog's text (formula-neutralized).
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use socctl::render::{CSV_HEADER, Format, neutralize_formula, render_plan};

fuzz_target!(|data: &[u8]| {
    let Some(case) = common::case(data) else {
        return;
    };
    let teams = [0, 1];
    let plan = case.plan(&teams);
    let mut out = Vec::new();
    render_plan(&mut out, &case.catalog, &plan, Format::Csv, &case.options).expect("rendering");
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(out.as_slice());
    let header = reader.headers().expect("a header row").clone();
    assert_eq!(header.iter().collect::<Vec<_>>(), CSV_HEADER);
    let language = case.options.language();
    let mut count = 0;
    for (record, occurrence) in reader.records().zip(&plan.occurrences) {
        let record = record.expect("a well-formed record");
        assert_eq!(record.len(), CSV_HEADER.len(), "{record:?}");
        let task = &case.catalog.tasks[occurrence.task];
        assert_eq!(&record[2], task.id);
        assert_eq!(&record[3], neutralize_formula(task.title_in(language)));
        assert_eq!(
            &record[8],
            neutralize_formula(task.description_in(language))
        );
        count += 1;
    }
    assert_eq!(count, plan.occurrences.len());
    // Nothing after the last record.
    assert!(reader.records().next().is_none());
});
