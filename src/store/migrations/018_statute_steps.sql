-- Version 18: the steps of 《信访工作条例》 and of 简易办理 that had nothing
-- to record them, and Table A's hand-kept 户籍地 and 去向.

-- 办理程序: a 简易办理 case runs the 1/3/10-working-day clocks.
ALTER TABLE cases ADD COLUMN procedure TEXT NOT NULL DEFAULT 'ordinary'
    CHECK (procedure IN ('ordinary', 'simple'));

-- Sources through which a higher level 交办s a matter (never 简易办理).
ALTER TABLE sources ADD COLUMN from_above INTEGER NOT NULL DEFAULT 0;

-- 息诉罢访 ends a leader's 包案: when, on what basis, whether the problem was
-- resolved (化解) or the petitioner only stopped, and who recorded it.
ALTER TABLE case_ownerships ADD COLUMN ended_on TEXT;
ALTER TABLE case_ownerships ADD COLUMN end_basis TEXT NOT NULL DEFAULT '';
ALTER TABLE case_ownerships ADD COLUMN resolved INTEGER NOT NULL DEFAULT 0;
ALTER TABLE case_ownerships ADD COLUMN ended_by TEXT NOT NULL DEFAULT '';

-- The unit's 办理情况反馈 on a leader's 批示 (one per 批示).
CREATE TABLE instruction_feedback (
    session_id  INTEGER PRIMARY KEY REFERENCES reception_sessions(id),
    case_id     INTEGER NOT NULL REFERENCES cases(id),
    fed_back_on TEXT NOT NULL,
    note        TEXT NOT NULL,
    at          TEXT NOT NULL,
    clerk       TEXT NOT NULL
) STRICT;
CREATE INDEX instruction_feedback_case ON instruction_feedback(case_id);

-- Table A: 户籍地 is its own field; 最近一次信访去向 (区/市/省/京) by hand.
ALTER TABLE key_person_watch ADD COLUMN household TEXT NOT NULL DEFAULT '';
ALTER TABLE key_person_watch ADD COLUMN destination TEXT
    CHECK (destination IN ('district', 'city', 'province', 'capital'));
