//! The setup wizard's state in the browser: the draft, the errors of the
//! last "Next", the live checks and what step 2 asks to prove an address.

use super::{check_admin, check_setter};
use crate::components::{domain_error_text, sleep_ms};
use crate::domain::EmailAddress;
use crate::error::{AppError, FieldError};
use crate::i18n::*;
use crate::model::setup::{
    self as machine, CustomerOrgCase, Draft, Proof, Role, SetterAnswer, SetupContext, WhoSetsUp,
};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// What step 2 asks for to prove "Your email address" (contract section
/// 11), for the address it asks about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Proving {
    /// Nothing asked.
    Nothing,
    /// A user with a password: "Password" and "Sign in".
    SignIn(String),
    /// A code was emailed: "Verification code" and "Verify".
    Code(String),
}

/// The wizard's state: the draft, the errors of the last "Next", and the
/// live checks. Nothing of it leaves the browser before the commit.
#[derive(Clone, Copy)]
pub(crate) struct WizardState {
    pub ctx: StoredValue<SetupContext>,
    pub token: StoredValue<String>,
    pub draft: RwSignal<Draft>,
    pub errors: RwSignal<Vec<FieldError>>,
    pub banner: RwSignal<Option<AppError>>,
    pub busy: RwSignal<bool>,
    pub checking: RwSignal<bool>,
    pub check_generation: StoredValue<u64>,
    pub check_pending: StoredValue<bool>,
    pub proving: RwSignal<Proving>,
    /// What proving said last ("code sent", "confirmed"), announced.
    pub proof_notice: RwSignal<Option<String>>,
}

impl WizardState {
    pub(crate) fn message(self, field: &'static str) -> Signal<Option<String>> {
        let i18n = use_i18n();
        Signal::derive(move || {
            self.errors.with(|e| {
                e.iter()
                    .find(|e| e.field == field)
                    .map(|e| domain_error_text(i18n, &e.error))
            })
        })
    }

    pub(crate) fn invalid(self, field: &'static str) -> impl Fn() -> &'static str + Copy {
        move || {
            if self.errors.with(|e| e.iter().any(|e| e.field == field)) {
                "true"
            } else {
                "false"
            }
        }
    }

    pub(crate) fn clear(self, field: &'static str) {
        self.errors.update(|e| e.retain(|e| e.field != field));
    }

    /// What the browser knows about the addresses so far.
    pub(crate) fn facts(self) -> machine::Facts<()> {
        self.ctx.with_value(|c| self.draft.with(|d| d.facts(c)))
    }

    /// How the customer organization step goes now.
    pub(crate) fn customer_case(self) -> CustomerOrgCase {
        let facts = self.facts();
        self.ctx.with_value(|c| {
            self.draft
                .with(|d| machine::customer_org_case(d, c, &facts))
        })
    }

    /// Asks the server about the administrator address, one request at a time;
    /// an answer is kept with the address it answers, so a stale one never
    /// counts for another address.
    pub(crate) async fn look_up_admin(self) {
        if self.checking.get_untracked() {
            self.check_pending.set_value(true);
            return;
        }
        loop {
            let email = self
                .draft
                .with_untracked(|d| machine::normalized(&d.admin_email));
            if EmailAddress::parse(&email).is_err() {
                break;
            }
            self.checking.set(true);
            let answer = check_admin(self.token.get_value(), email.clone(), self.setter()).await;
            self.checking.set(false);
            match answer {
                Ok(lookup) => self
                    .draft
                    .update(|d| d.admin_lookup = Some((email, lookup))),
                Err(error) => self.banner.set(Some(error)),
            }
            if !self.check_pending.get_value() {
                break;
            }
            self.check_pending.set_value(false);
        }
    }

    /// Debounced live check after a keystroke.
    pub(crate) fn schedule_admin_check(self) {
        self.check_generation.update_value(|g| *g += 1);
        let mine = self.check_generation.get_value();
        spawn_local(async move {
            sleep_ms(350).await;
            if self.check_generation.get_value() == mine {
                self.look_up_admin().await;
            }
        });
    }

    /// The address of whoever does the setup, as the server is asked about
    /// it (none on a delegation or the customer path).
    pub(crate) fn setter(self) -> String {
        self.draft.with_untracked(|d| match d.who {
            Some(WhoSetsUp::Myself | WhoSetsUp::Customer) if d.role == Some(Role::Partner) => {
                machine::normalized(&d.setter_email)
            }
            _ => String::new(),
        })
    }

    /// Asks the server whom the setter's address belongs to and what proves
    /// it (which may email a code); `None` when it did not answer (the
    /// banner says why).
    pub(crate) async fn look_up_setter(self) -> Option<SetterAnswer> {
        let email = self
            .draft
            .with_untracked(|d| machine::normalized(&d.setter_email));
        if EmailAddress::parse(&email).is_err() {
            return None;
        }
        match check_setter(self.token.get_value(), email.clone()).await {
            Ok(answer) => {
                self.draft.update(|d| {
                    d.setter_lookup = Some((email.clone(), answer.lookup));
                    if answer.proof == Proof::Proven {
                        d.setter_proven = Some(email.clone());
                    }
                });
                Some(answer)
            }
            Err(AppError::Invalid(errors)) => {
                self.errors.set(errors);
                None
            }
            Err(error) => {
                self.banner.set(Some(error));
                None
            }
        }
    }

    /// The address now proven to the server (signed in, or the code entered).
    pub(crate) fn proven(self, email: String) {
        let i18n = use_i18n();
        self.draft.update(|d| d.setter_proven = Some(email.clone()));
        self.proving.set(Proving::Nothing);
        self.clear("setter_email");
        self.proof_notice.set(Some(
            t_string!(i18n, wizard.proof_done)
                .to_string()
                .replace("{email}", &email),
        ));
    }
}
