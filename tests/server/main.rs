//! Server tests: the whole app started on port 0 with a fresh SQLite file.
//! One test binary (not one per file): each links the whole app, and Leptos'
//! view types make that large.
#![cfg(feature = "ssr")]

mod activity;
mod backup;
mod changes;
mod customers;
mod emails;
mod hardening;
mod helpers;
mod hub;
mod identity;
mod language;
mod lifecycle;
mod operations;
mod orders_api;
mod organizations;
mod outbox_smtp;
mod rotation;
mod scheduler;
mod service;
mod sessions;
mod setup_wizard;
#[path = "../common/smtp_sink.rs"]
mod smtp_sink;
mod startup;
mod two_step;
mod webhooks;
