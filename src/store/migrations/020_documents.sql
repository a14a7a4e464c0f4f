-- Version 20: the papers the desk issues (文书) and each case's 查询码.
--
-- A case's query code, in its own table so the case rows (and their seals)
-- stay as they were; codes for the cases already stored are made by the
-- migration's code step.
CREATE TABLE case_query_codes (
    code    TEXT PRIMARY KEY,
    case_id INTEGER NOT NULL UNIQUE REFERENCES cases(id)
) STRICT, WITHOUT ROWID;

-- Every paper issued, as it was issued: the rendered text (what a reprint
-- prints again, whatever the template says by then), its SHA-256, who and
-- when. Numbers run per series (the kind's 机关代字) and year without gaps;
-- a correction is a new row naming the one it replaces. Append-only (guards
-- in store/guards.rs).
CREATE TABLE documents (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases(id),
    kind        TEXT NOT NULL,
    series      TEXT NOT NULL,
    year        INTEGER NOT NULL,
    seq         INTEGER NOT NULL CHECK (seq >= 1),
    number      TEXT NOT NULL UNIQUE,
    addressee   TEXT NOT NULL,
    body        TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    template    TEXT NOT NULL,
    replaces    INTEGER REFERENCES documents(id),
    issued_at   TEXT NOT NULL,
    issued_by   TEXT NOT NULL,
    file_name   TEXT NOT NULL,
    UNIQUE (series, year, seq)
) STRICT;
CREATE INDEX documents_case ON documents(case_id, id);
