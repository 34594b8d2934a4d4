//! Configuration from the environment. Every setting has a documented default;
//! secrets have one only in development mode.

use anyhow::{Context, bail};
use std::{net::SocketAddr, time::Duration};

/// Development runs with demo data, development hooks and a known commerce token;
/// production refuses to start without its secrets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `SETUP_NOW_MODE=development`.
    Development,
    /// `SETUP_NOW_MODE=production` (the default).
    Production,
}

/// Everything the server reads from its environment.
#[derive(Clone)]
pub struct Config {
    /// `SETUP_NOW_MODE`: `development` or `production` (default).
    pub mode: Mode,
    /// `SETUP_NOW_ADDR`: where to listen (default `127.0.0.1:3000`; port 0 picks one).
    pub addr: SocketAddr,
    /// `SETUP_NOW_DATABASE_URL`: `sqlite://PATH` (default `sqlite://setup-now.db`)
    /// or `postgres://USER@HOST:PORT/DATABASE`.
    pub database_url: String,
    /// `SETUP_NOW_DATABASE_POOL_SIZE`: the most connections one instance
    /// opens (default 16 on PostgreSQL, 8 on SQLite; 1 to 1000). Instances
    /// times this must fit PostgreSQL's `max_connections`.
    pub database_pool_size: Option<u32>,
    /// `SETUP_NOW_PUBLIC_URL`: the absolute base of links in emails
    /// (default `http://127.0.0.1:3000`). Never taken from a request's Host header.
    pub public_url: String,
    /// `SETUP_NOW_SMTP_URL`: e.g. `smtp://user:pass@mail.example:587`. Unset
    /// (development) or `none` means emails stay in the built-in mailbox only;
    /// production refuses to start without it, so that invitations never only
    /// queue by mistake.
    pub smtp_url: Option<String>,
    /// `SETUP_NOW_SMTP_FROM`: sender address (default `Set Up Now <no-reply@setup-now.invalid>`).
    pub smtp_from: String,
    /// `SETUP_NOW_COMMERCE_TOKEN`: bearer token of the commerce system. Required in
    /// production; `dev-commerce-token` in development.
    pub commerce_token: String,
    /// `SETUP_NOW_DEV_HOOKS`: `1` switches on `/api/dev/*` and `/mailbox`
    /// (default: on in development, off in production).
    pub dev_hooks: bool,
    /// `SETUP_NOW_DEMO_DATA`: `1` loads the demo orders once (default: as dev hooks).
    pub demo_data: bool,
    /// `SETUP_NOW_SCHEDULER_INTERVAL_SECS`: seconds between scheduler passes (default 30).
    pub scheduler_interval: Duration,
    /// `SETUP_NOW_WEBHOOK_URL` (with `SETUP_NOW_WEBHOOK_SECRET`, required with
    /// it, and `SETUP_NOW_WEBHOOK_FIRST_RETRY_MS`, default 5000): where status
    /// events go. Unset: they are kept and can be replayed later.
    pub webhook: Option<WebhookTarget>,
    /// `SETUP_NOW_SECRET_KEY`: 32 bytes, base64, that seal the links of stored
    /// emails. Required in production; a fixed, public key in development.
    pub secret_key: [u8; 32],
    /// `SETUP_NOW_SECRET_KEY_PREVIOUS`: while a key is rotated, the key
    /// before it; links it sealed still open. Unset once the outbox holds
    /// nothing sealed with it (docs/production.md).
    pub previous_secret_key: Option<[u8; 32]>,
    /// `SETUP_NOW_COMMERCE_TOKEN_PREVIOUS`: while the token is rotated, the
    /// token before it, still accepted.
    pub previous_commerce_token: Option<String>,
    /// `SETUP_NOW_CLIENT_IP_HEADER`: the header a trusted proxy in front sets to
    /// the client's address (e.g. `x-forwarded-for`); unset: the peer address.
    pub client_ip_header: Option<String>,
    /// `SETUP_NOW_METRICS_TOKEN`: a bearer token that may read `/metrics`
    /// from anywhere (at least 16 characters in production); unset, only
    /// callers on this host's loopback may (contract section 15).
    pub metrics_token: Option<String>,
    /// `SETUP_NOW_BEARER_ATTEMPTS`: wrong bearer tokens one client network
    /// may send to the order API in 15 minutes before it must wait (default
    /// 20; [`crate::server::throttle::bearer`]).
    pub bearer_attempts: i64,
    /// `SETUP_NOW_OUTBOX_LEASE_SECS`: how long a claimed email is reserved for
    /// the instance sending it before another may (default 300).
    pub outbox_lease: Duration,
    /// `SETUP_NOW_SESSION_IDLE_MINUTES` (default 30) and
    /// `SETUP_NOW_SESSION_HOURS` (default 12): a session ends after so long
    /// without a request, and so long after its sign-in in any case.
    pub session_idle: Duration,
    pub session_absolute: Duration,
    /// `LEPTOS_SITE_ROOT`: the folder with `pkg/` (default `target/site`).
    pub site_root: String,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("mode", &self.mode)
            .field("addr", &self.addr)
            .field("database_url", &self.database_url)
            .field("public_url", &self.public_url)
            .field("smtp", &self.smtp_url.is_some())
            .field("dev_hooks", &self.dev_hooks)
            .field("demo_data", &self.demo_data)
            .field("scheduler_interval", &self.scheduler_interval)
            .field("outbox_lease", &self.outbox_lease)
            .field("site_root", &self.site_root)
            .finish_non_exhaustive()
    }
}

