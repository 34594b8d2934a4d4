//! What the wizard shows after step 1 (steps 2–6, and the end: handed over,
//! set up, the first password or sign-in), and the commit. A Set Up Now
//! link opens on step 1, so this code is not needed to make it interactive:
//! with the feature `split` (`cargo leptos build --split`) it is a wasm
//! module of its own, fetched as soon as step 1 is used
//! ([`prefetch_when_used`]) and so in the browser before anyone can press
//! "Next". Builds without the split tool (the browser tests) call the same
//! functions directly.

use super::commit_setup;
use super::finished::{Finished, Outcome};
use super::state::WizardState;
use super::steps::{admin, customer, partner, review, who};
use crate::error::AppError;
use crate::model::setup::{CommitResult, Draft, Step};
use leptos::prelude::*;

/// One view of the part after step 1.
#[derive(Clone, Copy)]
pub(crate) enum Later {
    Step(Step),
    Finished(RwSignal<Option<Outcome>>),
}

/// The view, built without tracking: what it reads while it is built must
/// not rebuild it (the step keeps its inputs and focus while typing).
fn later_view(state: WizardState, later: Later) -> AnyView {
    untrack(move || match later {
        Later::Step(Step::WhoSetsUp) => who::who_step(state).into_any(),
        Later::Step(Step::PartnerOrg) => partner::partner_step(state).into_any(),
        Later::Step(Step::CustomerAdmin) => admin::admin_step(state).into_any(),
        Later::Step(Step::CustomerOrg) => customer::customer_step(state).into_any(),
        Later::Step(Step::Review) => review::review_step(state).into_any(),
        // Step 1 is the page's own; it is never asked for here.
        Later::Step(Step::Role) => ().into_any(),
        Later::Finished(outcome) => view! { <Finished state outcome /> }.into_any(),
    })
}

#[cfg(feature = "split")]
#[lazy]
fn later_module(state: WizardState, later: Later) -> AnyView {
    later_view(state, later)
}

#[cfg(not(feature = "split"))]
async fn later_module(state: WizardState, later: Later) -> AnyView {
    later_view(state, later)
}

/// The view of a step after step 1 (or of the end); appears at once when
/// the module is in (after [`prefetch_when_used`]), and when it is not
/// yet, as soon as it arrives.
pub(crate) fn later(state: WizardState, later: Later) -> AnyView {
    Suspend::new(later_module(state, later)).into_any()
}

/// "Set up": sends the draft to the server (the browser's side of the
/// server function, its encoding of the draft and decoding of the answer
/// travel with the steps).
#[cfg(feature = "split")]
#[lazy]
pub(crate) async fn commit(token: String, draft: Draft) -> Result<CommitResult, AppError> {
    commit_setup(token, draft).await
}

#[cfg(not(feature = "split"))]
pub(crate) async fn commit(token: String, draft: Draft) -> Result<CommitResult, AppError> {
    commit_setup(token, draft).await
}

/// Fetches the modules of the part after step 1 when step 1 is first used
/// (a pointer pressed, a key, or focus moved in the page), once: not while
/// the page hydrates, where compiling and instantiating them would lengthen
/// the busiest moment of the page's load (Lighthouse counts it as blocking
/// time). Nobody reaches step 2 without using step 1, and the modules
/// arrive while it is filled in. Called from an effect (it runs only in the
/// browser, after hydration).
pub(crate) fn prefetch_when_used() {
    #[cfg(feature = "split")]
    {
        use std::sync::{Arc, Mutex};
        let listeners = Arc::new(Mutex::new(Vec::<WindowListenerHandle>::new()));
        // Stops listening; says whether it still was.
        let stop = {
            let listeners = Arc::clone(&listeners);
            move || {
                let taken =
                    std::mem::take(&mut *listeners.lock().unwrap_or_else(|e| e.into_inner()));
                let listening = !taken.is_empty();
                taken.into_iter().for_each(WindowListenerHandle::remove);
                listening
            }
        };
        let used = {
            let stop = stop.clone();
            move |_: leptos::web_sys::Event| {
                if stop() {
                    let _ = lazy_preload!(later_module);
                    let _ = lazy_preload!(commit);
                }
            }
        };
        let handles = ["pointerdown", "keydown", "focusin"]
            .map(|name| window_event_listener_untyped(name, used.clone()));
        listeners
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend(handles);
        // Leaving the page before using it: nothing is fetched, nothing
        // listens any more.
        on_cleanup(move || {
            stop();
        });
    }
}
