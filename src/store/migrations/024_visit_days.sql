-- Version 24: each link of a person to a case carries the case's
-- registration time and category, indexed by person and time, so the
-- early-warning badges' "cases in the last N days" and "key groups of the
-- past year" of a person are one range in one index. Before, a search
-- listing fifty people read every case row of each recent visitor (on a
-- million cases 120 random case rows for a page, about half the page's time).
-- The insert of a link copies them (store/cases.rs `link_petitioners`, the
-- only place a link is made); the trigger below follows a case's changes;
-- `check` compares the copies with the cases.
ALTER TABLE case_petitioners ADD COLUMN registered_at TEXT;
ALTER TABLE case_petitioners ADD COLUMN category_code TEXT;
UPDATE case_petitioners
   SET (registered_at, category_code) = (SELECT c.registered_at, c.category_code FROM cases c
                                         WHERE c.id = case_petitioners.case_id);
-- The new index also answers every lookup by person the old one did.
DROP INDEX IF EXISTS case_petitioners_petitioner;
CREATE INDEX case_petitioners_visits ON case_petitioners(petitioner_id, registered_at, category_code);
CREATE TRIGGER case_petitioners_case_copy AFTER UPDATE OF registered_at, category_code ON cases BEGIN
    UPDATE case_petitioners SET registered_at = NEW.registered_at, category_code = NEW.category_code
     WHERE case_id = NEW.id;
END;
-- A listed person's own phone (the first one recorded) read from an index
-- alone, with no sort per person.
CREATE INDEX petitioner_phones_own ON petitioner_phones(petitioner_id, owner, id, number);
