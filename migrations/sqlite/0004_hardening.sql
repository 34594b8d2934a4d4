-- Sign-in throttling waits instead of locking: each key (an account, a client
-- address) may be blocked until an instant that doubles with each attempt
-- over its free allowance.
ALTER TABLE sign_in_failures ADD COLUMN blocked_until TEXT;

-- The link of a stored email, encrypted (its text holds a placeholder);
-- forgotten once the email is sent in production.
ALTER TABLE outbox ADD COLUMN secret TEXT;

-- Retention (SECURITY.md) deletes by age on every scheduler pass: each age
-- is indexed, so a pass costs what expires, not what is stored.
CREATE INDEX audit_at ON audit(at);
CREATE INDEX audit_order ON audit(order_id, id);
CREATE INDEX sessions_expiry ON sessions(expires_at);
CREATE INDEX outbox_sent ON outbox(sent_at) WHERE sent_at IS NOT NULL;
CREATE INDEX password_resets_expiry ON password_resets(expires_at);
CREATE INDEX sign_in_failures_last ON sign_in_failures(last_failure);
