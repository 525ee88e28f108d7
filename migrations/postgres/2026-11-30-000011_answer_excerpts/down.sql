ALTER TABLE answers DROP COLUMN transcript_excerpt;
