//! setup-now: provisioning of Webex A-WX and A-SPK orders.
//!
//! One crate compiled twice: the server (`ssr`) and the browser client (`hydrate`).
//! Everything outside `server` compiles for both, so every rule in [`domain`] runs
//! in the browser for instant feedback and again on the server, which decides.
#![recursion_limit = "512"]

pub mod account;
pub mod activity;
pub mod app;
pub mod approval;
pub mod components;
pub mod customers;
pub mod dev;
pub mod domain;
pub mod error;
pub mod form;
pub mod hub;
pub mod model;
pub mod people;
pub mod security;
pub mod service;
pub mod wizard;

/// Translations (`locales/en.json`, `locales/cs.json`), checked at compile time.
///
/// `load_locales!` is used rather than the crate's build-script generator: the
/// generator pulls the ICU data exporter (tens of MB of sources) into every cold
/// build, and we use no ICU formatting.
#[allow(deprecated)]
mod locales {
    leptos_i18n::load_locales!();
}
pub use locales::i18n;

#[cfg(feature = "ssr")]
pub mod serve;
#[cfg(feature = "ssr")]
pub mod server;

/// The two locale files carry the same keys, and every Czech text is Czech:
/// one equal to its English text must be listed here as the same on purpose
/// (product names, codes).
#[cfg(all(test, not(target_arch = "wasm32")))]
mod locale_tests {
    use std::collections::BTreeMap;

    /// Texts the same in both languages on purpose.
    const SAME_ON_PURPOSE: &[&str] = &[
        "app.nav_hub",             // "Partner Hub", the product's name
        "hub.title",               // idem
        "commerce.partner",        // "Partner" is Czech too
        "commerce.party_id",       // the commerce system's field name
        "commerce.sku",            // a code
        "service.pstn_cisco",      // a product's name
        "people.role",             // "Role" is Czech too
        "activity.actor_commerce", // "Cisco Commerce", a product's name
    ];

    fn flat(value: &serde_json::Value, prefix: &str, out: &mut BTreeMap<String, String>) {
        match value {
            serde_json::Value::Object(map) => {
                for (key, value) in map {
                    let path = if prefix.is_empty() {
                        key.clone()
                    } else {
                        format!("{prefix}.{key}")
                    };
                    flat(value, &path, out);
                }
            }
            // A count's forms ("ranges"): every form's text, one per line.
            serde_json::Value::Array(forms) => {
                let texts: Vec<&str> = forms
                    .iter()
                    .filter_map(|form| form.get(0)?.as_str())
                    .collect();
                out.insert(prefix.to_string(), texts.join("\n"));
            }
            other => {
                out.insert(
                    prefix.to_string(),
                    other.as_str().unwrap_or_default().to_string(),
                );
            }
        }
    }

    fn load(text: &str) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        flat(
            &serde_json::from_str(text).expect("locale JSON"),
            "",
            &mut out,
        );
        out
    }

    #[test]
    fn both_locales_have_the_same_keys_and_czech_is_czech() {
        let en = load(include_str!("../locales/en.json"));
        let cs = load(include_str!("../locales/cs.json"));
        let only_en: Vec<_> = en.keys().filter(|k| !cs.contains_key(*k)).collect();
        let only_cs: Vec<_> = cs.keys().filter(|k| !en.contains_key(*k)).collect();
        assert!(
            only_en.is_empty() && only_cs.is_empty(),
            "{only_en:?} {only_cs:?}"
        );
        let same: Vec<_> = en
            .iter()
            .filter(|(k, v)| cs[*k] == **v && !SAME_ON_PURPOSE.contains(&k.as_str()))
            .map(|(k, _)| k)
            .collect();
        assert!(same.is_empty(), "English text in cs.json: {same:?}");
        // No English left in brackets inside a Czech text.
        let patched: Vec<_> = cs
            .iter()
            .filter(|(_, v)| {
                ["(already", "(is ", "(Billing", "(not "]
                    .iter()
                    .any(|p| v.contains(p))
            })
            .map(|(k, _)| k)
            .collect();
        assert!(patched.is_empty(), "English patches: {patched:?}");
    }

    /// The words `locales/GLOSSARY.md` replaces, from its table's "not"
    /// column.
    fn replaced_words() -> Vec<(String, String)> {
        include_str!("../locales/GLOSSARY.md")
            .lines()
            .filter(|line| line.starts_with('|') && !line.starts_with("| ---"))
            .skip(1)
            .flat_map(|line| {
                let cells: Vec<&str> = line.split('|').map(str::trim).collect();
                let term = cells[2].to_string();
                cells[3]
                    .split(',')
                    .map(str::trim)
                    .filter(|w| !w.is_empty())
                    .map(move |w| (w.to_lowercase(), term.clone()))
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    /// Whether `word` starts a word of `text` (letter case aside).
    fn has_word(text: &str, word: &str) -> bool {
        let text = text.to_lowercase();
        text.match_indices(word).any(|(at, _)| {
            text[..at]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric())
        })
    }

    #[test]
    fn czech_uses_the_glossarys_terms() {
        let words = replaced_words();
        assert!(words.len() >= 10, "the glossary's table was not read");
        let cs = load(include_str!("../locales/cs.json"));
        let mut found = Vec::new();
        for (key, text) in &cs {
            for (word, term) in &words {
                // "Cisco Commerce" is the name; "commerce" alone is not.
                let named = word == "commerce" && text.contains("Cisco Commerce");
                if has_word(text, word) && !named {
                    found.push(format!("{key}: \"{word}\" (the term is \"{term}\")"));
                }
            }
        }
        assert!(
            found.is_empty(),
            "replaced terms in cs.json:\n{}",
            found.join("\n")
        );
    }

    #[test]
    fn a_word_is_found_only_where_a_word_starts() {
        assert!(has_word("Strana 2", "strana"));
        assert!(!has_word("stranou", "strana"));
        assert!(!has_word("Nastrana", "strana"));
    }
}
