//! `socctl report --by-person`: one row a person, with how their occurrences ended.

use super::{Cell, Column, Note, Row, Rows};
use crate::i18n::Locale;
use crate::track::PersonTally;

impl Row for PersonTally {
    const COLUMNS: &'static [Column] = &[
        Column::new("person", "column_person"),
        Column::new("due", "column_due"),
        Column::new("on_time", "column_on_time"),
        Column::new("late", "column_late"),
        Column::new("missed", "column_missed"),
        Column::new("covered", "column_covered"),
    ];

    fn cells(&self, locale: &Locale) -> Vec<Cell> {
        let person = self
            .person
            .clone()
            .unwrap_or_else(|| locale.text("assignment_unassigned").to_owned());
        let mut cells = vec![Cell::Text(person)];
        cells.extend(
            [self.due, self.on_time, self.late, self.missed, self.covered]
                .map(|n| Cell::text(n.to_string())),
        );
        cells
    }
}

/// The rows of `report --by-person`.
pub fn by_person_rows(tallies: Vec<PersonTally>) -> Rows<PersonTally> {
    Rows::new(tallies).or_else(Note::new("report_by_person_empty"))
}
