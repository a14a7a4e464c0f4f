-- Version 4: the intake form in progress, one per desk, so a crash, a kill
-- or a closed terminal loses nothing typed.
CREATE TABLE intake_drafts (
    desk     TEXT PRIMARY KEY,
    saved_at TEXT NOT NULL,
    data     TEXT NOT NULL
) STRICT, WITHOUT ROWID;
