//! Tamper evidence for the audit trail: access events and staff actions are sealed in batches
//! into a hash chain per area, with a Merkle root per batch (as certificate transparency logs
//! do), so any later edit, deletion, insertion or reordering made directly in the database is
//! found by `scr-portal audit verify`. Sealing is a job every instance runs (a batch is sealed
//! once, whoever gets there first); ingest does not wait for it. The README's "Tamper
//! evidence" says what this proves and what it does not.

pub mod chain;
pub mod seal;
pub mod verify;

pub use seal::seal;
pub use verify::{verify, Problem, Report, Scope};
