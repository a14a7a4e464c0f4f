-- Version 14: each trail event carries the stable code of its kind
-- (domain::event_kind); queries filter on it, never on the action's label.
-- The label stays as written (it is part of the event's hash). Code fills
-- the column for the events already stored (see store::migrations::event_kinds).
ALTER TABLE case_events ADD COLUMN event_kind TEXT NOT NULL DEFAULT 'other';
DROP INDEX IF EXISTS case_events_action_at;
