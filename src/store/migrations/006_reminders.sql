-- Version 6: phone reminders (电话督促) to responsible units, and the soft
-- deadlines their promises set (承诺办结时间).
CREATE TABLE reminders (
    id             INTEGER PRIMARY KEY,
    case_id        INTEGER NOT NULL REFERENCES cases(id),
    unit           TEXT NOT NULL,
    at             TEXT NOT NULL,
    caller         TEXT NOT NULL,
    method         TEXT NOT NULL,
    contact        TEXT NOT NULL DEFAULT '',
    contact_post   TEXT NOT NULL DEFAULT '',
    phone          TEXT NOT NULL DEFAULT '',
    result         TEXT NOT NULL,
    asked          TEXT NOT NULL DEFAULT '',
    answer         TEXT NOT NULL DEFAULT '',
    committed_date TEXT,
    next_date      TEXT,
    escalation     TEXT NOT NULL DEFAULT '无',
    note           TEXT NOT NULL DEFAULT '',
    seq            INTEGER NOT NULL,
    overdue_days   INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX reminders_case ON reminders(case_id, id);
CREATE INDEX reminders_unit ON reminders(unit, at);
CREATE INDEX reminders_at ON reminders(at);

-- A unit's promise is a soft deadline on the case until the step is taken
-- (the next status change) or a new promise replaces it.
CREATE TABLE case_commitments (
    case_id     INTEGER PRIMARY KEY REFERENCES cases(id),
    unit        TEXT NOT NULL,
    due_date    TEXT NOT NULL,
    reminder_id INTEGER NOT NULL REFERENCES reminders(id),
    met_at      TEXT
) STRICT;
