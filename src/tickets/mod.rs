//! Ticket hand-off to ServiceNow: each due occurrence of a task with `ticket: true` becomes
//! a record in a ServiceNow table (`push`), and the records closed there become `done` in
//! the journal (`pull`). One module per concern: the occurrence's correlation id
//! ([`correlation`]), the credentials ([`credentials`]), the records' shapes ([`shape`]),
//! the Table API calls ([`table`]) over a narrow [`transport`], and the two runs
//! ([`push`], [`pull`]). The CLI (`cli/tickets.rs`) reads the environment and the clock and
//! writes the journal through `socctl done`'s code.

pub mod correlation;
pub mod credentials;
pub mod pull;
pub mod push;
pub mod shape;
pub mod table;
pub mod transport;

pub use correlation::Occurrence;
pub use credentials::Credentials;
pub use table::{Table, TableError};
