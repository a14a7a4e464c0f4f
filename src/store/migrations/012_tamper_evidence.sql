-- Version 12: tamper evidence beyond the per-case chain. Every trail event
-- and every audit row joins one global sequence (seq + a hash linking it to
-- the row before); events seal the case row they leave behind (case_digest);
-- the database gets an identity for the anchors kept outside it. Code then
-- numbers and links the rows already stored (see store::chain::migrate).
ALTER TABLE case_events ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE case_events ADD COLUMN case_digest TEXT NOT NULL DEFAULT '';
ALTER TABLE case_events ADD COLUMN chain_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE audit_log ADD COLUMN hash TEXT NOT NULL DEFAULT '';
PRAGMA application_id = 1481000019; -- 0x58464453, "XFDS"
