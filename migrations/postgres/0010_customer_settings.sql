-- Settings belong to the customer organization (contract section 14): a
-- later order of the same customer reuses its meeting site and offers its
-- saved calling locations instead of reserving new ones. Every existing
-- site and location is kept, with the order that saved it as its history.

-- A meeting site now names its organization; `order_id` stays as the order
-- that reserved it. An organization's site is its earliest.
ALTER TABLE meeting_sites ADD COLUMN customer_org_id TEXT REFERENCES customer_orgs(id);
UPDATE meeting_sites SET customer_org_id =
    (SELECT o.customer_org_id FROM orders o WHERE o.id = meeting_sites.order_id);
CREATE INDEX meeting_sites_customer ON meeting_sites(customer_org_id, created_at);

-- An organization's calling locations; `order_id` is the order that saved
-- the location first.
CREATE TABLE calling_locations (
    id               TEXT PRIMARY KEY,
    customer_org_id  TEXT NOT NULL REFERENCES customer_orgs(id),
    order_id         TEXT NOT NULL REFERENCES orders(id),
    location_name    TEXT NOT NULL,
    address          TEXT NOT NULL,
    country          TEXT NOT NULL,
    time_zone        TEXT NOT NULL,
    language         TEXT NOT NULL,
    pstn             TEXT NOT NULL,
    created_at       TEXT NOT NULL
);
CREATE INDEX calling_locations_customer ON calling_locations(customer_org_id, created_at);

-- Each order's settings saved so far become a location of its organization
-- (named by the order's id, which is unique among them).
INSERT INTO calling_locations (id, customer_org_id, order_id, location_name, address,
                               country, time_zone, language, pstn, created_at)
    SELECT cs.order_id, o.customer_org_id, cs.order_id, cs.location_name, cs.address,
           cs.country, cs.time_zone, cs.language, cs.pstn, cs.updated_at
    FROM calling_settings cs JOIN orders o ON o.id = cs.order_id
    WHERE o.customer_org_id IS NOT NULL;

-- An order's calling settings stay its own record of what it was provisioned
-- with, and name the location they came from.
ALTER TABLE calling_settings ADD COLUMN location_id TEXT REFERENCES calling_locations(id);
UPDATE calling_settings SET location_id = order_id
    WHERE EXISTS (SELECT 1 FROM calling_locations l WHERE l.id = calling_settings.order_id);

-- Change orders (contract section 14): 'change' when the subscription was
-- already provisioned for the same partner at intake, else 'new'.
ALTER TABLE orders ADD COLUMN kind TEXT NOT NULL DEFAULT 'new' CHECK (kind IN ('new', 'change'));
CREATE INDEX orders_subscription ON orders(partner_party_id, subscription_id)
    WHERE provisioned_at IS NOT NULL;
