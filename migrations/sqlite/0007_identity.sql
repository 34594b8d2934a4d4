-- A link is not an identity (contract sections 5, 11 and 12): roles of the
-- people of a partner organization, addresses proven by an emailed code,
-- join requests answered by the organization's administrators, invitations,
-- and the browser that committed a setup.

-- Administrator, Member, Read-only; a guest set up one order of an
-- organization that had people already and waits for (or was refused) a
-- place in it. Everyone before this migration administered their
-- organization.
ALTER TABLE users ADD COLUMN role TEXT NOT NULL DEFAULT 'admin'
    CHECK (role IN ('admin', 'member', 'read_only', 'guest'));

-- Only the browser that committed a setup may set the first password: the
-- hash of the one-time value its commit left in an HttpOnly cookie.
ALTER TABLE setup_links ADD COLUMN committer_hash TEXT;

-- Codes emailed to prove an address typed in the wizard. Only hashes of the
-- code and of the proving browser's cookie are kept.
CREATE TABLE email_proofs (
    id            TEXT PRIMARY KEY,
    link_hash     TEXT NOT NULL,
    email         TEXT NOT NULL,
    code_hash     TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    attempts      INTEGER NOT NULL DEFAULT 0,
    proven_at     TEXT,
    browser_hash  TEXT
);
CREATE INDEX email_proofs_link ON email_proofs(link_hash, email);
CREATE INDEX email_proofs_browser ON email_proofs(browser_hash);
CREATE INDEX email_proofs_expiry ON email_proofs(expires_at);

-- Approvals of both kinds in one table: a customer organization's
-- administrator approving a partner's order ('customer'), and a partner
-- organization's administrators approving a newcomer ('join'; one row and
-- link per administrator, answered together through request_id). SQLite
-- cannot relax NOT NULL in place, so the table is made again.
CREATE TABLE approvals_new (
    token_hash       TEXT PRIMARY KEY,
    kind             TEXT NOT NULL DEFAULT 'customer' CHECK (kind IN ('customer', 'join')),
    request_id       TEXT NOT NULL,
    order_id         TEXT REFERENCES orders(id),
    customer_org_id  TEXT REFERENCES customer_orgs(id),
    partner_org_id   TEXT REFERENCES partner_orgs(id),
    subject_email    TEXT,
    admin_email      TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    expires_at       TEXT NOT NULL,
    answered_at      TEXT,
    answer           TEXT CHECK (answer IN ('approved', 'declined', 'cancelled')),
    answered_by      TEXT
);
INSERT INTO approvals_new (token_hash, kind, request_id, order_id, customer_org_id, admin_email,
                           created_at, expires_at, answered_at, answer, answered_by)
SELECT token_hash, 'customer', token_hash, order_id, customer_org_id, admin_email,
       created_at, expires_at, answered_at, answer, CASE WHEN answered_at IS NULL THEN NULL ELSE admin_email END
  FROM approvals;
DROP TABLE approvals;
ALTER TABLE approvals_new RENAME TO approvals;
CREATE INDEX approvals_order ON approvals(order_id);
CREATE INDEX approvals_request ON approvals(request_id);
CREATE INDEX approvals_joins ON approvals(partner_org_id, answered_at) WHERE kind = 'join';

-- "Invite" on /hub/people: a single-use link to /join/{token}, valid 7 days;
-- the person becomes a user when they use it. Only the hash is kept.
CREATE TABLE invitations (
    token_hash      TEXT PRIMARY KEY,
    partner_org_id  TEXT NOT NULL REFERENCES partner_orgs(id),
    email           TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('admin', 'member', 'read_only')),
    invited_by      TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    expires_at      TEXT NOT NULL,
    used_at         TEXT
);
CREATE INDEX invitations_org ON invitations(partner_org_id, created_at);
CREATE INDEX invitations_expiry ON invitations(expires_at);

-- What happened to an organization's people (role changes, removals,
-- invitations, join answers) belongs to the organization, not to an order.
ALTER TABLE audit ADD COLUMN partner_org_id TEXT;
CREATE INDEX audit_partner_org ON audit(partner_org_id, id);

-- Networks an account signed in from successfully: a right password from
-- one of them passes the account's throttle, so that guessing from elsewhere
-- cannot lock its owner out.
CREATE TABLE known_networks (
    account_key   TEXT NOT NULL,
    network       TEXT NOT NULL,
    last_success  TEXT NOT NULL,
    PRIMARY KEY (account_key, network)
);
CREATE INDEX known_networks_last ON known_networks(last_success);

-- Counters were keyed by the raw input; they are keyed by a hash of the
-- canonical address now. Old rows would only wait to be purged.
DELETE FROM sign_in_failures;
