-- Version 9: leaders' open-reception days (领导干部公开接访日), their
-- appointments (预约) and the day's queue tickets (排队叫号).
CREATE TABLE reception_days (
    id           INTEGER PRIMARY KEY,
    date         TEXT NOT NULL,
    time_slot    TEXT NOT NULL,
    place        TEXT NOT NULL,
    leader       TEXT NOT NULL,
    leader_post  TEXT NOT NULL,
    portfolio    TEXT NOT NULL DEFAULT '',
    units        TEXT NOT NULL DEFAULT '',
    announcement TEXT NOT NULL DEFAULT '',
    -- How many times "call next" has been pressed today: a skipped ticket
    -- comes back after a number of further calls.
    calls_made   INTEGER NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL
) STRICT;
CREATE INDEX reception_days_date ON reception_days(date);

CREATE TABLE appointments (
    id            INTEGER PRIMARY KEY,
    day_id        INTEGER NOT NULL REFERENCES reception_days(id),
    name          TEXT NOT NULL,
    id_number     TEXT NOT NULL,
    phone         TEXT NOT NULL DEFAULT '',
    summary       TEXT NOT NULL DEFAULT '',
    category_code TEXT,
    street        TEXT NOT NULL DEFAULT '',
    booked_time   TEXT,
    status        TEXT NOT NULL,
    created_at    TEXT NOT NULL
) STRICT;
CREATE INDEX appointments_day ON appointments(day_id);

CREATE TABLE queue_tickets (
    id              INTEGER PRIMARY KEY,
    day_id          INTEGER NOT NULL REFERENCES reception_days(id),
    prefix          TEXT NOT NULL,
    seq             INTEGER NOT NULL,
    case_id         INTEGER NOT NULL REFERENCES cases(id),
    appointment_id  INTEGER REFERENCES appointments(id),
    status          TEXT NOT NULL,
    arrived_at      TEXT NOT NULL,
    booked_at       TEXT,
    priority_reason TEXT,
    priority_by     TEXT,
    group_size      INTEGER NOT NULL DEFAULT 1,
    skipped_at_call INTEGER,
    called_at       TEXT,
    started_at      TEXT,
    finished_at     TEXT,
    clerk           TEXT NOT NULL,
    UNIQUE (day_id, prefix, seq)
) STRICT;
CREATE INDEX queue_tickets_case ON queue_tickets(case_id);
