//! The domain types held to their rules, property-tested.

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

#[cfg(all(test, feature = "ssr"))]
mod canonical_tests {
    use crate::domain::*;

    #[test]
    fn one_mailbox_written_two_ways_is_one_address() {
        let unicode = EmailAddress::parse("Jana@Bücher.example").unwrap();
        let ascii = EmailAddress::parse("jana@xn--bcher-kva.example").unwrap();
        assert_eq!(unicode, ascii);
        assert_eq!(ascii.as_str(), "jana@xn--bcher-kva.example");
        // "é" composed, and "e" + combining acute.
        let composed = EmailAddress::parse("jos\u{e9}@partner.example").unwrap();
        let decomposed = EmailAddress::parse("jose\u{301}@partner.example").unwrap();
        assert_eq!(composed, decomposed);
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod values {
    use crate::domain::*;
    use crate::domain::{
        password::{COMMON_PASSWORDS, PASSWORD_MIN_LEN},
        subdomain::RESERVED_SUBDOMAINS,
    };
    use chrono::NaiveDate;
    use proptest::prelude::*;
    use serde::{Deserialize, Serialize};
    use std::collections::HashSet;

    // ----- DomainError -----

    #[test]
    fn error_keys_are_unique_snake_case_and_messages_non_empty() {
        let all = [
            DomainError::Required,
            DomainError::EmailInvalid,
            DomainError::OrderNumberInvalid,
            DomainError::OfferUnknown,
            DomainError::ServiceKindUnknown,
            DomainError::ServicesRequired,
            DomainError::QuantityInvalid,
            DomainError::CountryInvalid,
            DomainError::DateInvalid,
            DomainError::SubdomainTooShort,
            DomainError::SubdomainTooLong,
            DomainError::SubdomainCharacters,
            DomainError::SubdomainHyphenEdge,
            DomainError::SubdomainReserved,
            DomainError::OrgNameInvalid,
            DomainError::AddressInvalid,
            DomainError::TextTooLong { max: 500 },
            DomainError::PasswordTooShort,
            DomainError::PasswordTooLong,
            DomainError::PasswordCommon,
            DomainError::PasswordMismatch,
            DomainError::SubscriptionIdInvalid,
            DomainError::PartyIdInvalid,
            DomainError::TimeZoneUnknown,
            DomainError::LanguageUnknown,
            DomainError::PstnConnectionUnknown,
            DomainError::LocationNameInvalid,
            DomainError::PageInvalid,
            DomainError::StatusUnknown,
        ];
        let keys: HashSet<_> = all.iter().map(DomainError::key).collect();
        assert_eq!(keys.len(), all.len());
        for e in &all {
            assert!(e.key().chars().all(|c| c.is_ascii_lowercase() || c == '_'));
            assert!(e.to_string().ends_with('.'));
            let json = serde_json::to_string(e).unwrap();
            assert_eq!(&serde_json::from_str::<DomainError>(&json).unwrap(), e);
        }
        assert!(
            DomainError::TextTooLong { max: 500 }
                .to_string()
                .contains("500")
        );
        assert_eq!(DomainError::EmailInvalid.key(), "email_invalid");
    }

    // ----- EmailAddress -----

    #[test]
    fn email_is_trimmed_and_lower_cased() {
        let e = EmailAddress::parse("  Provisioning@Partner.Example ").unwrap();
        assert_eq!(e.as_str(), "provisioning@partner.example");
        assert_eq!(e.domain(), "partner.example");
        assert_eq!(
            e,
            EmailAddress::parse("PROVISIONING@partner.example").unwrap()
        );
    }

    #[test]
    fn email_refusals() {
        assert_eq!(EmailAddress::parse("   "), Err(DomainError::Required));
        for bad in [
            "plainaddress",
            "@example.com",
            "name@",
            "name@@example.com",
            "name example@example.com",
            "name@localhost",
            "Jane <jane@example.com>",
            "name@[192.168.0.1]",
            "name@-example.com",
        ] {
            assert_eq!(
                EmailAddress::parse(bad),
                Err(DomainError::EmailInvalid),
                "{bad}"
            );
        }
        let long = format!(
            "{}@{}.com",
            "a".repeat(64),
            [&"b".repeat(60); 4].map(String::as_str).join(".")
        );
        assert!(long.len() > 254);
        assert_eq!(EmailAddress::parse(&long), Err(DomainError::EmailInvalid));
    }

    #[test]
    fn email_accepts_aliases_and_plus() {
        assert!(EmailAddress::parse("first.last+orders@sub.example.co.uk").is_ok());
        assert!(EmailAddress::parse("provisioning@partner.example").is_ok());
    }

    // ----- Identifiers -----

    #[test]
    fn order_number_rules() {
        assert_eq!(
            OrderNumber::parse(" CCW-2026-000123 ").unwrap().as_str(),
            "CCW-2026-000123"
        );
        assert!(OrderNumber::parse("a/b.c_d-1").is_ok());
        assert!(OrderNumber::parse("abc").is_ok());
        assert_eq!(OrderNumber::parse(""), Err(DomainError::Required));
        for bad in [
            "ab",
            "-abc",
            ".abc",
            "abc def",
            "abč",
            "ab#c",
            &"a".repeat(41),
        ] {
            assert_eq!(
                OrderNumber::parse(bad),
                Err(DomainError::OrderNumberInvalid),
                "{bad}"
            );
        }
        assert!(OrderNumber::parse(&"a".repeat(40)).is_ok());
    }

    #[test]
    fn subscription_and_party_id_rules() {
        assert_eq!(
            SubscriptionId::parse(" Sub123 ").unwrap().as_str(),
            "Sub123"
        );
        assert!(SubscriptionId::parse("1").is_ok());
        assert!(SubscriptionId::parse("-1").is_ok());
        assert_eq!(SubscriptionId::parse(" "), Err(DomainError::Required));
        assert_eq!(
            SubscriptionId::parse("a b"),
            Err(DomainError::SubscriptionIdInvalid)
        );
        assert_eq!(
            SubscriptionId::parse(&"1".repeat(41)),
            Err(DomainError::SubscriptionIdInvalid)
        );
        assert!(PartyId::parse(&"7".repeat(40)).is_ok());
        assert_eq!(PartyId::parse("x!"), Err(DomainError::PartyIdInvalid));
        assert_eq!(
            PartyId::parse(&"7".repeat(41)),
            Err(DomainError::PartyIdInvalid)
        );
    }

    // ----- Enums -----

    #[test]
    fn offer_rules() {
        assert_eq!(Offer::parse("A-WX"), Ok(Offer::AWx));
        assert_eq!(Offer::parse(" a-spk "), Ok(Offer::ASpk));
        assert_eq!(Offer::parse("AWX"), Err(DomainError::OfferUnknown));
        assert_eq!(Offer::parse(""), Err(DomainError::Required));
        assert_eq!(serde_json::to_string(&Offer::ASpk).unwrap(), "\"A-SPK\"");
        assert!(serde_json::from_str::<Offer>("\"A-FLEX\"").is_err());
    }

    #[test]
    fn service_kind_rules() {
        assert_eq!(ServiceKind::parse("Calling"), Ok(ServiceKind::Calling));
        assert_eq!(
            ServiceKind::parse("call"),
            Err(DomainError::ServiceKindUnknown)
        );
        assert_eq!(
            serde_json::to_string(&ServiceKind::ALL).unwrap(),
            r#"["meetings","calling","messaging","webinars"]"#
        );
    }

    #[test]
    fn language_and_pstn_rules() {
        assert_eq!(
            AnnouncementLanguage::parse("cs_CZ"),
            Ok(AnnouncementLanguage::CsCz)
        );
        assert_eq!(
            AnnouncementLanguage::parse("CS_cz"),
            Ok(AnnouncementLanguage::CsCz)
        );
        assert_eq!(AnnouncementLanguage::CsCz.english_name(), "Czech");
        assert_eq!(
            AnnouncementLanguage::parse("cs"),
            Err(DomainError::LanguageUnknown)
        );
        assert_eq!(
            PstnConnection::parse("cloud_connected"),
            Ok(PstnConnection::CloudConnected)
        );
        assert_eq!(PstnConnection::CiscoPstn.code(), "cisco");
        assert_eq!(
            PstnConnection::parse("local"),
            Err(DomainError::PstnConnectionUnknown)
        );
    }

    // ----- Quantity -----

    #[test]
    fn quantity_rules() {
        assert_eq!(Quantity::new(1).unwrap().get(), 1);
        assert_eq!(Quantity::new(1_000_000).unwrap().get(), 1_000_000);
        for bad in [0, -1, 1_000_001, i64::MAX, i64::MIN] {
            assert_eq!(Quantity::new(bad), Err(DomainError::QuantityInvalid));
        }
        assert_eq!(Quantity::parse(" 25 ").unwrap().get(), 25);
        assert_eq!(Quantity::parse(""), Err(DomainError::Required));
        for bad in ["1.5", "ten", "1 000", "0", "99999999999999999999"] {
            assert_eq!(
                Quantity::parse(bad),
                Err(DomainError::QuantityInvalid),
                "{bad}"
            );
        }
        let q = Quantity::new(25).unwrap();
        assert_eq!(serde_json::to_string(&q).unwrap(), "25");
        assert_eq!(serde_json::from_str::<Quantity>("25").unwrap(), q);
        assert_eq!(serde_json::from_str::<Quantity>("\"25\"").unwrap(), q);
        for bad in ["0", "-3", "1.5", "\"abc\"", "true", "1000001"] {
            assert!(serde_json::from_str::<Quantity>(bad).is_err(), "{bad}");
        }
    }

    // ----- Country -----

    #[test]
    fn country_list_is_complete_sorted_and_unique() {
        assert_eq!(Country::ALL.len(), 249);
        assert!(Country::ALL.windows(2).all(|w| w[0] < w[1]));
        assert!(
            Country::ALL
                .iter()
                .all(|c| c.len() == 2 && c.chars().all(|ch| ch.is_ascii_uppercase()))
        );
    }

    #[test]
    fn country_rules() {
        assert_eq!(Country::parse(" cz ").unwrap().as_str(), "CZ");
        assert_eq!(Country::parse("Gb").unwrap().as_str(), "GB");
        assert_eq!(Country::parse(""), Err(DomainError::Required));
        for bad in ["XX", "UK", "CZE", "C", "C1", "čz", "EU"] {
            assert_eq!(
                Country::parse(bad),
                Err(DomainError::CountryInvalid),
                "{bad}"
            );
        }
    }

    // ----- Date -----

    #[test]
    fn date_rules() {
        let d = Date::parse(" 2026-02-28 ").unwrap();
        assert_eq!(d.as_naive(), NaiveDate::from_ymd_opt(2026, 2, 28).unwrap());
        assert_eq!(d.to_string(), "2026-02-28");
        assert!(Date::parse("2024-02-29").is_ok());
        assert_eq!(Date::parse(""), Err(DomainError::Required));
        for bad in [
            "2026-02-30",
            "2025-02-29",
            "2026-13-01",
            "2026-00-10",
            "2026-2-3",
            "26-02-03",
            "2026/02/03",
            "03.02.2026",
            "2026-02-03T00:00",
            "+2026-02-03",
            "２０２６-02-03",
        ] {
            assert_eq!(Date::parse(bad), Err(DomainError::DateInvalid), "{bad}");
        }
        assert_eq!(serde_json::to_string(&d).unwrap(), "\"2026-02-28\"");
    }

    // ----- Free text -----

    #[test]
    fn org_name_rules() {
        assert_eq!(
            OrgName::parse("  ACME \t  Corp\n s.r.o. ")
                .unwrap()
                .as_str(),
            "ACME Corp s.r.o."
        );
        assert!(OrgName::parse(&"č".repeat(100)).is_ok());
        assert_eq!(
            OrgName::parse(&"č".repeat(101)),
            Err(DomainError::OrgNameInvalid)
        );
        assert_eq!(
            OrgName::parse("AC\u{0}ME"),
            Err(DomainError::OrgNameInvalid)
        );
        assert_eq!(
            OrgName::parse("AC\u{202E}ME"),
            Err(DomainError::OrgNameInvalid)
        );
        assert_eq!(OrgName::parse(" \n "), Err(DomainError::Required));
    }

    #[test]
    fn address_rules() {
        assert_eq!(
            Address::parse("Main Street 1\r\n\r\n 110 00 Prague \n")
                .unwrap()
                .as_str(),
            "Main Street 1, 110 00 Prague"
        );
        assert!(Address::parse(&"x".repeat(200)).is_ok());
        assert_eq!(
            Address::parse(&"x".repeat(201)),
            Err(DomainError::AddressInvalid)
        );
        assert_eq!(Address::parse("a\tb"), Err(DomainError::AddressInvalid));
        assert_eq!(Address::parse("\n\n"), Err(DomainError::Required));
    }

    #[test]
    fn location_name_rules() {
        assert_eq!(
            LocationName::parse(" Praha HQ ").unwrap().as_str(),
            "Praha HQ"
        );
        assert!(LocationName::parse(&"a".repeat(80)).is_ok());
        assert_eq!(
            LocationName::parse(&"a".repeat(81)),
            Err(DomainError::LocationNameInvalid)
        );
        assert_eq!(
            LocationName::parse("a\nb"),
            Err(DomainError::LocationNameInvalid)
        );
        assert_eq!(LocationName::parse(""), Err(DomainError::Required));
    }

    // ----- Subdomain -----

    #[test]
    fn subdomain_rules() {
        assert_eq!(Subdomain::parse("ab"), Err(DomainError::SubdomainTooShort));
        assert_eq!(
            Subdomain::parse(&"a".repeat(31)),
            Err(DomainError::SubdomainTooLong)
        );
        assert!(Subdomain::parse(&"a".repeat(30)).is_ok());
        assert_eq!(
            Subdomain::parse("-abc"),
            Err(DomainError::SubdomainHyphenEdge)
        );
        assert_eq!(
            Subdomain::parse("abc-"),
            Err(DomainError::SubdomainHyphenEdge)
        );
        assert_eq!(Subdomain::parse("ABC-def").unwrap().as_str(), "abc-def");
        assert_eq!(Subdomain::parse("www"), Err(DomainError::SubdomainReserved));
        assert_eq!(
            Subdomain::parse("WebEx"),
            Err(DomainError::SubdomainReserved)
        );
        assert_eq!(
            Subdomain::parse("a_b"),
            Err(DomainError::SubdomainCharacters)
        );
        assert_eq!(
            Subdomain::parse("acmé"),
            Err(DomainError::SubdomainCharacters)
        );
        assert_eq!(
            Subdomain::parse("a.bc"),
            Err(DomainError::SubdomainCharacters)
        );
        assert_eq!(Subdomain::parse("   "), Err(DomainError::Required));
        assert_eq!(
            Subdomain::parse(" acme ").unwrap().site_url(),
            "https://acme.webex.com"
        );
    }

    #[test]
    fn reserved_subdomains_are_lower_case_and_would_otherwise_pass_shape_rules() {
        for r in RESERVED_SUBDOMAINS {
            assert_eq!(
                Subdomain::parse(r),
                Err(DomainError::SubdomainReserved),
                "{r}"
            );
        }
    }

    // ----- Password -----

    #[test]
    fn common_password_list_is_sane() {
        assert!(COMMON_PASSWORDS.len() >= 60);
        let unique: HashSet<_> = COMMON_PASSWORDS.iter().collect();
        assert_eq!(unique.len(), COMMON_PASSWORDS.len());
        for p in COMMON_PASSWORDS {
            assert!(p.chars().count() >= PASSWORD_MIN_LEN, "{p}");
            assert_eq!(p.to_lowercase(), *p);
            assert_eq!(check_password(p), Err(DomainError::PasswordCommon), "{p}");
        }
    }

    #[test]
    fn password_rules() {
        let good = "Tr0ub4dour&3xyz";
        let p = Password::parse(good, good).unwrap();
        assert_eq!(p.expose(), good);
        assert!(!format!("{p:?}").contains(good));
        assert_eq!(Password::parse("", ""), Err(DomainError::Required));
        assert_eq!(
            Password::parse("short pass1", "short pass1"),
            Err(DomainError::PasswordTooShort)
        );
        assert!(Password::parse(" spaces kept ", " spaces kept ").is_ok());
        assert_eq!(
            Password::parse(" spaces kept ", "spaces kept"),
            Err(DomainError::PasswordMismatch)
        );
        assert_eq!(
            Password::parse(good, "other"),
            Err(DomainError::PasswordMismatch)
        );
        let long = "ab".repeat(65);
        assert_eq!(check_password(&long), Err(DomainError::PasswordTooLong));
        assert!(check_password(&long[..128]).is_ok());
        assert_eq!(
            check_password("Password1234"),
            Err(DomainError::PasswordCommon)
        );
        assert_eq!(
            check_password("QWERTYUIOPAS"),
            Err(DomainError::PasswordCommon)
        );
        assert_eq!(
            check_password("zzzzzzzzzzzzzz"),
            Err(DomainError::PasswordCommon)
        );
        assert_eq!(
            check_password("            "),
            Err(DomainError::PasswordCommon)
        );
        // Length counts characters, not bytes.
        assert_eq!(check_password("ěščřžýáíéůúě"), Ok(()));
        assert_eq!(
            check_password("ěščřžýáíéůú"),
            Err(DomainError::PasswordTooShort)
        );
    }

    // ----- TimeZone -----

    #[test]
    fn time_zone_rules() {
        assert_eq!(
            TimeZone::parse(" europe/prague ").unwrap().as_str(),
            "Europe/Prague"
        );
        assert_eq!(
            TimeZone::parse("Mars/Olympus"),
            Err(DomainError::TimeZoneUnknown)
        );
        assert_eq!(TimeZone::parse(""), Err(DomainError::Required));
        let unique: HashSet<_> = TimeZone::ALL.iter().collect();
        assert_eq!(unique.len(), TimeZone::ALL.len());
        for required in [
            "Europe/Prague",
            "Europe/London",
            "Europe/Berlin",
            "Europe/Paris",
            "Europe/Vienna",
            "Europe/Bratislava",
            "Europe/Warsaw",
            "Europe/Madrid",
            "Europe/Rome",
            "Europe/Amsterdam",
            "America/New_York",
            "America/Chicago",
            "America/Denver",
            "America/Los_Angeles",
            "America/Sao_Paulo",
            "Asia/Tokyo",
            "Asia/Singapore",
            "Asia/Kolkata",
            "Australia/Sydney",
            "UTC",
        ] {
            assert!(TimeZone::ALL.contains(&required), "{required}");
        }
    }

    #[test]
    fn default_time_zones_are_offered() {
        for code in Country::ALL {
            let country = Country::parse(code).unwrap();
            let zone = default_time_zone(&country);
            assert!(TimeZone::parse(zone).is_ok(), "{code} -> {zone}");
        }
        let cz = Country::parse("CZ").unwrap();
        assert_eq!(default_time_zone(&cz), "Europe/Prague");
        let jp = Country::parse("JP").unwrap();
        assert_eq!(default_time_zone(&jp), "UTC");
    }

    // ----- Property tests -----

    /// Serde JSON round trip through the `String` representation.
    fn json_round_trip<T>(value: &T) -> T
    where
        T: Serialize + for<'de> Deserialize<'de>,
    {
        let json = serde_json::to_string(value).unwrap();
        serde_json::from_str(&json).unwrap()
    }

    /// JSON for a string value.
    fn json_string(s: &str) -> String {
        serde_json::to_string(s).unwrap()
    }

    fn valid_subdomain() -> impl Strategy<Value = String> {
        "[a-z0-9]([a-z0-9-]{1,28})[a-z0-9]".prop_filter("not reserved", |s| {
            !RESERVED_SUBDOMAINS.contains(&s.as_str())
        })
    }

    fn valid_email() -> impl Strategy<Value = String> {
        (
            "[a-zA-Z0-9]{1,20}(\\.[a-zA-Z0-9_+-]{1,10})?",
            "[a-zA-Z0-9]([a-zA-Z0-9-]{0,20}[a-zA-Z0-9])?",
            "[a-zA-Z]{2,10}",
        )
            .prop_map(|(local, domain, tld)| format!("{local}@{domain}.{tld}"))
    }

    proptest! {

        #[test]
        fn no_parser_panics(s in any::<String>(), t in any::<String>()) {
            let _ = EmailAddress::parse(&s);
            let _ = OrderNumber::parse(&s);
            let _ = SubscriptionId::parse(&s);
            let _ = PartyId::parse(&s);
            let _ = Offer::parse(&s);
            let _ = ServiceKind::parse(&s);
            let _ = Quantity::parse(&s);
            let _ = Country::parse(&s);
            let _ = Date::parse(&s);
            let _ = OrgName::parse(&s);
            let _ = Address::parse(&s);
            let _ = LocationName::parse(&s);
            let _ = Subdomain::parse(&s);
            let _ = check_password(&s);
            let _ = Password::parse(&s, &t);
            let _ = TimeZone::parse(&s);
            let _ = AnnouncementLanguage::parse(&s);
            let _ = PstnConnection::parse(&s);
        }

        #[test]
        fn no_parser_panics_on_ascii(s in "[ -~\\t\\n]{0,60}") {
            let _ = EmailAddress::parse(&s);
            let _ = OrderNumber::parse(&s);
            let _ = Quantity::parse(&s);
            let _ = Country::parse(&s);
            let _ = Date::parse(&s);
            let _ = Subdomain::parse(&s);
        }

        // --- Subdomain ---

        #[test]
        fn alnum_subdomain_parses_and_round_trips(s in "[a-z0-9]{3,30}") {
            prop_assume!(!RESERVED_SUBDOMAINS.contains(&s.as_str()));
            let sub = Subdomain::parse(&s).unwrap();
            prop_assert_eq!(sub.as_str(), s.as_str());
            prop_assert_eq!(Subdomain::parse(&format!("{sub}")).unwrap(), sub);
        }

        #[test]
        fn hyphenated_subdomain_parses_case_insensitively(s in valid_subdomain()) {
            let upper = s.to_uppercase();
            let sub = Subdomain::parse(&upper).unwrap();
            prop_assert_eq!(sub.as_str(), s.as_str());
            prop_assert_eq!(json_round_trip(&sub), sub.clone());
            prop_assert_eq!(sub.site_url(), format!("https://{s}.webex.com"));
        }

        #[test]
        fn any_parsed_subdomain_follows_the_rules(s in "\\PC{0,40}|[a-zA-Z0-9_ -]{0,35}") {
            if let Ok(sub) = Subdomain::parse(&s) {
                let v = sub.as_str();
                prop_assert!((3..=30).contains(&v.len()));
                prop_assert!(v.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'));
                prop_assert!(!v.starts_with('-') && !v.ends_with('-'));
                prop_assert!(!RESERVED_SUBDOMAINS.contains(&v));
                prop_assert_eq!(Subdomain::parse(v).unwrap(), sub.clone());
            }
        }

        #[test]
        fn subdomain_with_edge_hyphen_is_refused(s in "[a-z0-9]{2,29}") {
            let front = format!("-{s}");
            let back = format!("{s}-");
            prop_assert_eq!(Subdomain::parse(&front), Err(DomainError::SubdomainHyphenEdge));
            prop_assert_eq!(Subdomain::parse(&back), Err(DomainError::SubdomainHyphenEdge));
        }

        #[test]
        fn too_long_subdomain_is_refused(s in "[a-z0-9]{31,60}") {
            prop_assert_eq!(Subdomain::parse(&s), Err(DomainError::SubdomainTooLong));
        }

        // --- EmailAddress ---

        #[test]
        fn generated_email_parses_lower_cased(s in valid_email()) {
            let e = EmailAddress::parse(&s).unwrap();
            prop_assert_eq!(e.as_str(), s.to_lowercase());
            prop_assert_eq!(EmailAddress::parse(&format!("{e}")).unwrap(), e.clone());
            prop_assert_eq!(EmailAddress::parse(&format!("  {s}\n")).unwrap(), e.clone());
            prop_assert_eq!(json_round_trip(&e), e);
        }

        #[test]
        fn any_parsed_email_round_trips(s in "\\PC{0,40}|[a-zA-Z0-9.@_+-]{0,40}") {
            if let Ok(e) = EmailAddress::parse(&s) {
                prop_assert!(e.as_str().chars().count() <= 254);
                prop_assert_eq!(e.as_str().to_lowercase(), e.as_str());
                prop_assert!(email_address::EmailAddress::is_valid(e.as_str()));
                prop_assert_eq!(EmailAddress::parse(e.as_str()).unwrap(), e.clone());
                prop_assert_eq!(json_round_trip(&e), e);
            }
        }

        #[test]
        fn email_without_at_is_refused(s in "[a-z0-9.]{1,40}") {
            prop_assert_eq!(EmailAddress::parse(&s), Err(DomainError::EmailInvalid));
            prop_assert!(serde_json::from_str::<EmailAddress>(&json_string(&s)).is_err());
        }

        // --- Identifiers ---

        #[test]
        fn valid_order_number_parses_as_given(s in "[A-Za-z0-9][A-Za-z0-9._/-]{2,39}") {
            let o = OrderNumber::parse(&format!(" {s} ")).unwrap();
            prop_assert_eq!(o.as_str(), s.as_str());
            prop_assert_eq!(OrderNumber::parse(&format!("{o}")).unwrap(), o.clone());
            prop_assert_eq!(json_round_trip(&o), o);
        }

        #[test]
        fn any_parsed_order_number_follows_the_rules(s in "\\PC{0,45}|[A-Za-z0-9._/ #-]{0,45}") {
            if let Ok(o) = OrderNumber::parse(&s) {
                let v = o.as_str();
                prop_assert!((3..=40).contains(&v.len()));
                prop_assert!(v.starts_with(|c: char| c.is_ascii_alphanumeric()));
                prop_assert!(v.chars().all(is_identifier_char));
            } else {
                prop_assert!(serde_json::from_str::<OrderNumber>(&json_string(&s)).is_err());
            }
        }

        #[test]
        fn ids_parse_and_round_trip(s in "[A-Za-z0-9._/-]{1,40}") {
            let sub = SubscriptionId::parse(&s).unwrap();
            let party = PartyId::parse(&s).unwrap();
            prop_assert_eq!(sub.as_str(), s.as_str());
            prop_assert_eq!(party.as_str(), s.as_str());
            prop_assert_eq!(SubscriptionId::parse(&format!("{sub}")).unwrap(), sub.clone());
            prop_assert_eq!(PartyId::parse(&format!("{party}")).unwrap(), party.clone());
            prop_assert_eq!(json_round_trip(&sub), sub);
            prop_assert_eq!(json_round_trip(&party), party);
        }

        #[test]
        fn any_parsed_id_follows_the_rules(s in "\\PC{0,45}|[A-Za-z0-9._/ #-]{0,45}") {
            match SubscriptionId::parse(&s) {
                Ok(id) => {
                    prop_assert!((1..=40).contains(&id.as_str().len()));
                    prop_assert!(id.as_str().chars().all(is_identifier_char));
                    prop_assert_eq!(PartyId::parse(&s).map(String::from), Ok(String::from(id)));
                }
                Err(_) => {
                    prop_assert!(PartyId::parse(&s).is_err());
                    prop_assert!(serde_json::from_str::<PartyId>(&json_string(&s)).is_err());
                }
            }
        }

        // --- Quantity ---

        #[test]
        fn quantity_in_range_round_trips(n in 1i64..=1_000_000) {
            let q = Quantity::new(n).unwrap();
            prop_assert_eq!(i64::from(q.get()), n);
            prop_assert_eq!(Quantity::parse(&q.to_string()).unwrap(), q);
            prop_assert_eq!(Quantity::try_from(String::from(q)).unwrap(), q);
            prop_assert_eq!(json_round_trip(&q), q);
        }

        #[test]
        fn quantity_out_of_range_is_refused(n in prop_oneof![i64::MIN..=0, 1_000_001i64..=i64::MAX]) {
            prop_assert_eq!(Quantity::new(n), Err(DomainError::QuantityInvalid));
            prop_assert_eq!(Quantity::parse(&n.to_string()), Err(DomainError::QuantityInvalid));
            prop_assert!(serde_json::from_str::<Quantity>(&n.to_string()).is_err());
        }

        // --- Country ---

        #[test]
        fn every_country_parses_in_any_case(i in 0..Country::ALL.len(), lower in any::<bool>()) {
            let code = Country::ALL[i];
            let input = if lower { code.to_lowercase() } else { code.to_owned() };
            let c = Country::parse(&input).unwrap();
            prop_assert_eq!(c.as_str(), code);
            prop_assert_eq!(Country::parse(&c.to_string()).unwrap(), c);
            prop_assert_eq!(json_round_trip(&c), c);
        }

        #[test]
        fn any_parsed_country_is_listed(s in "\\PC{0,3}|[a-zA-Z]{2}") {
            match Country::parse(&s) {
                Ok(c) => prop_assert!(Country::ALL.contains(&c.as_str())),
                Err(_) => prop_assert!(serde_json::from_str::<Country>(&json_string(&s)).is_err()),
            }
        }

        // --- Date ---

        #[test]
        fn every_real_date_round_trips(days in 0u64..3_652_059) {
            let naive = NaiveDate::from_ymd_opt(1, 1, 1).unwrap() + chrono::Days::new(days);
            let text = naive.format("%Y-%m-%d").to_string();
            let d = Date::parse(&text).unwrap();
            prop_assert_eq!(d.as_naive(), naive);
            prop_assert_eq!(d.to_string(), text);
            prop_assert_eq!(json_round_trip(&d), d);
        }

        #[test]
        fn any_parsed_date_round_trips(s in "\\PC{0,12}|[0-9]{4}-[0-9]{2}-[0-9]{2}") {
            match Date::parse(&s) {
                Ok(d) => {
                    prop_assert_eq!(d.to_string(), s.trim());
                    prop_assert_eq!(Date::parse(&d.to_string()).unwrap(), d);
                }
                Err(_) => prop_assert!(serde_json::from_str::<Date>(&json_string(&s)).is_err()),
            }
        }

        // --- Free text ---

        #[test]
        fn any_parsed_org_name_follows_the_rules(s in any::<String>()) {
            if let Ok(o) = OrgName::parse(&s) {
                let v = o.as_str();
                prop_assert!((1..=100).contains(&v.chars().count()));
                prop_assert!(!v.chars().any(is_forbidden_char));
                prop_assert_eq!(v.trim(), v);
                prop_assert!(!v.contains("  "));
                prop_assert_eq!(OrgName::parse(&format!("{o}")).unwrap(), o.clone());
                prop_assert_eq!(json_round_trip(&o), o);
            }
        }

        #[test]
        fn printable_org_name_parses(words in prop::collection::vec("[\\p{L}\\p{N}&.,'()-]{1,8}", 1..8)) {
            let input = words.join("  ");
            let o = OrgName::parse(&input).unwrap();
            prop_assert_eq!(o.as_str(), words.join(" "));
        }

        #[test]
        fn any_parsed_address_follows_the_rules(s in any::<String>()) {
            if let Ok(a) = Address::parse(&s) {
                let v = a.as_str();
                prop_assert!((1..=200).contains(&v.chars().count()));
                prop_assert!(!v.chars().any(is_forbidden_char));
                prop_assert_eq!(Address::parse(&format!("{a}")).unwrap(), a.clone());
                prop_assert_eq!(json_round_trip(&a), a);
            }
        }

        #[test]
        fn multi_line_address_is_joined(lines in prop::collection::vec("[A-Za-z0-9][A-Za-z0-9 ]{0,20}[A-Za-z0-9]", 1..5)) {
            let a = Address::parse(&lines.join("\r\n")).unwrap();
            prop_assert_eq!(a.as_str(), lines.join(", "));
        }

        #[test]
        fn any_parsed_location_name_follows_the_rules(s in any::<String>()) {
            match LocationName::parse(&s) {
                Ok(l) => {
                    let v = l.as_str();
                    prop_assert!((1..=80).contains(&v.chars().count()));
                    prop_assert!(!v.chars().any(is_forbidden_char));
                    prop_assert_eq!(LocationName::parse(&format!("{l}")).unwrap(), l.clone());
                    prop_assert_eq!(json_round_trip(&l), l);
                }
                Err(_) => prop_assert!(serde_json::from_str::<LocationName>(&json_string(&s)).is_err()),
            }
        }

        #[test]
        fn printable_location_name_parses(s in "[\\p{L}\\p{N}][\\p{L}\\p{N} ,.-]{0,78}[\\p{L}\\p{N}]") {
            let l = LocationName::parse(&s).unwrap();
            prop_assert_eq!(l.as_str(), s.as_str());
        }

        // --- Password ---

        #[test]
        fn strong_password_is_accepted_only_with_matching_confirmation(
            p in "[a-zA-Z0-9!@#$%^&*() ]{12,128}",
            other in "[a-zA-Z0-9]{0,20}",
        ) {
            let lower = p.to_lowercase();
            prop_assume!(!COMMON_PASSWORDS.contains(&lower.as_str()));
            prop_assume!(p.chars().any(|c| !p.starts_with(c)));
            let pw = Password::parse(&p, &p).unwrap();
            prop_assert_eq!(pw.expose(), p.as_str());
            let debug = format!("{pw:?}");
            prop_assert!(!debug.contains(p.as_str()));
            prop_assume!(other != p);
            prop_assert_eq!(Password::parse(&p, &other), Err(DomainError::PasswordMismatch));
        }

        #[test]
        fn any_accepted_password_follows_the_rules(p in any::<String>()) {
            if check_password(&p).is_ok() {
                let len = p.chars().count();
                prop_assert!((12..=128).contains(&len));
                prop_assert!(!COMMON_PASSWORDS.contains(&p.to_lowercase().as_str()));
                prop_assert!(Password::parse(&p, &p).is_ok());
            } else {
                prop_assert!(Password::parse(&p, &p).is_err());
            }
        }

        #[test]
        fn repeated_character_password_is_common(c in any::<char>(), n in 12usize..=128) {
            let p = c.to_string().repeat(n);
            prop_assert_eq!(check_password(&p), Err(DomainError::PasswordCommon));
        }

        #[test]
        fn short_password_is_refused(p in "\\PC{1,11}") {
            prop_assert_eq!(check_password(&p), Err(DomainError::PasswordTooShort));
        }

        // --- Listed values ---

        #[test]
        fn every_time_zone_round_trips(i in 0..TimeZone::ALL.len(), upper in any::<bool>()) {
            let name = TimeZone::ALL[i];
            let input = if upper { name.to_uppercase() } else { name.to_owned() };
            let tz = TimeZone::parse(&input).unwrap();
            prop_assert_eq!(tz.as_str(), name);
            prop_assert_eq!(TimeZone::parse(&tz.to_string()).unwrap(), tz);
            prop_assert_eq!(json_round_trip(&tz), tz);
        }

        #[test]
        fn unlisted_values_fail_to_deserialize(s in "[a-z_/ -]{0,20}") {
            let t = s.trim();
            let json = json_string(&s);
            let listed = |names: &[&str]| names.iter().any(|n| n.eq_ignore_ascii_case(t));
            if !listed(TimeZone::ALL) {
                prop_assert!(serde_json::from_str::<TimeZone>(&json).is_err());
            }
            if !listed(&["meetings", "calling", "messaging", "webinars"]) {
                prop_assert!(serde_json::from_str::<ServiceKind>(&json).is_err());
            }
            if !listed(&["cisco", "cloud_connected", "premises_based"]) {
                prop_assert!(serde_json::from_str::<PstnConnection>(&json).is_err());
            }
            if !listed(&["a-wx", "a-spk"]) {
                prop_assert!(serde_json::from_str::<Offer>(&json).is_err());
            }
        }

        #[test]
        fn enums_round_trip(
            o in prop::sample::select(Offer::ALL.to_vec()),
            k in prop::sample::select(ServiceKind::ALL.to_vec()),
            l in prop::sample::select(AnnouncementLanguage::ALL.to_vec()),
            p in prop::sample::select(PstnConnection::ALL.to_vec()),
        ) {
            prop_assert_eq!(Offer::parse(&o.to_string()), Ok(o));
            prop_assert_eq!(Offer::parse(&o.as_str().to_lowercase()), Ok(o));
            prop_assert_eq!(json_round_trip(&o), o);
            prop_assert_eq!(ServiceKind::parse(&k.to_string()), Ok(k));
            prop_assert_eq!(ServiceKind::parse(&k.as_str().to_uppercase()), Ok(k));
            prop_assert_eq!(json_round_trip(&k), k);
            prop_assert_eq!(AnnouncementLanguage::parse(&l.to_string()), Ok(l));
            prop_assert_eq!(json_round_trip(&l), l);
            prop_assert_eq!(PstnConnection::parse(&p.to_string()), Ok(p));
            prop_assert_eq!(json_round_trip(&p), p);
        }

        #[test]
        fn any_parsed_language_is_listed(s in "\\PC{0,8}|[a-zA-Z]{2}_[a-zA-Z]{2}") {
            match AnnouncementLanguage::parse(&s) {
                Ok(l) => prop_assert!(l.code().eq_ignore_ascii_case(s.trim())),
                Err(_) => prop_assert!(serde_json::from_str::<AnnouncementLanguage>(&json_string(&s)).is_err()),
            }
        }
    }

    /// The patterns of the order API's document, held to `parse`: a value
    /// matches exactly when `parse` accepts it as written.
    mod api_patterns {
        use crate::domain::*;
        use proptest::prelude::*;

        fn exact<T>(s: &str, parsed: Result<T, DomainError>, text: impl Fn(&T) -> String) -> bool {
            parsed.is_ok_and(|v| text(&v) == s)
        }

        /// Whether each pattern agrees with its type on `s`.
        fn agree(s: &str) -> Result<(), String> {
            let re = |p: &str| regex::Regex::new(p).expect("a pattern the regex crate reads");
            let checks: [(&str, bool, bool); 6] = [
                (
                    "order number",
                    re(OrderNumber::PATTERN).is_match(s),
                    exact(s, OrderNumber::parse(s), |v| v.as_str().to_string()),
                ),
                (
                    "subscription id",
                    re(IDENTIFIER_PATTERN).is_match(s),
                    exact(s, SubscriptionId::parse(s), |v| v.as_str().to_string()),
                ),
                (
                    "party id",
                    re(IDENTIFIER_PATTERN).is_match(s),
                    exact(s, PartyId::parse(s), |v| v.as_str().to_string()),
                ),
                (
                    "sku",
                    re(IDENTIFIER_PATTERN).is_match(s),
                    exact(s, Sku::parse(s), |v| v.as_str().to_string()),
                ),
                (
                    "organization name",
                    re(OrgName::PATTERN).is_match(s) && s.chars().count() <= OrgName::MAX_LEN,
                    exact(s, OrgName::parse(s), |v| v.as_str().to_string()),
                ),
                (
                    "address",
                    re(Address::PATTERN).is_match(s) && s.chars().count() <= Address::MAX_LEN,
                    exact(s, Address::parse(s), |v| v.as_str().to_string()),
                ),
            ];
            for (what, pattern, parse) in checks {
                if pattern != parse {
                    return Err(format!("{what} {s:?}: pattern {pattern}, parse {parse}"));
                }
            }
            Ok(())
        }

        #[test]
        fn the_edges_agree() {
            for s in [
                "",
                " ",
                "a",
                "ab",
                "abc",
                " abc",
                "abc ",
                "a  b",
                "a b",
                "a\tb",
                "a\u{a0}b",
                "Vinohradská 1, Praha",
                "a\u{2028}b",
                "a\u{202e}b",
                "a\u{85}",
                "\u{3000}a",
                "-abc",
                "abc-",
                "A/B.C_D-E",
                "a\nb",
                "a\rb",
                "x\u{7f}",
                "Zákazník a.s.",
            ] {
                agree(s).unwrap();
            }
            agree(&"a".repeat(40)).unwrap();
            agree(&"a".repeat(41)).unwrap();
            agree(&"é".repeat(100)).unwrap();
            agree(&"é".repeat(101)).unwrap();
            agree(&"é".repeat(201)).unwrap();
        }

        proptest! {
            #[test]
            fn patterns_and_parsers_agree(
                s in "[ \t\n\r\u{0b}\u{0c}\u{85}\u{a0}\u{1680}\u{2000}\u{2028}\u{202f}\u{3000}\u{0}\u{1f}\u{7f}\u{9f}\u{202a}\u{2069}aZ09_./,é-]{0,45}"
            ) {
                if let Err(e) = agree(&s) {
                    prop_assert!(false, "{}", e);
                }
            }
        }
    }
}
