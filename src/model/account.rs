//! What `/account` shows and what signing in answers (contract section 13).

use crate::i18n::Locale;
use serde::{Deserialize, Serialize};

/// The cookie that keeps the interface language a browser chose: written by
/// the language buttons, read by the server (leptos_i18n's default name, so
/// its server-side `cookie` feature reads the same one).
pub const LANGUAGE_COOKIE: &str = "i18n_pref_locale";

/// The language a [`LANGUAGE_COOKIE`] value names, if any.
pub fn language_of_cookie(value: &str) -> Option<Locale> {
    match value {
        "cs" => Some(Locale::cs),
        "en" => Some(Locale::en),
        _ => None,
    }
}

/// Where signing in stands after the password.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SignInStep {
    /// Signed in.
    Done,
    /// The password was right; two-step sign-in is on: "Code", "Verify".
    CodeNeeded,
    /// Signed in, but the organization requires two-step sign-in, which is
    /// not on yet: to `/account` first.
    TurnOnTwoStep,
}

/// `/account`'s data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountView {
    pub email: String,
    /// Two-step sign-in is on.
    pub two_step_on: bool,
    /// The organization requires it.
    pub two_step_required: bool,
}

/// A secret being turned on: as text (base32) and as a QR code (an SVG
/// `data:` URL rendered by the server).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enrolment {
    pub secret: String,
    pub qr_code: String,
}
