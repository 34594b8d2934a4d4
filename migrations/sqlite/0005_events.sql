-- Status events for the commerce system (contract section 10): written in
-- the transaction that changes the order's status, delivered like emails
-- (claimed under a lease, retried with growing waits), in order per order,
-- each with the same webhook-id on every delivery.
CREATE TABLE events (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id         TEXT NOT NULL UNIQUE,
    order_id         TEXT NOT NULL REFERENCES orders(id),
    type             TEXT NOT NULL,
    occurred_at      TEXT NOT NULL,
    payload          TEXT NOT NULL,
    next_attempt_at  TEXT NOT NULL,
    lease_until      TEXT,
    lease_token      TEXT,
    attempts         INTEGER NOT NULL DEFAULT 0,
    last_status      INTEGER,
    last_error       TEXT,
    delivered_at     TEXT,
    abandoned_at     TEXT
);
CREATE INDEX events_pending ON events(next_attempt_at) WHERE delivered_at IS NULL AND abandoned_at IS NULL;
CREATE INDEX events_order ON events(order_id, id);
CREATE INDEX events_occurred ON events(occurred_at);
