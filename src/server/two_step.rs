//! Two-step sign-in (contract section 13): time-based codes (RFC 6238:
//! HMAC-SHA1, 6 digits, 30-second steps, one step of drift either way) from
//! `totp-rs`, the secret's QR code as SVG from `qrcode`, and the recovery
//! codes. Pure functions of their inputs; the store keeps what they return.

use base64::{Engine, engine::general_purpose::STANDARD};
use rand::{TryRngCore, rngs::OsRng};
use totp_rs::{Algorithm, Secret, TOTP};

/// The name authenticator apps show beside the account.
pub const ISSUER: &str = "setup-now";
/// Seconds a code lasts.
pub const STEP_SECONDS: u64 = 30;
/// How many recovery codes a user gets.
pub const RECOVERY_CODES: usize = 10;

/// A new secret: 160 bits from the operating system's generator (RFC 4226
/// recommends 160), base32 as authenticator apps take it.
pub fn new_secret() -> anyhow::Result<String> {
    let mut bytes = [0u8; 20];
    OsRng
        .try_fill_bytes(&mut bytes)
        .map_err(|e| anyhow::anyhow!("operating system RNG failed: {e}"))?;
    Ok(base32(&bytes))
}

/// Bytes as unpadded RFC 4648 base32.
fn base32(bytes: &[u8]) -> String {
    Secret::Raw(bytes.to_vec()).to_encoded().to_string()
}

fn totp(secret_base32: &str, account: &str) -> anyhow::Result<TOTP> {
    let bytes = Secret::Encoded(secret_base32.to_string())
        .to_bytes()
        .map_err(|e| anyhow::anyhow!("a stored two-step secret is not base32: {e}"))?;
    // An account name may not hold ':' (the label's separator); an email
    // address never does.
    TOTP::new(
        Algorithm::SHA1,
        6,
        // Each step is checked on its own (below), to know which one a code
        // was and refuse it again.
        0,
        STEP_SECONDS,
        bytes,
        Some(ISSUER.to_string()),
        account.replace(':', ""),
    )
    .map_err(|e| anyhow::anyhow!("two-step secret: {e}"))
}

/// The `otpauth://` address an authenticator app reads from the QR code.
pub fn otpauth_url(secret_base32: &str, account: &str) -> anyhow::Result<String> {
    Ok(totp(secret_base32, account)?.get_url())
}

/// The QR code of the `otpauth://` address, as an SVG image in a `data:`
/// URL, rendered here (no third-party service sees the secret).
pub fn qr_code(secret_base32: &str, account: &str) -> anyhow::Result<String> {
    let url = otpauth_url(secret_base32, account)?;
    let code = qrcode::QrCode::new(url.as_bytes()).map_err(|e| anyhow::anyhow!("QR code: {e}"))?;
    let svg = code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build();
    Ok(format!(
        "data:image/svg+xml;base64,{}",
        STANDARD.encode(svg.as_bytes())
    ))
}

/// The code of `secret_base32` at `unix_seconds`, as an authenticator app
/// shows it (the story tests sign in with it).
pub fn code_at(secret_base32: &str, unix_seconds: i64) -> anyhow::Result<String> {
    Ok(totp(secret_base32, "")?.generate(unix_seconds.max(0) as u64))
}

/// The time step of `unix_seconds`.
pub fn step_of(unix_seconds: i64) -> i64 {
    unix_seconds.max(0) / STEP_SECONDS as i64
}

/// The step whose code `code` is, within one step of `now` either way and
/// later than `last_step` (a code accepted once is refused again); `None`
/// when it is none of them. Compared in constant time.
pub fn accepted_step(
    secret_base32: &str,
    code: &str,
    unix_seconds: i64,
    last_step: Option<i64>,
) -> anyhow::Result<Option<i64>> {
    let code = code.trim();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(None);
    }
    let totp = totp(secret_base32, "")?;
    let now = step_of(unix_seconds);
    let mut found = None;
    for step in [now - 1, now, now + 1] {
        if step < 0 || last_step.is_some_and(|last| step <= last) {
            continue;
        }
        // `check` compares in constant time.
        if totp.check(code, step as u64 * STEP_SECONDS) {
            found = Some(step);
        }
    }
    Ok(found)
}

/// Whether `input` looks like a six-digit code rather than a recovery code.
pub fn is_totp_code(input: &str) -> bool {
    let input = input.trim();
    input.len() == 6 && input.bytes().all(|b| b.is_ascii_digit())
}

/// Ten new recovery codes, each 50 bits from the operating system's
/// generator, written `xxxxx-xxxxx` (base32, lower case).
pub fn new_recovery_codes() -> anyhow::Result<Vec<String>> {
    (0..RECOVERY_CODES)
        .map(|_| {
            let mut bytes = [0u8; 7];
            OsRng
                .try_fill_bytes(&mut bytes)
                .map_err(|e| anyhow::anyhow!("operating system RNG failed: {e}"))?;
            let text = base32(&bytes).to_lowercase();
            Ok(format!("{}-{}", &text[0..5], &text[5..10]))
        })
        .collect()
}

