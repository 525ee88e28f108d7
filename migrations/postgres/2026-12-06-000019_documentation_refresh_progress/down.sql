ALTER TABLE doc_sources DROP COLUMN refresh_total;
ALTER TABLE doc_sources DROP COLUMN refresh_done;
ALTER TABLE doc_sources DROP COLUMN attempted_at;
