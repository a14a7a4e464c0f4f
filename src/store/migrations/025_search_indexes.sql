-- Version 25: two small partial indexes the search page reads from alone.
-- Each listed case shows the clock running on it: the open clocks only, by
-- case and due day, the earliest first (no read of the met ones, no sort).
CREATE INDEX case_deadlines_running ON case_deadlines(case_id, due_date, rule) WHERE met_at IS NULL;
-- Each person found is shown as the record kept after a merge: merged
-- records are few, and a record absent from this index stands for itself
-- (no read of each found person's row just to learn that).
CREATE INDEX petitioners_merged ON petitioners(id, merged_into) WHERE merged_into IS NOT NULL;
