//! What storage returns and pages show, and the pure rules between them,
//! compiled for the browser and the server alike: one floor above the
//! domain's values, below everything that reads or writes.

pub mod account;
pub mod activity;
pub mod approval;
pub mod customers;
pub mod hub;
pub mod mailbox;
pub mod orders;
pub mod people;
pub mod service;
pub mod setup;
