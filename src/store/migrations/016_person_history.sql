-- Version 16: person history (全程可溯 for people). Every change to a
-- petitioner's identity or contacts is a row here: who, when, old -> new,
-- why; `seq` and `hash` link each row to the one before (one chain for all
-- people), and triggers (store::guards) keep the table append-only.
-- A merged record stays as a tombstone pointing at the record kept.
CREATE TABLE petitioner_history (
    id            INTEGER PRIMARY KEY,
    seq           INTEGER NOT NULL UNIQUE CHECK (seq >= 1),
    petitioner_id INTEGER NOT NULL REFERENCES petitioners(id),
    at            TEXT NOT NULL,
    actor         TEXT NOT NULL,
    field         TEXT NOT NULL,
    old_value     TEXT NOT NULL,
    new_value     TEXT NOT NULL,
    reason        TEXT NOT NULL,
    hash          TEXT NOT NULL
) STRICT;
CREATE INDEX petitioner_history_person ON petitioner_history(petitioner_id, id);
ALTER TABLE petitioners ADD COLUMN merged_into INTEGER REFERENCES petitioners(id);
