//! Passwords and the rule a new one follows.

use super::DomainError;
use std::fmt;

// ---------------------------------------------------------------------------
// Password
// ---------------------------------------------------------------------------

/// Shortest accepted password, in characters.
pub(super) const PASSWORD_MIN_LEN: usize = 12;
/// Longest accepted password, in characters.
pub(super) const PASSWORD_MAX_LEN: usize = 128;

/// Well-known passwords of 12 or more characters, lower-case.
pub(super) const COMMON_PASSWORDS: &[&str] = &[
    "password1234",
    "password12345",
    "password123456",
    "password1234!",
    "password123!!",
    "passwordpassword",
    "p@ssword1234",
    "p@ssw0rd1234",
    "passw0rd1234",
    "mypassword123",
    "thisismypassword",
    "passwort1234",
    "heslo1234567",
    "hesloheslo12",
    "123456789012",
    "1234567890123",
    "12345678901234",
    "123456789abc",
    "abc123456789",
    "abc123abc123",
    "123123123123",
    "121212121212",
    "112233445566",
    "123456123456",
    "987654321098",
    "098765432109",
    "abcdefghijkl",
    "abcdefgh1234",
    "abcd12345678",
    "abcabcabcabc",
    "qwertyuiopas",
    "qwertyuiop12",
    "qwertyuiop123",
    "qwerty123456",
    "qwerty1234567",
    "qwertyqwerty",
    "qwertzuiopas",
    "qwertz123456",
    "asdfghjkl123",
    "asdfasdfasdf",
    "zxcvbnm12345",
    "qazwsxedcrfv",
    "1qaz2wsx3edc",
    "1q2w3e4r5t6y",
    "zaq12wsxcde3",
    "iloveyou1234",
    "iloveyouiloveyou",
    "letmein12345",
    "letmeinletmein",
    "welcome12345",
    "welcome123456",
    "welcome@1234",
    "administrator",
    "administrator1",
    "admin1234567",
    "adminadmin123",
    "changeme1234",
    "changeme12345",
    "secret123456",
    "trustno1trustno1",
    "football1234",
    "baseball1234",
    "sunshine1234",
    "princess1234",
    "dragon123456",
    "monkey123456",
    "superman1234",
    "starwars1234",
    "master123456",
    "shadow123456",
    "michael12345",
    "computer1234",
    "whatever1234",
    "summer123456",
    "winter123456",
    "correcthorsebatterystaple",
    "webex1234567",
    "cisco1234567",
    "aaaaaaaaaaaa",
    "111111111111",
    "000000000000",
];

/// Checks a new password alone (the first field of a password form): 12 to 128
/// characters, not a common password, not one character repeated. Not trimmed.
pub fn check_password(password: &str) -> Result<(), DomainError> {
    if password.is_empty() {
        return Err(DomainError::Required);
    }
    let len = password.chars().count();
    if len < PASSWORD_MIN_LEN {
        return Err(DomainError::PasswordTooShort);
    }
    if len > PASSWORD_MAX_LEN {
        return Err(DomainError::PasswordTooLong);
    }
    let lower = password.to_lowercase();
    let mut chars = password.chars();
    let first = chars.next();
    let one_char_repeated = chars.all(|c| Some(c) == first);
    if one_char_repeated || COMMON_PASSWORDS.contains(&lower.as_str()) {
        return Err(DomainError::PasswordCommon);
    }
    Ok(())
}

/// A new password that passed [`check_password`] and matched its confirmation.
///
/// Neither `Debug` nor anything else prints it; use [`Password::expose`] only to
/// hash it. Deliberately not serializable.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    /// Checks a password and its confirmation (neither is trimmed).
    pub fn parse(password: &str, confirmation: &str) -> Result<Self, DomainError> {
        check_password(password)?;
        if password != confirmation {
            return Err(DomainError::PasswordMismatch);
        }
        Ok(Self(password.to_owned()))
    }

    /// The secret itself, for hashing.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}
