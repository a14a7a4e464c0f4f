-- Version 1: reference data, petitioners, cases and the case trail.
-- Dates are ISO-8601 text in local time ('YYYY-MM-DD HH:MM:SS').

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- Reference data (seeded from seeds/reference.toml, editable later).
CREATE TABLE forms (
    code   TEXT PRIMARY KEY,
    name   TEXT NOT NULL UNIQUE,
    letter TEXT NOT NULL UNIQUE CHECK (length(letter) = 1),
    sort   INTEGER NOT NULL DEFAULT 0,
    active INTEGER NOT NULL DEFAULT 1
) STRICT;

CREATE TABLE purposes (
    code   TEXT PRIMARY KEY,
    name   TEXT NOT NULL UNIQUE,
    class  TEXT NOT NULL CHECK (class IN ('建议意见类', '检举控告类', '申诉求决类', '其他')),
    sort   INTEGER NOT NULL DEFAULT 0,
    active INTEGER NOT NULL DEFAULT 1
) STRICT;

CREATE TABLE sources (
    name   TEXT PRIMARY KEY,
    sort   INTEGER NOT NULL DEFAULT 0,
    active INTEGER NOT NULL DEFAULT 1
) STRICT;

CREATE TABLE categories (
    code        TEXT PRIMARY KEY,
    parent_code TEXT REFERENCES categories(code),
    name        TEXT NOT NULL,
    initials    TEXT NOT NULL,
    sort        INTEGER NOT NULL DEFAULT 0,
    active      INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE INDEX categories_parent ON categories(parent_code);

CREATE TABLE streets (
    code     TEXT PRIMARY KEY,
    name     TEXT NOT NULL UNIQUE,
    initials TEXT NOT NULL,
    sort     INTEGER NOT NULL DEFAULT 0,
    active   INTEGER NOT NULL DEFAULT 1
) STRICT;

CREATE TABLE units (
    id       INTEGER PRIMARY KEY,
    name     TEXT NOT NULL UNIQUE,
    initials TEXT NOT NULL,
    contact  TEXT NOT NULL DEFAULT '',
    phone    TEXT NOT NULL DEFAULT '',
    active   INTEGER NOT NULL DEFAULT 1
) STRICT;

CREATE TABLE leaders (
    id        INTEGER PRIMARY KEY,
    name      TEXT NOT NULL,
    post      TEXT NOT NULL,
    portfolio TEXT NOT NULL DEFAULT '',
    active    INTEGER NOT NULL DEFAULT 1
) STRICT;

-- 信访人. Search keys are stored beside the values they index:
-- id_rev/number_rev hold the reversed digits so an ID or phone tail is a range scan.
CREATE TABLE petitioners (
    id                 INTEGER PRIMARY KEY,
    name               TEXT NOT NULL,
    name_pinyin        TEXT NOT NULL,
    name_initials      TEXT NOT NULL,
    id_type            TEXT,
    id_number          TEXT,
    id_rev             TEXT,
    id_override_reason TEXT,
    sex                TEXT CHECK (sex IN ('男', '女')),
    birth_date         TEXT,
    address            TEXT NOT NULL DEFAULT '',
    street_code        TEXT REFERENCES streets(code),
    workplace          TEXT NOT NULL DEFAULT '',
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX petitioners_id_number ON petitioners(id_number) WHERE id_number IS NOT NULL;
CREATE INDEX petitioners_id_rev ON petitioners(id_rev) WHERE id_rev IS NOT NULL;
CREATE INDEX petitioners_name ON petitioners(name);
CREATE INDEX petitioners_initials ON petitioners(name_initials);
CREATE INDEX petitioners_pinyin ON petitioners(name_pinyin);

CREATE TABLE petitioner_phones (
    id            INTEGER PRIMARY KEY,
    petitioner_id INTEGER NOT NULL REFERENCES petitioners(id) ON DELETE CASCADE,
    number        TEXT NOT NULL,
    number_rev    TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('mobile', 'landline')),
    owner         TEXT NOT NULL CHECK (owner IN ('本人', '亲属', '其他')),
    note          TEXT NOT NULL DEFAULT '',
    UNIQUE (petitioner_id, number)
) STRICT;
CREATE INDEX petitioner_phones_number ON petitioner_phones(number);
CREATE INDEX petitioner_phones_rev ON petitioner_phones(number_rev);

CREATE TABLE petitioner_key_flags (
    petitioner_id INTEGER NOT NULL REFERENCES petitioners(id) ON DELETE CASCADE,
    kind          TEXT NOT NULL,
    PRIMARY KEY (petitioner_id, kind)
) STRICT, WITHOUT ROWID;

-- 信访事项.
CREATE TABLE cases (
    id                  INTEGER PRIMARY KEY,
    number              TEXT NOT NULL UNIQUE,
    registered_at       TEXT NOT NULL,
    clerk               TEXT NOT NULL,
    window              TEXT NOT NULL DEFAULT '',
    form_code           TEXT NOT NULL REFERENCES forms(code),
    source              TEXT NOT NULL DEFAULT '',
    people_count        INTEGER NOT NULL DEFAULT 1 CHECK (people_count >= 1),
    involved_count      INTEGER,
    is_group            INTEGER NOT NULL GENERATED ALWAYS AS (people_count >= 5) VIRTUAL,
    category_code       TEXT REFERENCES categories(code),
    purpose_code        TEXT REFERENCES purposes(code),
    class               TEXT NOT NULL CHECK (class IN ('建议意见类', '检举控告类', '申诉求决类', '其他')),
    problem_street_code TEXT REFERENCES streets(code),
    problem_address     TEXT NOT NULL DEFAULT '',
    title               TEXT NOT NULL,
    content             TEXT NOT NULL,
    demands             TEXT NOT NULL DEFAULT '',
    respondent          TEXT NOT NULL DEFAULT '',
    litigation          INTEGER NOT NULL DEFAULT 0,
    skip_level          INTEGER NOT NULL DEFAULT 0,
    joint               INTEGER NOT NULL DEFAULT 0,
    anonymous           INTEGER NOT NULL DEFAULT 0,
    threat              INTEGER NOT NULL DEFAULT 0,
    urgent              INTEGER NOT NULL DEFAULT 0,
    confidential        INTEGER NOT NULL DEFAULT 0,
    repeat_kind         TEXT NOT NULL CHECK (repeat_kind IN ('初件', '重件')),
    linked_case_id      INTEGER REFERENCES cases(id),
    status              TEXT NOT NULL,
    updated_at          TEXT NOT NULL
) STRICT;
CREATE INDEX cases_registered_at ON cases(registered_at);
CREATE INDEX cases_status ON cases(status, registered_at);
CREATE INDEX cases_linked ON cases(linked_case_id) WHERE linked_case_id IS NOT NULL;

-- Petitioners of a case, in order; seq 1 is the representative.
CREATE TABLE case_petitioners (
    case_id           INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    seq               INTEGER NOT NULL CHECK (seq >= 1),
    petitioner_id     INTEGER NOT NULL REFERENCES petitioners(id),
    is_representative INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (case_id, seq)
) STRICT, WITHOUT ROWID;
CREATE INDEX case_petitioners_petitioner ON case_petitioners(petitioner_id, case_id);

CREATE TABLE case_external_refs (
    case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    system  TEXT NOT NULL,
    number  TEXT NOT NULL,
    PRIMARY KEY (case_id, system, number)
) STRICT, WITHOUT ROWID;
CREATE INDEX case_external_refs_number ON case_external_refs(number);

-- The append-only trail (全程留痕).
CREATE TABLE case_events (
    id        INTEGER PRIMARY KEY,
    case_id   INTEGER NOT NULL REFERENCES cases(id),
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    note      TEXT NOT NULL DEFAULT '',
    old_value TEXT,
    new_value TEXT
) STRICT;
CREATE INDEX case_events_case ON case_events(case_id, id);

-- Case-number sequences: one row per prefix, day and form.
CREATE TABLE case_number_series (
    series TEXT PRIMARY KEY,
    last   INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