fn flag(value: &str) -> anyhow::Result<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" | "" => Ok(false),
        other => bail!("expected 1 or 0, found {other:?}"),
    }
}

impl Config {
    /// Reads the process environment.
    pub fn from_env() -> anyhow::Result<Self> {
        Self::from_lookup(|key| std::env::var(key).ok())
    }

    /// Reads settings through `lookup` (the environment, or a map in tests).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> anyhow::Result<Self> {
        let mode = match lookup("SETUP_NOW_MODE").as_deref().map(str::trim) {
            None | Some("") | Some("production") => Mode::Production,
            Some("development") => Mode::Development,
            Some(other) => bail!("SETUP_NOW_MODE must be development or production, not {other:?}"),
        };
        let dev = mode == Mode::Development;
        let addr = lookup("SETUP_NOW_ADDR")
            .unwrap_or_else(|| "127.0.0.1:3000".into())
            .parse()
            .context("SETUP_NOW_ADDR must be HOST:PORT")?;
        let commerce_token = match lookup("SETUP_NOW_COMMERCE_TOKEN").filter(|t| !t.is_empty()) {
            Some(token) => token,
            None if dev => "dev-commerce-token".into(),
            None => bail!("SETUP_NOW_COMMERCE_TOKEN must be set in production mode"),
        };
        if !dev && commerce_token.len() < 16 {
            bail!("SETUP_NOW_COMMERCE_TOKEN must have at least 16 characters in production mode");
        }
        let previous_commerce_token =
            lookup("SETUP_NOW_COMMERCE_TOKEN_PREVIOUS").filter(|t| !t.is_empty());
        if !dev
            && previous_commerce_token
                .as_ref()
                .is_some_and(|t| t.len() < 16)
        {
            bail!(
                "SETUP_NOW_COMMERCE_TOKEN_PREVIOUS must have at least 16 characters in production mode"
            );
        }
        let dev_hooks = match lookup("SETUP_NOW_DEV_HOOKS") {
            Some(value) => flag(&value).context("SETUP_NOW_DEV_HOOKS")?,
            None => dev,
        };
        let demo_data = match lookup("SETUP_NOW_DEMO_DATA") {
            Some(value) => flag(&value).context("SETUP_NOW_DEMO_DATA")?,
            None => dev_hooks,
        };
        // The hooks hand out every link and move the clock; demo data makes
        // known accounts. Neither ever runs in production.
        if !dev && (dev_hooks || demo_data) {
            bail!(
                "SETUP_NOW_DEV_HOOKS and SETUP_NOW_DEMO_DATA are refused unless SETUP_NOW_MODE=development"
            );
        }
        let seconds = |name: &str, default: u64| -> anyhow::Result<Duration> {
            match lookup(name) {
                Some(secs) => Ok(Duration::from_secs(
                    secs.trim()
                        .parse::<u64>()
                        .ok()
                        .filter(|s| *s > 0)
                        .with_context(|| format!("{name} must be a positive number"))?,
                )),
                None => Ok(Duration::from_secs(default)),
            }
        };
        let scheduler_interval = seconds("SETUP_NOW_SCHEDULER_INTERVAL_SECS", 30)?;
        let outbox_lease = seconds("SETUP_NOW_OUTBOX_LEASE_SECS", 300)?;
        let session_idle = seconds("SETUP_NOW_SESSION_IDLE_MINUTES", 30)? * 60;
        let session_absolute = seconds("SETUP_NOW_SESSION_HOURS", 12)? * 3600;
        let public_url = match lookup("SETUP_NOW_PUBLIC_URL").filter(|u| !u.trim().is_empty()) {
            Some(url) => url.trim().trim_end_matches('/').to_string(),
            None if dev => "http://127.0.0.1:3000".into(),
            None => bail!(
                "SETUP_NOW_PUBLIC_URL must be set in production mode (the https:// address people open)"
            ),
        };
        if !(public_url.starts_with("http://") || public_url.starts_with("https://")) {
            bail!("SETUP_NOW_PUBLIC_URL must be an absolute http(s) URL");
        }
        // Links in emails and the session cookie's Secure flag follow it.
        if !dev && !public_url.starts_with("https://") {
            bail!("SETUP_NOW_PUBLIC_URL must be an https:// URL in production mode");
        }
        let secret_key = match lookup("SETUP_NOW_SECRET_KEY").filter(|k| !k.trim().is_empty()) {
            Some(key) => parse_secret_key(&key).context("SETUP_NOW_SECRET_KEY")?,
            None if dev => *b"setup-now development only key!!",
            None => bail!(
                "SETUP_NOW_SECRET_KEY must be set in production mode (openssl rand -base64 32)"
            ),
        };
        let previous_secret_key = lookup("SETUP_NOW_SECRET_KEY_PREVIOUS")
            .filter(|k| !k.trim().is_empty())
            .map(|key| parse_secret_key(&key).context("SETUP_NOW_SECRET_KEY_PREVIOUS"))
            .transpose()?;
        let webhook = match lookup("SETUP_NOW_WEBHOOK_URL").filter(|u| !u.trim().is_empty()) {
            None => None,
            Some(url) => {
                let url = url.trim().to_string();
                if !(url.starts_with("http://") || url.starts_with("https://")) {
                    bail!("SETUP_NOW_WEBHOOK_URL must be an absolute http(s) URL");
                }
                let secret = lookup("SETUP_NOW_WEBHOOK_SECRET").context(
                    "SETUP_NOW_WEBHOOK_SECRET (whsec_...) is required with SETUP_NOW_WEBHOOK_URL",
                )?;
                let secret = parse_webhook_secret(&secret).context("SETUP_NOW_WEBHOOK_SECRET")?;
                let previous_secret = lookup("SETUP_NOW_WEBHOOK_SECRET_PREVIOUS")
                    .filter(|s| !s.trim().is_empty())
                    .map(|s| parse_webhook_secret(&s).context("SETUP_NOW_WEBHOOK_SECRET_PREVIOUS"))
                    .transpose()?;
                let first_wait =
                    match lookup("SETUP_NOW_WEBHOOK_FIRST_RETRY_MS") {
                        Some(ms) => ms.trim().parse::<i64>().ok().filter(|ms| *ms > 0).context(
                            "SETUP_NOW_WEBHOOK_FIRST_RETRY_MS must be a positive number",
                        )?,
                        None => 5_000,
                    };
                Some(WebhookTarget {
                    url,
                    secret,
                    previous_secret,
                    first_wait: chrono::Duration::milliseconds(first_wait),
                })
            }
        };
        let smtp_url = match lookup("SETUP_NOW_SMTP_URL").map(|u| u.trim().to_string()) {
            Some(u) if u.eq_ignore_ascii_case("none") => None,
            Some(u) if !u.is_empty() => Some(u),
            _ if mode == Mode::Production => bail!(
                "SETUP_NOW_SMTP_URL is required in production (smtp://... or smtps://...), \
                 or SETUP_NOW_SMTP_URL=none to send no mail at all"
            ),
            _ => None,
        };
        if let (Mode::Production, Some(url)) = (mode, &smtp_url) {
            smtp_is_private(url).context("SETUP_NOW_SMTP_URL")?;
        }
        let database_pool_size = lookup("SETUP_NOW_DATABASE_POOL_SIZE")
            .filter(|n| !n.trim().is_empty())
            .map(|n| {
                n.trim()
                    .parse::<u32>()
                    .ok()
                    .filter(|n| (1..=1000).contains(n))
                    .context("SETUP_NOW_DATABASE_POOL_SIZE must be a number from 1 to 1000")
            })
            .transpose()?;
        let metrics_token = lookup("SETUP_NOW_METRICS_TOKEN").filter(|t| !t.trim().is_empty());
        if !dev && metrics_token.as_ref().is_some_and(|t| t.len() < 16) {
            bail!("SETUP_NOW_METRICS_TOKEN must have at least 16 characters in production mode");
        }
        let bearer_attempts = match lookup("SETUP_NOW_BEARER_ATTEMPTS") {
            None => 20,
            Some(n) => n
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|n| *n >= 1)
                .context("SETUP_NOW_BEARER_ATTEMPTS must be a positive number")?,
        };
        Ok(Config {
            bearer_attempts,
            database_pool_size,
            metrics_token,
            webhook,
            secret_key,
            previous_secret_key,
            previous_commerce_token,
            mode,
            addr,
            database_url: lookup("SETUP_NOW_DATABASE_URL")
                .unwrap_or_else(|| "sqlite://setup-now.db".into()),
            public_url,
            smtp_url,
            smtp_from: lookup("SETUP_NOW_SMTP_FROM")
                .unwrap_or_else(|| "Set Up Now <no-reply@setup-now.invalid>".into()),
            commerce_token,
            dev_hooks,
            demo_data,
            scheduler_interval,
            client_ip_header: lookup("SETUP_NOW_CLIENT_IP_HEADER")
                .map(|h| h.trim().to_ascii_lowercase())
                .filter(|h| !h.is_empty()),
            outbox_lease,
            session_idle,
            session_absolute,
            site_root: lookup("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".into()),
        })
    }
}

