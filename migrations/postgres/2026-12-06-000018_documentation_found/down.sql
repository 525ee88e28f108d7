DROP TABLE doc_section_uses;
DROP TABLE doc_section_vectors;
ALTER TABLE doc_sources DROP COLUMN lease_until;
ALTER TABLE doc_sources DROP COLUMN lease_holder;
ALTER TABLE doc_sources DROP COLUMN refresh_every_minutes;
ALTER TABLE doc_sources DROP COLUMN revision;
