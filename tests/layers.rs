//! The house has one direction (ARCHITECTURE.md): main → serve → app →
//! pages → server → model → domain. A module may use its own layer and the
//! ones below it, never one above. This test reads every `crate::…` path in
//! `src/` and fails on a path that runs back up, naming the file and the line.
//! Server functions sit in the pages that call them and reach down into the
//! server; storage and services never reach up into a page.

use std::path::{Path, PathBuf};

/// The layers, from the top down.
const LAYERS: [&str; 7] = ["main", "serve", "app", "pages", "server", "model", "domain"];

/// The layer of a file of `src/`, by its path.
fn layer_of_file(path: &str) -> &'static str {
    match path {
        "main.rs" => "main",
        "serve.rs" => "serve",
        "app.rs" | "lib.rs" => "app",
        p if p.starts_with("server/") => "server",
        p if p.starts_with("model/") || p == "error.rs" => "model",
        p if p.starts_with("domain/") || p == "domain.rs" => "domain",
        _ => "pages",
    }
}

/// The layer of a module named after `crate::`.
fn layer_of_module(module: &str) -> Option<&'static str> {
    Some(match module {
        "serve" => "serve",
        "app" => "app",
        "server" => "server",
        "model" | "error" => "model",
        // The translations are generated from locales/ and used at every
        // floor, like the domain types.
        "domain" | "i18n" => "domain",
        "account" | "activity" | "approval" | "commerce" | "components" | "form" | "hub"
        | "mailbox" | "people" | "customers" | "security" | "service" | "wizard" | "dev"
        | "language" => "pages",
        _ => return None,
    })
}

fn rank(layer: &str) -> usize {
    LAYERS.iter().position(|l| *l == layer).unwrap()
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every `crate::name` in a line, outside comments.
fn crate_paths(line: &str) -> Vec<String> {
    let code = line.split("//").next().unwrap_or("");
    let mut found = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let after = &rest[at + "crate::".len()..];
        let name: String = after
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() {
            found.push(name);
        }
        rest = after;
    }
    found
}

/// A `use crate::{a, b::c}` group names several modules at once.
fn grouped(line: &str) -> Vec<String> {
    let code = line.split("//").next().unwrap_or("");
    let Some(open) = code.find("crate::{") else {
        return Vec::new();
    };
    code[open + "crate::{".len()..]
        .split([',', '}'])
        .filter_map(|part| {
            let name: String = part
                .trim()
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            (!name.is_empty()).then_some(name)
        })
        .collect()
}

/// The tree read: `src/`, or another checkout's (`LAYERS_SRC`), to show
/// what the test says of it.
fn source_root() -> PathBuf {
    std::env::var_os("LAYERS_SRC")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("src"))
}

#[test]
fn no_module_uses_a_layer_above_its_own() {
    let root = source_root();
    let mut all = Vec::new();
    files(&root, &mut all);
    let mut upward = Vec::new();
    for file in &all {
        let relative = file
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let own = layer_of_file(&relative);
        let text = std::fs::read_to_string(file).unwrap();
        for (number, line) in text.lines().enumerate() {
            let mut names = crate_paths(line);
            names.extend(grouped(line));
            for name in names {
                let Some(target) = layer_of_module(&name) else {
                    continue;
                };
                if rank(target) < rank(own) {
                    upward.push(format!(
                        "src/{relative}:{}: {own} uses {target} (crate::{name})",
                        number + 1
                    ));
                }
            }
        }
    }
    assert!(
        upward.is_empty(),
        "{} arrows run back up:\n{}",
        upward.len(),
        upward.join("\n")
    );
}

#[test]
fn every_module_of_the_crate_has_a_layer() {
    let lib = std::fs::read_to_string(source_root().join("lib.rs")).unwrap();
    for line in lib.lines() {
        let line = line.trim();
        // Modules in files of their own; inline ones (tests, the generated
        // translations) live in lib.rs.
        if let Some(rest) = line.strip_prefix("pub mod ").or(line.strip_prefix("mod "))
            && let Some(name) = rest.strip_suffix(';')
        {
            assert!(
                layer_of_module(name).is_some(),
                "module {name} has no layer in tests/layers.rs"
            );
        }
    }
}

/// Storage reads and writes; the services above it decide. What storage
/// must not name, with why.
const NOT_IN_STORAGE: [(&str, &str); 6] = [
    (
        "crate::error",
        "refusals are the services' (storage answers anyhow errors and typed rows)",
    ),
    (
        "AppError",
        "refusals are the services' (storage answers anyhow errors and typed rows)",
    ),
    (
        "crate::server::services",
        "services call storage, never the other way",
    ),
    ("plan(", "the plan is run by the commit service"),
    ("access::", "access is decided in server/access.rs"),
    (
        "mail::",
        "emails are written by the services (storage stores them)",
    ),
];

/// Whether a line calls a function of the mail module (a letter, the
/// language rule); its types (`Email`, `OrderMail`, …) and `escape` (for
/// the stored mailbox) are what storage stores and reads back.
fn calls_mail(code: &str) -> bool {
    code.match_indices("mail::").any(|(at, _)| {
        let next = &code[at + "mail::".len()..];
        next.starts_with(|c: char| c.is_ascii_lowercase())
            && !next.starts_with("escape")
            && !next.starts_with("self")
    })
}

#[test]
fn storage_only_reads_and_writes() {
    let root = source_root().join("server/store");
    let mut all = Vec::new();
    files(&root, &mut all);
    let mut found = Vec::new();
    for file in &all {
        let text = std::fs::read_to_string(file).unwrap();
        for (number, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for (name, why) in NOT_IN_STORAGE {
                if !code.contains(name) {
                    continue;
                }
                if name == "mail::" && !calls_mail(code) {
                    continue;
                }
                found.push(format!("{}:{}: {name}: {why}", file.display(), number + 1));
            }
        }
    }
    assert!(found.is_empty(), "storage decides:\n{}", found.join("\n"));
}
