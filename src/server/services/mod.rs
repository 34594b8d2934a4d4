//! The flows that decide: each takes what a server function parsed, reads
//! what it decides on inside one transaction ([`crate::server::store::Write`]),
//! decides (refusals, plans), writes the emails and events that follow, and
//! commits. Storage below only reads and writes; server functions above only
//! parse, authorize and answer.

pub mod accounts;
pub mod approvals;
pub mod commit;
pub mod invitations;
pub mod links;
pub mod pass;
pub mod people;
pub mod proofs;
pub mod provisioning;
pub mod setup;
pub mod two_step;
