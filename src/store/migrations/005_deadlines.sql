-- Version 5: each statutory clock of a case, stored with the rule, the base
-- date and the result, so a report can show why a date is what it is.
-- A clock is open until met_at is set (the step it times was taken).
CREATE TABLE case_deadlines (
    id             INTEGER PRIMARY KEY,
    case_id        INTEGER NOT NULL REFERENCES cases(id),
    rule           TEXT NOT NULL,
    base_date      TEXT NOT NULL,
    extension_days INTEGER NOT NULL DEFAULT 0 CHECK (extension_days BETWEEN 0 AND 30),
    assigned_due   TEXT,
    due_date       TEXT NOT NULL,
    started_at     TEXT NOT NULL,
    met_at         TEXT
) STRICT;
CREATE INDEX case_deadlines_case ON case_deadlines(case_id);
CREATE INDEX case_deadlines_open ON case_deadlines(due_date) WHERE met_at IS NULL;

-- 转送 / 交办 to a responsible unit, with the deadline the assigning body set.
CREATE TABLE assignments (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES cases(id),
    kind       TEXT NOT NULL CHECK (kind IN ('转送', '交办')),
    unit       TEXT NOT NULL,
    due_date   TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
) STRICT;
CREATE INDEX assignments_case ON assignments(case_id);
