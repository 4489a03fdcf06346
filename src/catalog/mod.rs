//! The catalog: `tasks.yaml` and `roles.yaml`, their model, loading and validation.

mod cache;
mod deadline;
mod diagnostic;
mod fields;
mod load;
mod model;
mod roles;
mod syntax;
mod tasks;
mod yaml;

pub use cache::{CacheSettings, load_valid_cached};
pub use deadline::Deadline;
pub use diagnostic::{Diagnostic, Diagnostics, Severity, escape_controls};
pub use load::{Loaded, MAX_FILE_BYTES, load, load_sources, load_valid, read_file};
pub use model::{
    Catalog, FORMAT_VERSION, Group, Task, TaskText, Team, TeamSelector, TeamText, name_key,
};