/// Where events go and how they are signed.
#[derive(Clone)]
pub struct WebhookTarget {
    pub url: String,
    /// The secret's bytes (the part after `whsec_`, base64-decoded).
    pub secret: Vec<u8>,
    /// `SETUP_NOW_WEBHOOK_SECRET_PREVIOUS`: while the secret is rotated, the
    /// one before it; each event is then signed with both (Standard
    /// Webhooks' list of signatures), so a receiver verifies with either.
    pub previous_secret: Option<Vec<u8>>,
    /// The first wait after a failure; it doubles with each attempt.
    pub first_wait: chrono::Duration,
}

/// Refuses an SMTP URL that would send links in clear text: it must use TLS
/// (`smtps://`, or `tls=required` for STARTTLS) unless the relay is on this
/// host's loopback.
fn smtp_is_private(url: &str) -> anyhow::Result<()> {
    let parsed = reqwest::Url::parse(url).context("not a URL (smtp://HOST:587?tls=required)")?;
    let tls = parsed.scheme() == "smtps"
        || parsed
            .query_pairs()
            .any(|(key, value)| key == "tls" && value == "required");
    let host = parsed.host_str().unwrap_or_default();
    let loopback = host.eq_ignore_ascii_case("localhost")
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    anyhow::ensure!(
        tls || loopback,
        "must use TLS in production: smtps://HOST:465 or smtp://HOST:587?tls=required \
         (plain SMTP only to a relay on localhost)"
    );
    Ok(())
}

