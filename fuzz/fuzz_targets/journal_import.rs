//! `journal import` files: parsed into records or refused with the file and line named;
//! what parses imports into a journal, and importing it twice adds nothing.
#![no_main]

use std::io::Cursor;
use std::path::Path;

use jiff::civil::date;
use libfuzzer_sys::fuzz_target;
use socctl::journal::exchange::{parse_import, retractions_from_outside};
use socctl::journal::{RecordFilter, SqliteStore, Store};

fuzz_target!(|data: &[u8]| {
    let import = match parse_import(Cursor::new(data), Path::new("export.jsonl")) {
        Ok(import) => import,
        Err(error) => {
            assert!(error.to_string().starts_with("export.jsonl"), "{error:#}");
            return;
        }
    };
    let mut store = SqliteStore::in_memory(date(2026, 11, 23)).expect("an in-memory journal");
    // A retraction of a record neither earlier in the file nor in the (empty) journal: the
    // CLI refuses it before writing, and the store refuses it too, all or nothing.
    if !retractions_from_outside(&import).is_empty() {
        assert!(store.import(&import.records, &[], import.tracking_since).is_err());
        assert!(store.records(&RecordFilter::default()).expect("reading back").is_empty());
        return;
    }
    // Records may repeat an id within the file: the first one wins, the rest count as present.
    let first = store
        .import(&import.records, &[], import.tracking_since)
        .expect("importing parsed records");
    assert_eq!(first.added + first.present, import.records.len());
    let again = store.import(&import.records, &[], import.tracking_since).expect("importing again");
    assert_eq!(again.added, 0);
    let stored = store.records(&RecordFilter::default()).expect("reading back");
    assert_eq!(stored.len(), first.added);
});
