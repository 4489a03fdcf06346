//! Listings: what `tasks`, `show`, `teams`, `roles`, `next`, `history`, `overdue`,
//! `explain` and `check` print, as rows of computed data. The CLI gathers the catalog (and
//! the journal), builds the rows here and hands them to [`crate::render::render_listing`],
//! which writes them in any listing format: JSON from the rows' `Serialize`, every other
//! format from their columns and cells.

pub mod accounts;
pub mod by_person;
pub mod check;
pub mod explain;
pub mod history;
pub mod next;
pub mod overdue;
pub mod people;
pub mod roles;
pub mod tasks;
pub mod teams;

use serde::Serialize;

use crate::i18n::Locale;

/// A column of a listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// The CSV header: the English name of the JSON field, so scripts read the same
    /// columns in every language (as the plan's CSV does).
    pub field: &'static str,
    /// The key of the translated header in `locales/`.
    pub header: &'static str,
    /// Whether the formats people read leave the column out when it is empty in every row
    /// (CSV keeps it, so scripts find the same columns whatever the catalog holds).
    pub optional: bool,
}

impl Column {
    /// A column named `field` in CSV, headed by the message `header`.
    pub const fn new(field: &'static str, header: &'static str) -> Self {
        Self {
            field,
            header,
            optional: false,
        }
    }

    /// A [`Column::new`] that tables, text and Markdown leave out when no row has a value.
    pub const fn optional(field: &'static str, header: &'static str) -> Self {
        Self {
            optional: true,
            ..Self::new(field, header)
        }
    }
}

/// One cell: catalog, journal or interface text, still to be made safe or escaped by the
/// renderer of each format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    /// A value on one line.
    Text(String),
    /// Items shown one a line (bulleted in tables and text, `; `-separated in CSV).
    List(Vec<String>),
}

impl Cell {
    /// A one-line cell.
    pub fn text(text: impl Into<String>) -> Self {
        Self::Text(text.into())
    }

    /// A list cell from any strings.
    pub fn list<S: AsRef<str>>(items: &[S]) -> Self {
        Self::List(items.iter().map(|s| s.as_ref().to_owned()).collect())
    }
}

/// How the rows read best as plain text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Records of the same columns: aligned columns when they fit in the text width, else
    /// a `Header: value` block per record.
    Records,
    /// One thing described field by field (`show`, `explain`): rows of a label and a
    /// value, written as `label: value` lines with the labels right-aligned.
    Fields,
}

/// A message in the render language: a key of `locales/` and its placeholders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// The message key.
    pub key: &'static str,
    /// The placeholders' values.
    pub arguments: Vec<(&'static str, String)>,
}

impl Note {
    /// A message without placeholders.
    pub fn new(key: &'static str) -> Self {
        Self {
            key,
            arguments: Vec::new(),
        }
    }

    /// Adds a placeholder's value.
    #[must_use]
    pub fn with(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.arguments.push((name, value.into()));
        self
    }

    /// The message in `locale`'s language.
    pub fn text(&self, locale: &Locale) -> String {
        let arguments: Vec<(&str, &str)> = self
            .arguments
            .iter()
            .map(|(name, value)| (*name, value.as_str()))
            .collect();
        locale.format(self.key, &arguments)
    }
}

/// Anything the listing renderers can write: serialized as it is for JSON, as columns and
/// rows of cells for every other format.
pub trait Listing: Serialize {
    /// The columns, in order.
    fn columns(&self) -> &'static [Column];
    /// The rows, one cell per column, in the render language.
    fn rows(&self, locale: &Locale) -> Vec<Vec<Cell>>;
    /// The rows for CSV: [`Listing::rows`], but with a cell that other formats show as
    /// one line of names (a task's teams) as a [`Cell::List`], so every CSV separates the
    /// items of a list the same way.
    fn csv_rows(&self, locale: &Locale) -> Vec<Vec<Cell>> {
        self.rows(locale)
    }
    /// What to say instead of an empty table.
    fn empty(&self) -> Option<&Note> {
        None
    }
    /// How the rows read as plain text.
    fn layout(&self) -> Layout {
        Layout::Records
    }
}

/// A row of a [`Rows`] listing.
pub trait Row: Serialize {
    /// The columns of every row of this kind.
    const COLUMNS: &'static [Column];
    /// This row's cells, one per column, in the render language.
    fn cells(&self, locale: &Locale) -> Vec<Cell>;
    /// This row's cells for CSV (see [`Listing::csv_rows`]).
    fn csv_cells(&self, locale: &Locale) -> Vec<Cell> {
        self.cells(locale)
    }
}

/// Rows of one kind, serialized as a JSON array, with what to say when there are none.
#[derive(Debug, Clone, Serialize)]
#[serde(transparent)]
pub struct Rows<R> {
    /// The rows, in output order.
    pub rows: Vec<R>,
    /// The message shown instead of an empty table (not in JSON or CSV, which stay
    /// machine-readable: an empty array, a header row).
    #[serde(skip)]
    pub empty: Option<Note>,
}

impl<R> Rows<R> {
    /// Rows with no message for an empty listing.
    pub fn new(rows: Vec<R>) -> Self {
        Self { rows, empty: None }
    }

    /// Sets the message shown when there are no rows.
    #[must_use]
    pub fn or_else(mut self, empty: Note) -> Self {
        self.empty = Some(empty);
        self
    }
}

impl<R: Row> Listing for Rows<R> {
    fn columns(&self) -> &'static [Column] {
        R::COLUMNS
    }

    fn rows(&self, locale: &Locale) -> Vec<Vec<Cell>> {
        self.rows.iter().map(|row| row.cells(locale)).collect()
    }

    fn csv_rows(&self, locale: &Locale) -> Vec<Vec<Cell>> {
        self.rows.iter().map(|row| row.csv_cells(locale)).collect()
    }

    fn empty(&self) -> Option<&Note> {
        self.empty.as_ref()
    }
}

/// The columns of a [`Layout::Fields`] listing.
pub const FIELD_COLUMNS: &[Column] = &[
    Column::new("field", "column_field"),
    Column::new("value", "column_value"),
];
