-- Version 10: what happened in each talk with the leader (接谈记录, 批示),
-- and the leader who owns a case (包案).
CREATE TABLE reception_sessions (
    id               INTEGER PRIMARY KEY,
    ticket_id        INTEGER NOT NULL UNIQUE REFERENCES queue_tickets(id),
    case_id          INTEGER NOT NULL REFERENCES cases(id),
    leader           TEXT NOT NULL,
    record           TEXT NOT NULL DEFAULT '',
    attendees        TEXT NOT NULL DEFAULT '',
    instruction_kind TEXT NOT NULL,
    instruction      TEXT NOT NULL,
    unit             TEXT NOT NULL DEFAULT '',
    contact          TEXT NOT NULL DEFAULT '',
    due_date         TEXT,
    at               TEXT NOT NULL,
    clerk            TEXT NOT NULL
) STRICT;
CREATE INDEX reception_sessions_case ON reception_sessions(case_id);

CREATE TABLE case_ownerships (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases(id),
    leader       TEXT NOT NULL,
    unit         TEXT NOT NULL,
    person       TEXT NOT NULL,
    target_date  TEXT,
    started_at   TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT '包案中'
) STRICT;
CREATE INDEX case_ownerships_case ON case_ownerships(case_id);
