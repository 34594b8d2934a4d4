//! The development stand-ins, served only with the development hooks on
//! (contract section 4): `/commerce`, which places orders by hand as the
//! commerce system would, and `/mailbox`, every email the app wrote.

pub mod commerce;
pub mod mailbox;
