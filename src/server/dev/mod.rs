//! What only development runs: the demo data of `make run` and the hooks of
//! contract section 4 (`/api/dev/*`: the mailbox, the clock, a scheduler
//! pass). Production refuses both (`config.rs`).

pub mod demo;
pub mod hooks;
