-- Version 3: the holiday calendar (法定节假日 and 调休上班日), seeded by code
-- from seeds/holidays.toml and editable afterwards.
CREATE TABLE holidays (
    date TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('rest', 'workday')),
    name TEXT NOT NULL
) STRICT, WITHOUT ROWID;
