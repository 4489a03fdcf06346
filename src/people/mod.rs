//! Who does a task's occurrence: the members of its team, a fixed assignee or a rotation.
//!
//! Assignments are a pure function of the catalog, the journal's cover records (see
//! [`Cover`]) and the occurrence: the same on every machine and in every command.
//!
//! A rotation walks its handover slots in order from its anchor; each slot goes to the next
//! member, in rotation order after the previous slot's holder, who is a member on the
//! slot's day. A slot's holder therefore depends only on the memberships of that slot and
//! the ones before it: adding a member (`since`) or removing one (`until`) changes who holds
//! later slots, never earlier ones. An occurrence whose slot holder is not a member on the
//! occurrence's own day (they left mid-slot) goes to the next member in rotation order who
//! is, without moving the rotation.

mod rota;

pub use rota::{
    Assigner, Cover, HORIZON_DAYS, Rota, Turn, Who, assignee_of, keep_assigned, next_assignments,
    plan_assignees,
};
