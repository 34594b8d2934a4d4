//! Secrets at rest in the outbox: the link of an email (a setup, approval or
//! password link carries its token) is stored encrypted with AES-256-GCM
//! under the configured key, apart from the text, which holds a placeholder.
//! The worker puts it back at send time; once sent, it is forgotten.

use aes_gcm::{
    Aes256Gcm, Key, Nonce,
    aead::{Aead, KeyInit},
};
use anyhow::Context;
use base64::{Engine, engine::general_purpose::STANDARD};
use rand::{TryRngCore, rngs::OsRng};

/// Where a stored email's link stood.
pub const LINK_PLACEHOLDER: &str = "{{link}}";

/// Encrypts and decrypts the links of stored emails.
#[derive(Clone)]
pub struct Sealer {
    cipher: Aes256Gcm,
}

impl Sealer {
    /// A sealer for a 32-byte key.
    pub fn new(key: &[u8; 32]) -> Self {
        Sealer {
            cipher: Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(key)),
        }
    }

    /// `base64(nonce || ciphertext)`, a fresh 96-bit nonce each time.
    pub fn seal(&self, secret: &str) -> anyhow::Result<String> {
        let mut nonce = [0u8; 12];
        OsRng
            .try_fill_bytes(&mut nonce)
            .map_err(|e| anyhow::anyhow!("operating system RNG failed: {e}"))?;
        let sealed = self
            .cipher
            .encrypt(Nonce::from_slice(&nonce), secret.as_bytes())
            .map_err(|_| anyhow::anyhow!("sealing a link failed"))?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        Ok(STANDARD.encode(out))
    }

    /// The secret of [`Sealer::seal`]'s output; fails under another key.
    pub fn open(&self, sealed: &str) -> anyhow::Result<String> {
        let bytes = STANDARD
            .decode(sealed)
            .context("sealed link is not base64")?;
        anyhow::ensure!(bytes.len() > 12, "sealed link too short");
        let (nonce, ciphertext) = bytes.split_at(12);
        let plain = self
            .cipher
            .decrypt(Nonce::from_slice(nonce), ciphertext)
            .map_err(|_| anyhow::anyhow!("sealed link does not open with this key"))?;
        String::from_utf8(plain).context("sealed link is not text")
    }
}

/// How the outbox keeps links.
#[derive(Clone)]
pub struct OutboxSecrets {
    pub sealer: Sealer,
    /// Forget a link once its email is sent (production). The development
    /// mailbox keeps showing it.
    pub forget_when_sent: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_link_opens_with_its_key_only_and_never_reads_as_itself() {
        let sealer = Sealer::new(&[7; 32]);
        let link = "https://setup.example.com/setup/abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
        let sealed = sealer.seal(link).unwrap();
        assert!(!sealed.contains("abcdefghijklmnop"));
        assert_ne!(
            sealed,
            sealer.seal(link).unwrap(),
            "a fresh nonce each time"
        );
        assert_eq!(sealer.open(&sealed).unwrap(), link);
        assert!(Sealer::new(&[8; 32]).open(&sealed).is_err());
    }
}
