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
    /// While the key is rotated: the key before, which only opens.
    previous: Option<Aes256Gcm>,
}

impl Sealer {
    /// A sealer for a 32-byte key.
    pub fn new(key: &[u8; 32]) -> Self {
        Sealer {
            cipher: Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(key)),
            previous: None,
        }
    }

    /// The same sealer, also opening what `previous` sealed (a rotation's
    /// window); it seals only with its own key.
    pub fn with_previous(mut self, previous: Option<&[u8; 32]>) -> Self {
        self.previous = previous.map(|key| Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(key)));
        self
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
        let nonce = Nonce::from_slice(nonce);
        let plain = self
            .cipher
            .decrypt(nonce, ciphertext)
            .or_else(|_| match &self.previous {
                Some(previous) => previous.decrypt(nonce, ciphertext),
                None => Err(aes_gcm::Error),
            })
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

    #[test]
    fn during_a_rotation_the_previous_key_opens_and_only_the_new_one_seals() {
        let old = Sealer::new(&[7; 32]);
        let sealed_before = old.seal("https://setup.example.com/setup/before").unwrap();
        let rotating = Sealer::new(&[8; 32]).with_previous(Some(&[7; 32]));
        assert_eq!(
            rotating.open(&sealed_before).unwrap(),
            "https://setup.example.com/setup/before"
        );
        let sealed_now = rotating
            .seal("https://setup.example.com/setup/now")
            .unwrap();
        assert!(old.open(&sealed_now).is_err(), "sealed with the new key");
        let after = Sealer::new(&[8; 32]);
        assert!(after.open(&sealed_before).is_err(), "the window has closed");
        assert!(after.open(&sealed_now).is_ok());
    }
}
