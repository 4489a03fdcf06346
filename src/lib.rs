//! socctl: a scheduler for the recurring maintenance work of a security operations center.
//!
//! The pipeline is parse → resolve → compute → render: [`catalog`] loads and validates the
//! YAML files, [`cadence`] turns each task's cadence into dates in a [`calendar::Calendar`],
//! [`plan`] collects the occurrences for a date range, [`track`] holds them against the
//! [`journal`]'s records (statuses, what a record settles, the completion report),
//! [`listing`] builds the rows of the listings, and [`render`] writes any of them out in
//! every format. [`cli`] is the only place that reads the clock, the environment or the
//! arguments.

pub mod access;
pub mod cadence;
pub mod calendar;
pub mod catalog;
pub mod cli;
mod codec;
pub mod config;
pub mod http;
pub mod i18n;
pub mod journal;
pub mod listing;
pub mod notify;
pub mod people;
pub mod plan;
pub mod render;
pub mod serve;
pub mod tickets;
pub mod track;
