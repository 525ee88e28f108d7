-- A refresh under way says how far it got, so an admin page on any instance can show it; the
-- schedule counts from the last attempt, so a source that cannot be read is not retried every
-- minute.
ALTER TABLE doc_sources ADD COLUMN attempted_at TIMESTAMP;
-- Pages (or files) read so far, of how many; both cleared when the refresh ends.
ALTER TABLE doc_sources ADD COLUMN refresh_done INTEGER;
ALTER TABLE doc_sources ADD COLUMN refresh_total INTEGER;
