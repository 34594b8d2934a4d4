//! The setup commit: an arbitrary form body decoded as the commit's arguments
//! (as the server decodes them), then planned against one of the situations
//! the server can be in, picked by the first two bytes (whose link it is,
//! which organizations exist, who the addresses belong to). The plan is what
//! the store carries out, so it must decide, never panic; and walking the
//! draft with "Next" from the first step must end within the steps there are.
#![no_main]

use axum::body::Body;
use axum::http::{Request, header};
use leptos::server_fn::codec::{FromReq, PostUrl};
use libfuzzer_sys::fuzz_target;
use setup_now::domain::Role;
use setup_now::error::AppError;
use setup_now::wizard::CommitSetup;
use setup_now::model::setup::{
    Audience, Facts, OrgView, Owner, SetupContext, SetupMode, Step, next, plan,
};

fn org(name: &str) -> OrgView {
    OrgView {
        name: name.into(),
        country: "CZ".into(),
        address: Some("Vinohradska 1, Praha".into()),
    }
}

fn owner(bits: u8, org: u32) -> Owner<u32> {
    match bits % 5 {
        0 => Owner::Nobody,
        1 => Owner::Partner {
            org,
            this_partner: true,
            role: [Role::Administrator, Role::Member, Role::ReadOnly, Role::Guest]
                [usize::from(bits / 5) % 4],
        },
        2 => Owner::Partner {
            org,
            this_partner: false,
            role: Role::Member,
        },
        3 => Owner::Customer {
            org,
            managed_here: true,
        },
        _ => Owner::Customer {
            org,
            managed_here: false,
        },
    }
}

fn situation(a: u8, b: u8) -> (SetupContext, Facts<u32>) {
    let flag = |byte: u8, bit: u8| byte & (1 << bit) != 0;
    let audience = if flag(a, 0) {
        Audience::Customer
    } else {
        Audience::Partner
    };
    let ctx = SetupContext {
        audience,
        link_email: if flag(a, 1) {
            "contact@partner.example"
        } else {
            "not an address"
        }
        .into(),
        order_number: "ORD-1".into(),
        offer: "A-WX".into(),
        subscription_id: "Sub-1".into(),
        requested_start_date: "2026-11-27".into(),
        services: vec![("meetings".into(), "A-WX-MTG-ENT".into(), 10)],
        partner_org: flag(a, 2).then(|| org("Partner s.r.o.")),
        order_partner: org("Partner s.r.o."),
        order_customer: org("Zakaznik a.s."),
        customer_org: flag(a, 3).then(|| org("Zakaznik a.s.")),
        customer_org_editable: flag(a, 4),
        link_is_partner_user: flag(a, 5),
        partner_has_members: flag(a, 7),
        link_proven: flag(b, 7),
    };
    let facts = Facts {
        partner_org: flag(a, 2).then_some(1),
        setter: owner(b, 1),
        admin: owner(b / 5, 2),
        order_customer_org: flag(a, 6).then_some(2),
        setter_proven: flag(b, 6),
        partner_has_members: flag(a, 7),
    };
    (ctx, facts)
}

fuzz_target!(|data: &[u8]| {
    let [a, b, body @ ..] = data else { return };
    let request = Request::post("/api/setup/commit")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body.to_vec()))
        .expect("a request");
    let decoded = <CommitSetup as FromReq<PostUrl, Request<Body>, AppError>>::from_req(request);
    let Ok(args) = futures_executor::block_on(decoded) else {
        return;
    };
    let (ctx, facts) = situation(*a, *b);
    if let Ok(planned) = plan(&args.draft, &ctx, &facts) {
        if ctx.audience == Audience::Customer {
            assert_eq!(planned.mode, SetupMode::Customer);
        }
    }
    let mut step = Step::Role;
    for _ in 0..6 {
        match next(step, &args.draft, &ctx, &facts) {
            Ok(Some(then)) => step = then,
            Ok(None) | Err(_) => return,
        }
    }
    panic!("\"Next\" went on past six steps from {:?}", args.draft);
});
