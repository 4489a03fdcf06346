//! The catalog: `tasks.yaml` and `roles.yaml`, their model, loading and validation.

mod assignment;
mod cache;
mod channels;
mod deadline;
mod diagnostic;
mod estimate;
mod fields;
mod holidays_ics;
mod load;
mod members;
mod model;
mod roles;
mod scan;
mod servicenow;
mod syntax;
mod tasks;
mod yaml;

pub use cache::{
    CacheSettings, Compiled, DueDay, DueEntry, Opened, load_valid_cached, open_cached,
};
pub use channels::{Channel, ChannelKind, NotifySettings, REMINDER_KINDS, SecretRef};
pub use deadline::Deadline;
pub use diagnostic::{Diagnostic, Diagnostics, Severity, escape_controls};
pub use estimate::Estimate;
pub use holidays_ics::{IcsHolidays, IcsProblem, MAX_ICS_BYTES, holiday_files, parse_holidays};
pub use load::{
    CalendarSettings, Loaded, MAX_FILE_BYTES, load, load_sources, load_valid, read_file, yaml_nodes,
};
pub use model::{
    Assignment, Catalog, FORMAT_VERSION, Group, Handover, Member, Rotation, Task, TaskText, Team,
    TeamSelector, TeamText, name_key,
};
pub use roles::parse_address;
pub use servicenow::{
    PLACEHOLDERS, Piece, ServiceNow, check_instance, default_closed_states, parse_template,
    uses_placeholder,
};
pub(crate) use yaml::{suggestions, suggestions_named};

/// The shipped catalog (`"shipped"`) or a catalog of `tests/fixtures/<name>/`, loaded as of
/// 2026-11-23, for the library's unit tests.
#[cfg(test)]
pub(crate) fn fixture(name: &str) -> Catalog {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let (tasks, roles) = if name == "shipped" {
        (root.join("tasks.yaml"), root.join("roles.yaml"))
    } else {
        let dir = root.join("tests/fixtures").join(name);
        (dir.join("tasks.yaml"), dir.join("roles.yaml"))
    };
    load_valid(&tasks, &roles, jiff::civil::date(2026, 11, 23)).unwrap()
}
