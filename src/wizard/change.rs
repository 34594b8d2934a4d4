//! A change order's "Set Up Now" link (contract section 14): the
//! subscription's organizations are set up already, so the link asks only
//! who is there (sign-in) and then opens the service setup wizard for what
//! the order adds.

use super::take_up_change;
use crate::account::SignInForm;
use crate::components::{ErrorBanner, ServicesTable};
use crate::error::AppError;
use crate::i18n::*;
use crate::model::setup::SetupContext;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;

/// The page of a change order's link: the order's services, then sign-in
/// when nobody is signed in, then the service setup wizard.
#[component]
pub fn ChangeOrder(token: String, ctx: SetupContext) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let token = StoredValue::new(token);
    let banner = RwSignal::new(None::<AppError>);
    let sign_in = RwSignal::new(false);
    let go_on = Callback::new(move |()| {
        let navigate = navigate.clone();
        banner.set(None);
        spawn_local(async move {
            match take_up_change(token.get_value()).await {
                Ok(path) => navigate(&path, Default::default()),
                Err(AppError::Unauthorized) => sign_in.set(true),
                Err(error) => {
                    sign_in.set(false);
                    banner.set(Some(error));
                }
            }
        });
    });
    // Whoever is signed in goes on at once; a mail gateway that fetches the
    // page runs no script, so it changes nothing.
    Effect::new(move |_| go_on.run(()));
    let email = ctx.link_email.clone();
    view! {
        <section class="page">
            <h1>
                {t!(i18n, change.title)} " · "
                {t!(i18n, wizard.order_label, number = ctx.order_number.clone())}
            </h1>
            <p>{t!(i18n, change.intro)}</p>
            <ServicesTable services=ctx.services.clone() />
            <Show when=move || sign_in.get()>
                <h2>{t!(i18n, change.sign_in)}</h2>
                <SignInForm email=email.clone() on_signed_in=go_on />
            </Show>
            <ErrorBanner error=banner />
        </section>
    }
}
