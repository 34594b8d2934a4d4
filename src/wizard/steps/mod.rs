//! One file per step of the setup wizard.

pub(crate) mod admin;
pub(crate) mod customer;
pub(crate) mod partner;
pub(crate) mod review;
pub(crate) mod role;
pub(crate) mod who;
