-- Version 2 (SQL part): indexes for search filters. The full-text index is
-- created and filled by code (store::search_index::create_and_backfill).
CREATE INDEX cases_category ON cases(category_code, registered_at);
CREATE INDEX cases_street ON cases(problem_street_code, registered_at);
-- Covers the per-petitioner summary (case count, first/last visit, open
-- cases, threats) without reading the large case rows.
CREATE INDEX cases_summary ON cases(id, registered_at, status, threat);
