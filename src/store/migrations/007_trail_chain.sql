-- Version 7: a tamper-evident trail. Each event stores the hash of the
-- previous event of its case and of its own content; triggers (created by
-- code after the existing rows are chained) refuse any UPDATE or DELETE.
ALTER TABLE case_events ADD COLUMN prev_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE case_events ADD COLUMN hash TEXT NOT NULL DEFAULT '';
