-- Version 21: when each case is due a reminder call (督促), stored as spans
-- of days, so the 督促 list is a range read on a million cases.
--
-- The spans are worked out in Rust (domain/call_schedule.rs) from the case's
-- facts and the reminder rules, in the transaction that changes the facts:
-- the triggers below note which cases a write touched, and the store
-- recomputes them before it commits (store/call_spans.rs). A writer that
-- bypasses the store leaves its cases noted; readers work those out live.
CREATE TABLE call_spans (
    case_id   INTEGER NOT NULL REFERENCES cases(id),
    from_day  TEXT NOT NULL,
    until_day TEXT,
    pressing  INTEGER NOT NULL CHECK (pressing IN (0, 1))
) STRICT;
-- Today's list reads the open-ended spans that began by today, then those
-- ending today or later: both ranges of this index, nothing else.
CREATE INDEX call_spans_days ON call_spans(until_day, from_day, case_id, pressing);
CREATE INDEX call_spans_case ON call_spans(case_id);

-- Cases whose facts changed since their spans were worked out.
CREATE TABLE call_spans_dirty (case_id INTEGER PRIMARY KEY) STRICT;

CREATE TRIGGER call_spans_case_new AFTER INSERT ON cases
BEGIN INSERT OR IGNORE INTO call_spans_dirty VALUES (NEW.id); END;
CREATE TRIGGER call_spans_case_status AFTER UPDATE OF status, source ON cases
BEGIN INSERT OR IGNORE INTO call_spans_dirty VALUES (NEW.id); END;
CREATE TRIGGER call_spans_clock_new AFTER INSERT ON case_deadlines
BEGIN INSERT OR IGNORE INTO call_spans_dirty VALUES (NEW.case_id); END;
CREATE TRIGGER call_spans_clock_change AFTER UPDATE ON case_deadlines
BEGIN INSERT OR IGNORE INTO call_spans_dirty VALUES (NEW.case_id); END;
CREATE TRIGGER call_spans_call AFTER INSERT ON reminders
BEGIN INSERT OR IGNORE INTO call_spans_dirty VALUES (NEW.case_id); END;
CREATE TRIGGER call_spans_triage_new AFTER INSERT ON case_triage
BEGIN INSERT OR IGNORE INTO call_spans_dirty VALUES (NEW.case_id); END;
CREATE TRIGGER call_spans_triage_change AFTER UPDATE ON case_triage
BEGIN INSERT OR IGNORE INTO call_spans_dirty VALUES (NEW.case_id); END;
CREATE TRIGGER call_spans_session_new AFTER INSERT ON reception_sessions
BEGIN INSERT OR IGNORE INTO call_spans_dirty VALUES (NEW.case_id); END;
CREATE TRIGGER call_spans_session_change AFTER UPDATE OF case_id, instruction_kind ON reception_sessions
BEGIN INSERT OR IGNORE INTO call_spans_dirty VALUES (NEW.case_id); END;
CREATE TRIGGER call_spans_follow_up AFTER INSERT ON case_events WHEN NEW.event_kind = 'follow_up'
BEGIN INSERT OR IGNORE INTO call_spans_dirty VALUES (NEW.case_id); END;
CREATE TRIGGER call_spans_leader_source AFTER UPDATE OF leader ON sources
BEGIN INSERT OR IGNORE INTO call_spans_dirty SELECT id FROM cases WHERE source = NEW.name; END;
