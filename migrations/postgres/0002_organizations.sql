-- Organizations, people and access: approvals of existing customer
-- organizations, password resets, the person who used each link, and limits
-- that every instance must agree on.

-- Set while the order waits for the customer administrator's approval
-- (setup_mode, setup_by_email and partner_org_id are then already known).
ALTER TABLE orders ADD COLUMN approval_requested_at TEXT;
-- When the customer confirmed an order set up by "Customer setup" (or did
-- the setup itself): until then the partner may invite the customer again.
ALTER TABLE orders ADD COLUMN customer_confirmed_at TEXT;
UPDATE orders SET customer_confirmed_at = setup_at
 WHERE setup_mode = 'customer' AND EXISTS (
   SELECT 1 FROM setup_links l WHERE l.order_id = orders.id AND l.audience = 'customer' AND l.spent_at IS NOT NULL);

-- The person who committed with a link (step 2's address, or the link's own).
ALTER TABLE setup_links ADD COLUMN used_by_email TEXT;
UPDATE setup_links SET used_by_email = email WHERE spent_at IS NOT NULL;

-- A customer organization made for a customer by "Customer setup" may be
-- corrected by its administrator until confirmed; existing ones are verified.
ALTER TABLE customer_orgs ADD COLUMN confirmed_at TEXT;
UPDATE customer_orgs SET confirmed_at = created_at WHERE managed_by_partner_id IS NOT NULL;
CREATE INDEX customer_orgs_manager ON customer_orgs(managed_by_partner_id, name);
CREATE INDEX users_customer_org ON users(customer_org_id);

-- Asked of the administrator of an existing customer organization before an
-- order of a partner that does not manage it is attached. Only a hash of the
-- link's secret is kept.
CREATE TABLE approvals (
    token_hash       TEXT PRIMARY KEY,
    order_id         TEXT NOT NULL REFERENCES orders(id),
    customer_org_id  TEXT NOT NULL REFERENCES customer_orgs(id),
    admin_email      TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    expires_at       TEXT NOT NULL,
    answered_at      TEXT,
    answer           TEXT CHECK (answer IN ('approved', 'declined', 'cancelled'))
);
CREATE INDEX approvals_order ON approvals(order_id);

-- Single-use links to set a password: "Forgot password?" (an hour) and the
-- new administrator's welcome (longer). Only hashes are kept.
CREATE TABLE password_resets (
    token_hash  TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id),
    purpose     TEXT NOT NULL CHECK (purpose IN ('reset', 'activate')),
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT
);
CREATE INDEX password_resets_user ON password_resets(user_id);

-- Fixed-window counters (live checks per link, reset emails per account).
CREATE TABLE rate_limits (
    key           TEXT PRIMARY KEY,
    window_start  TEXT NOT NULL,
    hits          BIGINT NOT NULL
);
