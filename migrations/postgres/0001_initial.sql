-- setup-now on PostgreSQL: the same model as migrations/sqlite, version for
-- version. Times are RFC 3339 UTC text and dates ISO 8601 text, as there, so text
-- order is time order and both engines read the same values; integers are BIGINT.

CREATE TABLE partner_orgs (
    id          TEXT PRIMARY KEY,
    party_id    TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    country     TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

-- managed_by_partner_id is NULL when the customer set the organization up itself:
-- the partner then has no management access.
CREATE TABLE customer_orgs (
    id                     TEXT PRIMARY KEY,
    name                   TEXT NOT NULL,
    country                TEXT NOT NULL,
    address                TEXT NOT NULL,
    managed_by_partner_id  TEXT REFERENCES partner_orgs(id),
    created_at             TEXT NOT NULL
);

-- A user belongs to exactly one organization, and an address to one user.
CREATE TABLE users (
    id               TEXT PRIMARY KEY,
    email            TEXT NOT NULL UNIQUE,
    partner_org_id   TEXT REFERENCES partner_orgs(id),
    customer_org_id  TEXT REFERENCES customer_orgs(id),
    password_hash    TEXT,
    created_at       TEXT NOT NULL,
    CHECK ((partner_org_id IS NULL) <> (customer_org_id IS NULL)),
    CHECK (email = lower(email))
);

CREATE TABLE orders (
    id                          TEXT PRIMARY KEY,
    order_number                TEXT NOT NULL UNIQUE,
    body_digest                 TEXT NOT NULL,
    offer                       TEXT NOT NULL,
    subscription_id             TEXT NOT NULL,
    requested_start_date        TEXT NOT NULL,
    provisioning_contact_email  TEXT NOT NULL,
    account_rep_email           TEXT NOT NULL,
    partner_party_id            TEXT NOT NULL,
    partner_name                TEXT NOT NULL,
    partner_country             TEXT NOT NULL,
    customer_name               TEXT NOT NULL,
    customer_country            TEXT NOT NULL,
    customer_address            TEXT NOT NULL,
    created_at                  TEXT NOT NULL,
    invited_at                  TEXT,
    started_at                  TEXT,
    escalated_at                TEXT,
    setup_at                    TEXT,
    setup_mode                  TEXT,
    setup_by_email              TEXT,
    partner_org_id              TEXT REFERENCES partner_orgs(id),
    customer_org_id             TEXT REFERENCES customer_orgs(id),
    provisioned_at              TEXT,
    provisioned_by_email        TEXT,
    billing_start_date          TEXT,
    closed_at                   TEXT
);
-- The scheduler's two questions, each answered from a small partial index, so a
-- pass costs what is due, not what is stored.
CREATE INDEX orders_awaiting_invitation ON orders(requested_start_date)
    WHERE invited_at IS NULL AND closed_at IS NULL;
CREATE INDEX orders_awaiting_start ON orders(requested_start_date)
    WHERE invited_at IS NOT NULL AND started_at IS NULL AND escalated_at IS NULL
      AND setup_at IS NULL AND closed_at IS NULL;
CREATE INDEX orders_awaiting_setup ON orders(invited_at)
    WHERE invited_at IS NOT NULL AND setup_at IS NULL AND closed_at IS NULL;
CREATE INDEX orders_partner ON orders(partner_party_id);

CREATE TABLE order_services (
    order_id  TEXT NOT NULL REFERENCES orders(id),
    position  BIGINT NOT NULL,
    kind      TEXT NOT NULL,
    sku       TEXT NOT NULL,
    quantity  BIGINT NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (order_id, position)
);

-- Only a hash of each link's secret is kept.
CREATE TABLE setup_links (
    token_hash       TEXT PRIMARY KEY,
    order_id         TEXT NOT NULL REFERENCES orders(id),
    email            TEXT NOT NULL,
    audience         TEXT NOT NULL CHECK (audience IN ('partner', 'customer')),
    created_at       TEXT NOT NULL,
    expires_at       TEXT NOT NULL,
    first_opened_at  TEXT,
    revoked_at       TEXT,
    spent_at         TEXT
);
CREATE INDEX setup_links_order ON setup_links(order_id);

-- Every email is a row first; delivery claims rows with a lease.
CREATE TABLE outbox (
    id             BIGSERIAL PRIMARY KEY,
    dedupe_key     TEXT NOT NULL UNIQUE,
    order_id       TEXT REFERENCES orders(id),
    kind           TEXT NOT NULL,
    recipient      TEXT NOT NULL,
    subject        TEXT NOT NULL,
    body_text      TEXT NOT NULL,
    links_json     TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    next_attempt_at TEXT NOT NULL,
    lease_until    TEXT,
    attempts       BIGINT NOT NULL DEFAULT 0,
    last_error     TEXT,
    sent_at        TEXT
);
CREATE INDEX outbox_recipient ON outbox(recipient, id);
CREATE INDEX outbox_pending ON outbox(next_attempt_at) WHERE sent_at IS NULL;

CREATE TABLE calling_settings (
    order_id       TEXT PRIMARY KEY REFERENCES orders(id),
    location_name  TEXT NOT NULL,
    address        TEXT NOT NULL,
    country        TEXT NOT NULL,
    time_zone      TEXT NOT NULL,
    language       TEXT NOT NULL,
    pstn           TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);

-- Subdomains are stored lower-case; the primary key makes them unique.
CREATE TABLE meeting_sites (
    subdomain   TEXT PRIMARY KEY CHECK (subdomain = lower(subdomain)),
    order_id    TEXT NOT NULL UNIQUE REFERENCES orders(id),
    created_at  TEXT NOT NULL
);

CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id),
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL
);

CREATE TABLE sign_in_failures (
    key           TEXT PRIMARY KEY,
    failures      BIGINT NOT NULL,
    last_failure  TEXT NOT NULL
);

CREATE TABLE audit (
    id        BIGSERIAL PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    order_id  TEXT,
    detail    TEXT NOT NULL DEFAULT ''
);
