//! One way for a form to talk to its server function: checked in the
//! browser first (the same rules the server runs again), busy while the
//! call runs (a second press does nothing), field errors beside their fields
//! (`role="alert"`, `aria-invalid`), anything else in one banner.

use crate::components::domain_error_text;
use crate::error::{AppError, FieldError};
use crate::i18n::*;
use leptos::prelude::*;
use std::future::Future;

/// A form's state: its field errors, its banner and whether it is busy.
#[derive(Clone, Copy)]
pub struct Form {
    /// The fields' errors, from the browser's check or the server's answer.
    pub errors: RwSignal<Vec<FieldError>>,
    /// An error that belongs to no field.
    pub banner: RwSignal<Option<AppError>>,
    /// A call is on its way.
    pub busy: RwSignal<bool>,
}

impl Default for Form {
    fn default() -> Self {
        Self::new()
    }
}

impl Form {
    pub fn new() -> Self {
        Form {
            errors: RwSignal::new(Vec::new()),
            banner: RwSignal::new(None),
            busy: RwSignal::new(false),
        }
    }

    /// The message of `field`'s error, in the page's language.
    pub fn message(self, field: &'static str) -> Signal<Option<String>> {
        let i18n = use_i18n();
        Signal::derive(move || {
            self.errors.with(|errors| {
                errors
                    .iter()
                    .find(|e| e.field == field)
                    .map(|e| domain_error_text(i18n, &e.error))
            })
        })
    }

    /// `aria-invalid` of `field`'s input.
    pub fn invalid(self, field: &'static str) -> impl Fn() -> &'static str + Copy {
        move || {
            if self.errors.with(|e| e.iter().any(|e| e.field == field)) {
                "true"
            } else {
                "false"
            }
        }
    }

    /// The browser's check of what is about to be sent: its value, or its
    /// field errors shown and nothing sent.
    pub fn check<T>(self, checked: Result<T, Vec<FieldError>>) -> Option<T> {
        match checked {
            Ok(value) => {
                self.errors.set(Vec::new());
                Some(value)
            }
            Err(found) => {
                self.errors.set(found);
                None
            }
        }
    }

    /// Whether a call is on its way (a press now does nothing).
    pub fn is_busy(self) -> bool {
        self.busy.get_untracked()
    }

    /// Sends `call` unless one is on its way: clears the errors, marks the
    /// form busy, then hands a success to `done`, puts field errors beside
    /// their fields and anything else in the banner.
    pub fn send<T, F>(self, call: F, done: impl FnOnce(T) + 'static)
    where
        T: 'static,
        F: Future<Output = Result<T, AppError>> + 'static,
    {
        if self.busy.get_untracked() {
            return;
        }
        self.errors.set(Vec::new());
        self.banner.set(None);
        self.busy.set(true);
        leptos::task::spawn_local(async move {
            let result = call.await;
            self.busy.set(false);
            match result {
                Ok(value) => done(value),
                Err(AppError::Invalid(found)) => self.errors.set(found),
                Err(error) => self.banner.set(Some(error)),
            }
        });
    }
}
