-- Version 11: early warnings, metrics and the weekly screening report.

-- 重点群体: which 内容分类 belong to which key group (seeded from
-- seeds/reference.toml, editable like the rest of the reference data).
CREATE TABLE key_groups (
    category_code TEXT PRIMARY KEY REFERENCES categories(code),
    grp           TEXT NOT NULL
) STRICT, WITHOUT ROWID;

-- 回访 results, one row per case (the latest follow-up wins); the trail keeps
-- every follow-up.
CREATE TABLE case_evaluations (
    case_id INTEGER PRIMARY KEY REFERENCES cases(id),
    bureau  TEXT NOT NULL CHECK (bureau IN ('满意', '基本满意', '不满意', '未评价')),
    unit    TEXT NOT NULL CHECK (unit IN ('满意', '基本满意', '不满意', '未评价')),
    at      TEXT NOT NULL,
    by      TEXT NOT NULL
) STRICT;

-- Table A of the weekly report: what staff keep by hand about a key person
-- under control (稳控). A row exists from the first edit.
CREATE TABLE key_person_watch (
    petitioner_id INTEGER PRIMARY KEY REFERENCES petitioners(id),
    risk          TEXT NOT NULL CHECK (risk IN ('高', '中', '低')),
    situation     TEXT NOT NULL DEFAULT '',
    measures      TEXT NOT NULL DEFAULT '',
    keeper        TEXT NOT NULL DEFAULT '',
    keeper_phone  TEXT NOT NULL DEFAULT '',
    leader        TEXT NOT NULL DEFAULT '',
    unit          TEXT NOT NULL DEFAULT '',
    resolve_by    TEXT,
    progress      TEXT NOT NULL DEFAULT '',
    resolved_on   TEXT,
    note          TEXT NOT NULL DEFAULT '',
    since         TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    updated_by    TEXT NOT NULL
) STRICT;

-- Table B: one row per matter (its first case), kept by hand.
CREATE TABLE dispute_watch (
    case_id      INTEGER PRIMARY KEY REFERENCES cases(id),
    grp          TEXT NOT NULL,
    name         TEXT NOT NULL,
    measures     TEXT NOT NULL DEFAULT '',
    difficulties TEXT NOT NULL DEFAULT '',
    risk         TEXT NOT NULL DEFAULT '',
    leader       TEXT NOT NULL DEFAULT '',
    lead_unit    TEXT NOT NULL DEFAULT '',
    co_units     TEXT NOT NULL DEFAULT '',
    keeper       TEXT NOT NULL DEFAULT '',
    resolve_by   TEXT,
    progress     TEXT NOT NULL DEFAULT '',
    state        TEXT NOT NULL CHECK (state IN ('化解中', '已化解', '稳控中')),
    resolved_on  TEXT,
    since        TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    updated_by   TEXT NOT NULL
) STRICT;
-- Reports read a period's cases and its conclusions without touching the
-- case rows (whose long complaint text sits between these columns).
CREATE INDEX case_events_action_at ON case_events(action, at, case_id);
CREATE INDEX cases_report ON cases(registered_at, form_code, class, category_code, problem_street_code,
    repeat_kind, litigation, confidential, status);
