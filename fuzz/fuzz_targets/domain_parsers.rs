//! Every domain parser with arbitrary text. The first byte picks the parser,
//! the rest is its input. Beyond "never panics", each accepted value must be
//! in its canonical form: parsing what it displays, or what it serializes to,
//! gives the same value back (the browser and the server send values to each
//! other that way, and the database stores the displayed form).
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde::{Serialize, de::DeserializeOwned};
use setup_now::account::parse_new_password;
use setup_now::domain::*;
use setup_now::hub::HubFilter;
use setup_now::service::CallingInput;
use std::fmt::{Debug, Display};

fn canonical<T>(parse: fn(&str) -> Result<T, DomainError>, input: &str)
where
    T: Display + Debug + PartialEq + Serialize + DeserializeOwned,
{
    let Ok(value) = parse(input) else { return };
    let shown = value.to_string();
    assert_eq!(parse(&shown).as_ref(), Ok(&value), "display of {input:?}");
    let json = serde_json::to_string(&value).expect("a value serializes");
    let back: T = serde_json::from_str(&json).expect("a value deserializes");
    assert_eq!(back, value, "serde of {input:?}");
}

/// An empty field is a value not given.
fn opt(s: &str) -> Option<&str> {
    (!s.is_empty()).then_some(s)
}

/// Splits `text` at NUL into `N` fields (missing ones empty).
fn fields<const N: usize>(text: &str) -> [&str; N] {
    let mut parts = text.splitn(N, '\0');
    std::array::from_fn(|_| parts.next().unwrap_or(""))
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let text = text.as_ref();
    match which % 20 {
        0 => canonical(EmailAddress::parse, text),
        1 => canonical(OrderNumber::parse, text),
        2 => canonical(SubscriptionId::parse, text),
        3 => canonical(PartyId::parse, text),
        4 => canonical(Sku::parse, text),
        5 => canonical(Offer::parse, text),
        6 => canonical(ServiceKind::parse, text),
        7 => canonical(Quantity::parse, text),
        8 => canonical(Country::parse, text),
        9 => canonical(Date::parse, text),
        10 => canonical(OrgName::parse, text),
        11 => canonical(Address::parse, text),
        12 => canonical(LocationName::parse, text),
        13 => canonical(Subdomain::parse, text),
        14 => canonical(TimeZone::parse, text),
        15 => canonical(AnnouncementLanguage::parse, text),
        16 => canonical(PstnConnection::parse, text),
        17 => {
            let [password, confirmation] = fields(text);
            let checked = check_password(password);
            let parsed = Password::parse(password, confirmation);
            // A password passes its rule in both, or in neither.
            if checked.is_err() {
                assert!(parsed.is_err());
            }
            if let Ok(p) = &parsed {
                assert_eq!(p.expose(), password);
            }
            assert_eq!(
                parsed.is_ok(),
                parse_new_password(password, confirmation).is_ok()
            );
        }
        18 => {
            let [page, status, search] = fields(text);
            if let Ok(filter) = HubFilter::parse(opt(page), opt(status), opt(search)) {
                assert!(filter.page >= 1);
            }
        }
        _ => {
            let [location_name, address, country, time_zone, language, pstn] = fields(text);
            let input = CallingInput {
                location_name: location_name.into(),
                address: address.into(),
                country: country.into(),
                time_zone: time_zone.into(),
                language: language.into(),
                pstn: pstn.into(),
            };
            match input.validate() {
                Ok(settings) => assert_eq!(settings.country, Country::parse(country).unwrap()),
                Err(errors) => assert!(!errors.is_empty()),
            }
        }
    }
});
