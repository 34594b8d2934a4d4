-- Several instances on one database: an outbox claim is identified by its own
-- token (only the holder records the outcome), an email that keeps failing is
-- given up, and the development clock's frozen instant is shared.

ALTER TABLE outbox ADD COLUMN lease_token TEXT;
ALTER TABLE outbox ADD COLUMN abandoned_at TEXT;

CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
