-- No order left to lapse (contract section 14): how many "will close"
-- warnings an order's current invitation has had (0, 1 at 21 days, 2 at 28
-- days; a reopened order starts again), and when whoever set it up was
-- reminded to provision it.
ALTER TABLE orders ADD COLUMN close_warnings INTEGER NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN provision_reminded_at TEXT;

-- Orders set up before this release and never provisioned are not reminded
-- all at once on the first pass after the upgrade: the reminder is for
-- what is set up from now on.
UPDATE orders SET provision_reminded_at = setup_at
    WHERE setup_at IS NOT NULL AND provisioned_at IS NULL;

-- The pass's new question, answered from a small partial index like the
-- others: orders set up and waiting to be provisioned.
CREATE INDEX orders_awaiting_provisioning ON orders(setup_at)
    WHERE setup_at IS NOT NULL AND provisioned_at IS NULL
      AND provision_reminded_at IS NULL AND closed_at IS NULL;
