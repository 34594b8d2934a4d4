//! The server side below the pages: configuration, storage, background work,
//! emails, sessions, the access decision and the order API. The router that
//! serves it all with the app is one floor up, in [`crate::serve`].

pub mod access;
pub mod activity_csv;
pub mod api;
pub mod auth;
pub mod config;
pub mod customers_csv;
pub mod dev;
pub mod guard;
pub mod hashing;
pub mod mail;
pub mod metrics;
pub mod queue;
pub mod scheduler;
pub mod services;
pub mod state;
pub mod store;
pub mod throttle;
pub mod tokens;
pub mod two_step;
pub mod webhooks;
