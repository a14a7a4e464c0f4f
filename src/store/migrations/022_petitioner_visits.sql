-- Version 22: each petitioner's cases counted where a search can read them
-- in one indexed step (on a million cases a search listed fifty people and
-- read every case of each, twice). Kept by triggers (made by the
-- migration's code, store/visits.rs) in the transaction of every write
-- that links a case to a person, moves it (a merge) or changes what is
-- counted, whichever code path makes it; `check` compares it with a recount.
CREATE TABLE petitioner_visits (
    petitioner_id    INTEGER PRIMARY KEY REFERENCES petitioners(id),
    case_count       INTEGER NOT NULL,
    open_cases       INTEGER NOT NULL,
    first_visit      TEXT NOT NULL,
    last_visit       TEXT NOT NULL,
    skip_level_cases INTEGER NOT NULL,
    threat_cases     INTEGER NOT NULL
) STRICT;
