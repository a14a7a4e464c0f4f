-- Version 15: enumerated columns hold stable codes (domain::Coded), not
-- labels; code rewrites the CHECK lists and the rows (store::recode).
-- A case's 拟办 is kept as a code, and leader sources as a flag, so no
-- query reads a note or a source's name.
CREATE TABLE case_triage (
    case_id INTEGER PRIMARY KEY REFERENCES cases(id),
    triage  TEXT NOT NULL,
    at      TEXT NOT NULL
) STRICT;
CREATE INDEX case_triage_kind ON case_triage(triage);
ALTER TABLE sources ADD COLUMN leader INTEGER NOT NULL DEFAULT 0;