/// Parses a 32-byte key given in base64.
fn parse_secret_key(key: &str) -> anyhow::Result<[u8; 32]> {
    use base64::Engine;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(key.trim())
        .ok()
        .filter(|b| b.len() == 32)
        .context("must be 32 bytes in base64 (openssl rand -base64 32)")?;
    let mut out = [0u8; 32];
    out.copy_from_slice(&bytes);
    Ok(out)
}

/// Parses a `whsec_<base64>` secret.
pub fn parse_webhook_secret(secret: &str) -> anyhow::Result<Vec<u8>> {
    use base64::Engine;
    let encoded = secret
        .trim()
        .strip_prefix("whsec_")
        .ok_or_else(|| anyhow::anyhow!("the secret starts with whsec_"))?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .map_err(|e| anyhow::anyhow!("the secret after whsec_ is base64: {e}"))?;
    anyhow::ensure!(bytes.len() >= 24, "the secret has at least 24 bytes");
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(pairs: &[(&str, &str)]) -> anyhow::Result<Config> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn production_refuses_to_start_without_a_commerce_token() {
        let err = config(&[]).unwrap_err();
        assert!(format!("{err}").contains("SETUP_NOW_COMMERCE_TOKEN"));
    }

    #[test]
    fn the_pool_size_is_a_number_from_1_to_1000() {
        let dev = ("SETUP_NOW_MODE", "development");
        assert_eq!(config(&[dev]).unwrap().database_pool_size, None);
        let set = config(&[dev, ("SETUP_NOW_DATABASE_POOL_SIZE", " 40 ")]).unwrap();
        assert_eq!(set.database_pool_size, Some(40));
        for bad in ["0", "1001", "many", "-3"] {
            let err = config(&[dev, ("SETUP_NOW_DATABASE_POOL_SIZE", bad)]).unwrap_err();
            assert!(
                format!("{err:#}").contains("SETUP_NOW_DATABASE_POOL_SIZE"),
                "{bad}"
            );
        }
    }

    #[test]
    fn development_has_the_documented_defaults() {
        let c = config(&[("SETUP_NOW_MODE", "development")]).unwrap();
        assert_eq!(c.commerce_token, "dev-commerce-token");
        assert!(c.dev_hooks && c.demo_data);
        assert_eq!(c.addr.to_string(), "127.0.0.1:3000");
        assert_eq!(c.public_url, "http://127.0.0.1:3000");
        assert_eq!(c.session_idle, Duration::from_secs(30 * 60));
        assert_eq!(c.session_absolute, Duration::from_secs(12 * 3600));
        let short = config(&[
            ("SETUP_NOW_MODE", "development"),
            ("SETUP_NOW_SESSION_IDLE_MINUTES", "5"),
            ("SETUP_NOW_SESSION_HOURS", "1"),
        ])
        .unwrap();
        assert_eq!(short.session_idle, Duration::from_secs(300));
        assert_eq!(short.session_absolute, Duration::from_secs(3600));
    }

    const PRODUCTION: [(&str, &str); 4] = [
        ("SETUP_NOW_COMMERCE_TOKEN", "a-long-enough-secret-token"),
        ("SETUP_NOW_PUBLIC_URL", "https://setup.example.com/"),
        (
            "SETUP_NOW_SECRET_KEY",
            "c2V0dXAtbm93IHRlc3Qga2V5IG9mIDMyIGJ5dGVzISE=",
        ),
        ("SETUP_NOW_SMTP_URL", "smtp://mail.example:587?tls=required"),
    ];

    #[test]
    fn production_refuses_smtp_without_tls_unless_the_relay_is_local() {
        let with = |url: &'static str| {
            let mut pairs = PRODUCTION.to_vec();
            pairs.push(("SETUP_NOW_SMTP_URL", url));
            config(&pairs)
        };
        for plain in [
            "smtp://user:pass@mail.example.com:587",
            "smtp://mail.example.com:25?tls=opportunistic",
        ] {
            let err = with(plain).unwrap_err();
            assert!(format!("{err:#}").contains("TLS"), "{plain}: {err:#}");
        }
        for private in [
            "smtps://user:pass@mail.example.com:465",
            "smtp://mail.example.com:587?tls=required",
            "smtp://127.0.0.1:25",
            "smtp://localhost:25",
            "smtp://[::1]:25",
        ] {
            assert!(with(private).is_ok(), "{private}");
        }
        let dev = config(&[
            ("SETUP_NOW_MODE", "development"),
            ("SETUP_NOW_SMTP_URL", "smtp://mail.example.com:25"),
        ]);
        assert!(dev.is_ok(), "development sends where it is told");
    }

    #[test]
    fn a_rotation_names_the_previous_key_token_and_secret() {
        let mut pairs = PRODUCTION.to_vec();
        pairs.push((
            "SETUP_NOW_SECRET_KEY_PREVIOUS",
            "b2xkIGtleSBvZiBzZXR1cC1ub3cgb2YgMzIgYnl0ZXM=",
        ));
        pairs.push((
            "SETUP_NOW_COMMERCE_TOKEN_PREVIOUS",
            "the-old-commerce-token",
        ));
        let c = config(&pairs).unwrap();
        assert_eq!(
            c.previous_secret_key.as_ref(),
            Some(b"old key of setup-now of 32 bytes")
        );
        assert_eq!(
            c.previous_commerce_token.as_deref(),
            Some("the-old-commerce-token")
        );
        pairs.push(("SETUP_NOW_COMMERCE_TOKEN_PREVIOUS", "short"));
        let err = config(&pairs).unwrap_err();
        assert!(
            format!("{err}").contains("SETUP_NOW_COMMERCE_TOKEN_PREVIOUS"),
            "{err}"
        );
        let mut bad = PRODUCTION.to_vec();
        bad.push(("SETUP_NOW_SECRET_KEY_PREVIOUS", "dG9vIHNob3J0"));
        let err = config(&bad).unwrap_err();
        assert!(
            format!("{err:#}").contains("SETUP_NOW_SECRET_KEY_PREVIOUS"),
            "{err:#}"
        );
        assert_eq!(config(&PRODUCTION).unwrap().previous_secret_key, None);
    }

    #[test]
    fn production_refuses_to_start_without_smtp_unless_told_to_send_none() {
        let missing = &PRODUCTION[..3];
        let err = config(missing).unwrap_err();
        assert!(format!("{err}").contains("SETUP_NOW_SMTP_URL"), "{err}");
        let mut none = missing.to_vec();
        none.push(("SETUP_NOW_SMTP_URL", "none"));
        assert_eq!(config(&none).unwrap().smtp_url, None);
        let url = config(&PRODUCTION).unwrap().smtp_url;
        assert_eq!(url.as_deref(), Some("smtp://mail.example:587?tls=required"));
        let dev = config(&[("SETUP_NOW_MODE", "development")]).unwrap();
        assert_eq!(dev.smtp_url, None, "development keeps mail in the mailbox");
    }

    #[test]
    fn production_keeps_development_hooks_off() {
        let c = config(&PRODUCTION).unwrap();
        assert!(!c.dev_hooks && !c.demo_data);
        assert_eq!(c.mode, Mode::Production);
        assert_eq!(c.public_url, "https://setup.example.com");
    }

    #[test]
    fn production_refuses_the_development_hooks_and_demo_data() {
        for hook in ["SETUP_NOW_DEV_HOOKS", "SETUP_NOW_DEMO_DATA"] {
            let mut pairs = PRODUCTION.to_vec();
            pairs.push((hook, "1"));
            let err = config(&pairs).unwrap_err();
            assert!(
                format!("{err}").contains("SETUP_NOW_MODE=development"),
                "{err}"
            );
        }
    }

    #[test]
    fn production_needs_a_secret_key_of_32_bytes() {
        let mut missing = PRODUCTION.to_vec();
        missing.remove(2);
        let err = config(&missing).unwrap_err();
        assert!(format!("{err}").contains("SETUP_NOW_SECRET_KEY"), "{err}");
        let mut short = PRODUCTION.to_vec();
        short[2] = ("SETUP_NOW_SECRET_KEY", "dG9vIHNob3J0");
        assert!(format!("{:#}", config(&short).unwrap_err()).contains("32 bytes"));
        assert_eq!(
            &config(&PRODUCTION).unwrap().secret_key,
            b"setup-now test key of 32 bytes!!"
        );
    }

    #[test]
    fn production_needs_an_https_public_url() {
        let mut missing = PRODUCTION.to_vec();
        missing.remove(1);
        let err = config(&missing).unwrap_err();
        assert!(format!("{err}").contains("SETUP_NOW_PUBLIC_URL"), "{err}");
        let mut plain = PRODUCTION.to_vec();
        plain[1] = ("SETUP_NOW_PUBLIC_URL", "http://setup.example.com");
        assert!(format!("{}", config(&plain).unwrap_err()).contains("https://"));
    }

    #[test]
    fn a_relative_public_url_is_refused() {
        assert!(
            config(&[
                ("SETUP_NOW_MODE", "development"),
                ("SETUP_NOW_PUBLIC_URL", "/x")
            ])
            .is_err()
        );
    }
}