/// A recovery code as stored (its hash), however it was typed: case,
/// spaces and dashes do not matter.
pub fn recovery_hash(input: &str) -> String {
    let canonical: String = input
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    super::tokens::hash_token(&format!("recovery:{canonical}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, SHA-1 rows: the 20-byte ASCII secret
    /// "12345678901234567890" and 8-digit codes at the given times.
    #[test]
    fn the_rfc_6238_test_vectors() {
        let secret = b"12345678901234567890".to_vec();
        let totp = TOTP::new(Algorithm::SHA1, 8, 1, 30, secret, None, String::new()).unwrap();
        for (time, code) in [
            (59, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
            (20_000_000_000, "65353130"),
        ] {
            assert_eq!(totp.generate(time), code, "at {time}");
        }
        // And our six digits are the same codes' last six.
        let ours = base32(b"12345678901234567890");
        assert_eq!(accepted_step(&ours, "287082", 59, None).unwrap(), Some(1));
        assert_eq!(
            accepted_step(&ours, "005924", 1_234_567_890, None).unwrap(),
            Some(1_234_567_890 / 30)
        );
    }

    #[test]
    fn one_step_of_drift_either_way_and_no_more() {
        let secret = new_secret().unwrap();
        let totp = totp(&secret, "").unwrap();
        let now = 1_800_000_000i64;
        let step = step_of(now);
        for drift in [-1i64, 0, 1] {
            let code = totp.generate(((step + drift) * 30) as u64);
            assert_eq!(
                accepted_step(&secret, &code, now, None).unwrap(),
                Some(step + drift)
            );
        }
        for drift in [-2i64, 2] {
            let code = totp.generate(((step + drift) * 30) as u64);
            // (A neighbouring step may share the code by chance: 1 in 10^6.)
            let accepted = accepted_step(&secret, &code, now, None).unwrap();
            assert!(accepted.is_none_or(|s| (s - step).abs() <= 1));
        }
    }

    #[test]
    fn a_code_of_the_last_step_used_or_before_is_refused() {
        let secret = new_secret().unwrap();
        let totp = totp(&secret, "").unwrap();
        let now = 1_800_000_000i64;
        let code = totp.generate(now as u64);
        let step = accepted_step(&secret, &code, now, None).unwrap().unwrap();
        assert_eq!(
            accepted_step(&secret, &code, now, Some(step)).unwrap(),
            None
        );
        assert_eq!(
            accepted_step(&secret, &code, now + 30, Some(step)).unwrap(),
            None
        );
        // A later code passes.
        let next = totp.generate(now as u64 + 30);
        assert_eq!(
            accepted_step(&secret, &next, now + 30, Some(step)).unwrap(),
            Some(step + 1)
        );
    }

    #[test]
    fn what_is_not_six_digits_is_no_code() {
        let secret = new_secret().unwrap();
        for input in ["", "12345", "1234567", "12345a", "abcdef"] {
            assert_eq!(accepted_step(&secret, input, 0, None).unwrap(), None);
            assert!(!is_totp_code(input));
        }
        assert!(is_totp_code(" 123456 "));
    }

    #[test]
    fn secrets_and_recovery_codes_are_fresh_and_readable() {
        let (a, b) = (new_secret().unwrap(), new_secret().unwrap());
        assert_ne!(a, b);
        assert_eq!(a.len(), 32);
        let codes = new_recovery_codes().unwrap();
        assert_eq!(codes.len(), 10);
        let mut unique = codes.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 10);
        assert!(codes.iter().all(|c| c.len() == 11 && &c[5..6] == "-"));
        let code = &codes[0];
        assert_eq!(recovery_hash(code), recovery_hash(&code.to_uppercase()));
        assert_eq!(recovery_hash(code), recovery_hash(&code.replace('-', " ")));
        assert_ne!(recovery_hash(code), recovery_hash(&codes[1]));
    }

    #[test]
    fn the_qr_code_is_an_svg_of_the_otpauth_address() {
        let secret = new_secret().unwrap();
        let url = otpauth_url(&secret, "ana@partner.example").unwrap();
        assert!(url.starts_with("otpauth://totp/setup-now:ana%40partner.example?"));
        assert!(url.contains(&format!("secret={secret}")));
        let image = qr_code(&secret, "ana@partner.example").unwrap();
        let svg = STANDARD
            .decode(image.trim_start_matches("data:image/svg+xml;base64,"))
            .unwrap();
        assert!(String::from_utf8(svg).unwrap().contains("<svg"));
    }
}
