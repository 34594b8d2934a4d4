-- Two-step sign-in (contract section 13).

-- A user's TOTP secret (RFC 6238), sealed with the secret key as stored
-- links are; `totp_pending` is the one shown while it is turned on, until a
-- first code confirms it. `totp_last_step` is the time step of the last code
-- accepted: a code is refused again, on every instance.
ALTER TABLE users ADD COLUMN totp_secret TEXT;
ALTER TABLE users ADD COLUMN totp_pending TEXT;
ALTER TABLE users ADD COLUMN totp_enabled_at TEXT;
ALTER TABLE users ADD COLUMN totp_last_step BIGINT;

-- Ten single-use codes for when the authenticator is lost: only hashes.
CREATE TABLE recovery_codes (
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    code_hash  TEXT NOT NULL,
    used_at    TEXT,
    PRIMARY KEY (user_id, code_hash)
);

-- An administrator requires two-step sign-in of the organization's people.
ALTER TABLE partner_orgs ADD COLUMN require_two_step INTEGER NOT NULL DEFAULT 0;
