//! Every server function's arguments decoded from an arbitrary form body the
//! way the server decodes them (server_fn's `PostUrl` over an axum request),
//! then the rule the function applies before it touches the database. The
//! first byte picks the function. Refusals are fine; panics are not.
#![no_main]

use axum::body::Body;
use axum::http::{Request, header};
use leptos::server_fn::codec::{FromReq, PostUrl};
use libfuzzer_sys::fuzz_target;
use setup_now::account::{self, parse_new_password};
use setup_now::domain::{EmailAddress, Subdomain};
use setup_now::error::AppError;
use setup_now::hub::{self, HubFilter};
use setup_now::{activity, approval, commerce, service, wizard};

/// The arguments of one server function, or `None` for a body it refuses.
fn decode<T>(body: &[u8]) -> Option<T>
where
    T: FromReq<PostUrl, Request<Body>, AppError>,
{
    let request = Request::post("/api/fuzz")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body.to_vec()))
        .expect("a request");
    futures_executor::block_on(T::from_req(request)).ok()
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, body)) = data.split_first() else {
        return;
    };
    match which % 26 {
        0 => drop(decode::<wizard::OpenSetup>(body)),
        1 => drop(decode::<wizard::StartSetup>(body)),
        2 => {
            if let Some(args) = decode::<wizard::CheckAdmin>(body) {
                let _ = EmailAddress::parse(&args.email);
            }
        }
        3 => {
            if let Some(args) = decode::<wizard::CheckSetter>(body) {
                let _ = EmailAddress::parse(&args.email);
            }
        }
        4 => drop(decode::<wizard::FindOrgs>(body)),
        5 => {
            if let Some(args) = decode::<wizard::DelegateSetup>(body) {
                let _ = EmailAddress::parse(&args.email);
            }
        }
        6 => drop(decode::<wizard::CommitSetup>(body)),
        7 => {
            if let Some(args) = decode::<account::SignIn>(body) {
                let _ = EmailAddress::parse(&args.email);
            }
        }
        8 => drop(decode::<account::ChooseLanguage>(body)),
        9 => {
            if let Some(args) = decode::<account::ForgotPassword>(body) {
                let _ = EmailAddress::parse(&args.email);
            }
        }
        10 => drop(decode::<account::CheckReset>(body)),
        11 => {
            if let Some(args) = decode::<account::ResetPassword>(body) {
                let _ = parse_new_password(&args.password, &args.confirmation);
            }
        }
        12 => {
            if let Some(args) = decode::<account::CreatePassword>(body) {
                let _ = parse_new_password(&args.password, &args.confirmation);
            }
        }
        13 => {
            if let Some(args) = decode::<commerce::CommercePlace>(body) {
                let _ = args.input.validate();
            }
        }
        14 => {
            if let Some(args) = decode::<commerce::CommerceResend>(body) {
                if let Some(contact) = args.new_contact {
                    let _ = EmailAddress::parse(&contact);
                }
            }
        }
        15 => {
            if let Some(args) = decode::<hub::LoadHub>(body) {
                let _ = HubFilter::parse(
                    args.page.as_deref(),
                    args.status.as_deref(),
                    args.q.as_deref(),
                );
            }
        }
        16 => drop(decode::<hub::HubResend>(body)),
        17 => drop(decode::<hub::HubResendCustomer>(body)),
        18 => drop(decode::<activity::LoadActivity>(body)),
        19 => drop(decode::<service::LoadService>(body)),
        20 => {
            if let Some(args) = decode::<service::SaveCalling>(body) {
                let _ = args.input.validate();
            }
        }
        21 => {
            if let Some(args) = decode::<service::CheckSubdomain>(body) {
                let _ = Subdomain::parse(&args.name);
            }
        }
        22 => {
            if let Some(args) = decode::<service::ReserveSubdomain>(body) {
                let _ = Subdomain::parse(&args.name);
            }
        }
        23 => drop(decode::<service::Provision>(body)),
        24 => drop(decode::<approval::OpenApproval>(body)),
        _ => drop(decode::<approval::AnswerApproval>(body)),
    }
});
